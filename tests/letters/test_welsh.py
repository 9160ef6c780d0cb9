"""Welsh letters: the team's Welsh name, and Welsh paragraphs flagged when
their English paragraph changes after them ("may be out of step")."""

import pytest
from django.urls import reverse

from letters.compose import facts_for_sr, sample_facts
from letters.models import LetterTemplate, Paragraph
from letters.services import save_paragraph
from tests.factories import ClientFactory, ServiceRequestFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_a_welsh_letter_names_the_team_in_welsh(caseworker):
    team = TeamFactory(name="Cardiff review team", name_cy="Tîm adolygu Caerdydd", route="review")
    sr = ServiceRequestFactory(route="review", team=team, owner=caseworker, client=ClientFactory(language="cy"))
    template = LetterTemplate.objects.get(code="CMSL5829")
    assert facts_for_sr(sr, template, "cy", caseworker, sr.created_at).values["team_name"] == "Tîm adolygu Caerdydd"
    assert facts_for_sr(sr, template, "en", caseworker, sr.created_at).values["team_name"] == "Cardiff review team"


def test_the_sample_preview_names_a_team_of_the_letters_route():
    resolution = LetterTemplate.objects.get(code="RES-OUTCOME")
    assert sample_facts(resolution, "en").values["team_name"] == "Complaints resolution team"
    assert sample_facts(resolution, "cy").values["team_name"] == "Tîm datrys cwynion"
    TeamFactory(name="Leeds resolution team", name_cy="Tîm datrys Leeds", route="resolution", phone="0113 000 0000")
    assert sample_facts(resolution, "cy").values["team_name"] == "Tîm datrys Leeds"
    assert sample_facts(LetterTemplate.objects.get(code="CMSL5800"), "en").values["team_name"] == \
        "Complaints review team"


def test_editing_an_english_paragraph_flags_its_welsh_version(client, letter_admin):
    english = Paragraph.objects.get(code="TM_09172")
    welsh = english.welsh
    assert not welsh.out_of_step
    client.force_login(letter_admin)
    url = reverse("admin:letters_paragraph_change", args=[english.pk])
    response = client.post(url, {"code": english.code, "language": "en", "english": "", "title": english.title,
                                 "text": english.text + " We are sorry."}, follow=True)
    page = response.content.decode()
    assert f"{welsh.code}, the Welsh version of {english.code}, may now be out of step" in page
    welsh = Paragraph.objects.select_related("english").get(pk=welsh.pk)
    assert welsh.out_of_step
    listing = client.get(reverse("admin:letters_paragraph_changelist")).content.decode()
    assert "may be out of step" in listing
    # Checked and saved again (changed or not), it is in step.
    save_paragraph(paragraph=welsh, actor=letter_admin)
    assert not Paragraph.objects.select_related("english").get(pk=welsh.pk).out_of_step
