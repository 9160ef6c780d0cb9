"""Text users read speaks of their work, never of documents they have not
seen: no "seed", "step 12", "the overview", "DESIGN" or "specification" in
transition help, letter guidance and hints, paragraph titles or deadline
rules (letter guidance quoted "(seed 001, step 12)" and "(the overview
seed: …)")."""

import re

import pytest

from complaints.models import ServiceRequest
from complaints.routes import REGISTRY, as_route
from complaints.services.transitions import all_transitions
from letters.models import LetterTemplate, Paragraph, TemplatePart
from sla.models import DeadlineRule

pytestmark = pytest.mark.django_db

SPEC_TALK = re.compile(r"\bseeds?\b|\bsteps? \d|\boverview\b|\bDESIGN\b|specification", re.IGNORECASE)


def _texts() -> list[tuple[str, str]]:
    found = []
    for route in REGISTRY:
        for name, t in all_transitions(as_route(ServiceRequest(route=route))).items():
            for key in ("label", "help", "who"):
                found.append((f"{route} {name} {key}", str(t.custom.get(key, ""))))
    for template in LetterTemplate.objects.all():
        found += [(f"{template.code} guidance", template.guidance), (f"{template.code} heading", template.heading)]
    for part in TemplatePart.objects.select_related("template"):
        found += [(f"{part.template.code} part hint", part.hint), (f"{part.template.code} part", part.heading)]
    for paragraph in Paragraph.objects.all():
        found += [(f"{paragraph.code} title", paragraph.title), (f"{paragraph.code} text", paragraph.text)]
    for rule in DeadlineRule.objects.all():
        found += [(f"rule {rule.code}", f"{rule.name} {rule.starts_when} {rule.met_when}")]
    return found


def test_no_text_users_read_quotes_the_specification():
    quoting = [(where, text) for where, text in _texts() if SPEC_TALK.search(text)]
    assert quoting == []


@pytest.mark.parametrize(("code", "plain", "cited"), [
    ("CMSL5801", "for the client's agreement.", "for the client's agreement (seed 001, step 12)."),
    ("RES-ACK", ": a formal complaint is acknowledged by post straight after it is logged",
     "(the overview seed: acknowledge a formal complaint by post straight after it is logged)"),
])
def test_the_migration_rewords_guidance_already_in_a_database(code, plain, cited):
    from importlib import import_module

    from django.apps import apps

    template = LetterTemplate.objects.get(code=code)
    assert plain in template.guidance
    LetterTemplate.objects.filter(pk=template.pk).update(guidance=template.guidance.replace(plain, cited))
    import_module("letters.migrations.0004_guidance_in_plain_words").reword(apps, None)
    template.refresh_from_db()
    assert plain in template.guidance
    assert not SPEC_TALK.search(template.guidance)
    assert template.versions.order_by("-version").first().snapshot["guidance"] == template.guidance
