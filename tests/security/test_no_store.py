"""Pages, CSVs and PDFs with personal data carry Cache-Control: no-store,
so no proxy or browser disk cache keeps a copy after the user signs out;
static files stay cacheable."""

from typing import Any

import pytest
from django.urls import reverse

from letters.models import LetterTemplate
from tests.letters.factories import issue, render, sr_for

pytestmark = pytest.mark.django_db


def no_store(response: Any) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.fixture
def sr(review_team, caseworker):
    return sr_for(LetterTemplate.objects.get(code="CMSL5807"), team=review_team, owner=caseworker)


def test_every_kind_of_response_with_personal_data_is_no_store(client, caseworker, manager, sr):
    letter = render(issue(sr=sr, actor=caseworker, code="CMSL5807",
                          composition={"free_text": {"update": "We rang you."}}))
    client.force_login(caseworker)
    preview = {"_letter_template": "CMSL5807", "_letter_prefix": "letter", "letter-language": "en",
               "letter-choice_outcome": "TM_09173", "letter-text_update": "Reviewed."}
    responses = {
        "my work": client.get(reverse("my-work")),
        "case page": client.get(reverse("case-detail", args=[sr.reference])),
        "search": client.get(reverse("search"), {"q": sr.client.name}),
        "issued letter": client.get(reverse("letters:issued", args=[letter.pk])),
        "letter PDF": client.get(reverse("letters:download", args=[letter.pk])),
        "preview HTML": client.post(reverse("letters:preview", args=[sr.reference]), preview),
        "preview PDF": client.post(reverse("letters:preview", args=[sr.reference]) + "?format=pdf", preview),
        "not found": client.get("/sr/SR-1999-000001/"),
    }
    client.force_login(manager)
    responses["deadline CSV"] = client.get(reverse("sla:clock-list"), {"export": "csv"})
    responses["DG caselist CSV"] = client.get(reverse("sla:dg-caselist"), {"export": "csv"})
    assert responses["letter PDF"]["Content-Type"] == "application/pdf"
    assert responses["deadline CSV"]["Content-Type"].startswith("text/csv")
    assert {name: r.status_code for name, r in responses.items()} == {
        **{name: 200 for name in responses}, "not found": 404}
    assert [name for name, r in responses.items() if not no_store(r)] == []


def test_the_sign_in_page_is_not_stored_either_but_static_files_are_cacheable(client):
    assert no_store(client.get(reverse("login")))
    css = client.get("/static/letters/print.css")
    assert css.status_code == 200 and not no_store(css)
