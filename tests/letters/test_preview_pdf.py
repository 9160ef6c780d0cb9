"""PDF previews cannot tie up the web tier: a preview of unchanged content
is rendered once and reused, and each user has a number of new renders a
minute (letters.preview)."""

import uuid
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from complaints.models import ServiceRequest
from letters import rendering
from letters.models import LetterTemplate
from letters.preview import window_key

from .factories import pdf_text, sr_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """Counts WeasyPrint renders (the real renderer still does the work)."""
    calls: list[int] = []
    real = rendering.render_pdf

    def counting(html: str) -> rendering.PdfResult:
        calls.append(1)
        return real(html)

    monkeypatch.setattr(rendering, "render_pdf", counting)
    return calls


@pytest.fixture
def sr(review_team, caseworker):
    return sr_for(LetterTemplate.objects.get(code="CMSL5807"), team=review_team, owner=caseworker)


def preview(client: Any, sr: ServiceRequest, text: str):
    return client.post(reverse("letters:preview", args=[sr.reference]) + "?format=pdf", {
        "_letter_template": "CMSL5807", "_letter_prefix": "letter", "letter-language": "en",
        "letter-choice_outcome": "TM_09173", "letter-text_update": text})


def test_a_preview_of_unchanged_content_is_rendered_once(client, caseworker, sr, renders):
    client.force_login(caseworker)
    text = f"Reviewed again {uuid.uuid4().hex[:8]}."
    first, second = preview(client, sr, text), preview(client, sr, text)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and text in pdf_text(second.content)
    assert len(renders) == 1
    assert preview(client, sr, text + " Changed.").status_code == 200
    assert len(renders) == 2


@time_machine.travel("2026-11-23 10:00:05+00:00", tick=False)  # one minute throughout
def test_new_renders_are_limited_per_user_per_minute(client, caseworker, team_leader, sr, renders, settings):
    settings.PDF_PREVIEWS_PER_MINUTE = 2
    for user in (caseworker, team_leader):  # the cache outlives tests: start this minute's count afresh
        cache.delete(window_key(user.pk))
    client.force_login(caseworker)
    run = uuid.uuid4().hex[:8]
    assert [preview(client, sr, f"Version {n} {run}").status_code for n in range(2)] == [200, 200]
    refused = preview(client, sr, f"Version 3 {run}")
    assert refused.status_code == 429
    assert "more than 2 PDF previews in a minute" in refused.content.decode()
    assert len(renders) == 2
    # What was already rendered is still shown, and other users are not held up.
    assert preview(client, sr, f"Version 0 {run}").status_code == 200
    client.force_login(team_leader)
    assert preview(client, sr, f"Version 3 {run}").status_code == 200
