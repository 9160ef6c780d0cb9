"""Every seeded template issues and renders to a PDF that reads right: the
client's name, the reference and every paragraph chosen, in English and
Welsh, for England & Wales and Northern Ireland clients."""

import itertools

import pytest

from letters.compose import facts_for_sr
from letters.models import LetterTemplate, Paragraph
from tests.factories import ClientFactory

from .factories import contains_text, expected_text, free_text_for, issue, pdf_text, render, sr_for

SEEDED = ["RES-ACK", "RES-OUTCOME", "CMSL5800", "CMSL5801", "CMSL5803", "CMSL5804", "CMSL5805", "CMSL5806",
          "CMSL5807", "CMSL5829", "CMSL5844", "ICE-FIG-ACK"]


def compositions(template: LetterTemplate) -> list[dict[str, str]]:
    """Every combination of choose-one options, so each paragraph is printed once."""
    groups: dict[str, list[str]] = {}
    for part in template.parts.filter(kind="choice").select_related("paragraph").order_by("position"):
        groups.setdefault(part.key, []).append(part.paragraph.code)
    keys = list(groups)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*groups.values())] or [{}]


def test_every_template_the_seeds_name_is_seeded(db):
    assert set(SEEDED) <= set(LetterTemplate.objects.values_list("code", flat=True))
    for code in ["LM_00008", "LM_00009", "TM_09172", "TM_09173", "TM_09669_E", "TM_09669_W", "TM_09670_E",
                 "TM_09670_W", "CW_ICE_SIGNPOST_E"]:
        assert Paragraph.objects.filter(code=code).exists(), code
    enclosure = LetterTemplate.objects.get(code="CMSL5807").parts.get(kind="enclosure")
    assert (enclosure.key, enclosure.heading) == ("CMSB0011", "Complaints information leaflet")
    # Every English paragraph has its Welsh variant beside it.
    assert not Paragraph.objects.filter(language="en", welsh__isnull=True).exists()


@pytest.mark.parametrize("code", SEEDED)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_seeded_template_renders_every_paragraph(code, language, review_team, caseworker):
    template = LetterTemplate.objects.get(code=code)
    for choices in compositions(template):
        client = ClientFactory(name="Bethan Ellis-Price", language=language)
        sr = sr_for(template, team=review_team, owner=caseworker, client=client)
        free_text = free_text_for(template)
        letter = render(issue(sr=sr, actor=caseworker, code=code,
                              composition={"choices": choices, "free_text": free_text}))
        assert letter.language == language  # the client's preference is the default
        assert letter.is_ready and len(letter.sha256) == 64 and letter.page_count >= 1
        text = pdf_text(letter)
        assert "Bethan Ellis-Price" in text
        assert sr.reference in text
        values = facts_for_sr(sr, template, language, caseworker, letter.issued_at).values
        assert letter.paragraph_versions, "the letter records which paragraph versions it used"
        for paragraph_code in letter.paragraph_versions:
            paragraph = Paragraph.objects.get(code=paragraph_code)
            assert paragraph.language == language
            assert contains_text(text, expected_text(paragraph.text, values)), (code, paragraph_code, text)
        for chosen in choices.values():
            expected_code = chosen if language == "en" else Paragraph.objects.get(code=chosen).welsh.code
            assert expected_code in letter.paragraph_versions
        for body in free_text.values():
            assert contains_text(text, body)
        heading = template.heading if language == "en" else template.heading_cy
        assert contains_text(text, heading)
        assert ("Tudalen 1 o" if language == "cy" else "Page 1 of") in text


def test_welsh_letter_uses_welsh_paragraphs_and_page_numbers(review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5807")
    sr = sr_for(template, team=review_team, owner=caseworker, client=ClientFactory(language="cy"))
    letter = render(issue(sr=sr, actor=caseworker, code="CMSL5807",
                          composition={"free_text": {"update": "Mae uwch aelod o’r tîm wedi adolygu’r gŵyn."}}))
    text = pdf_text(letter)
    assert letter.language == "cy"
    assert "TM_09172_W" in letter.paragraph_versions and "TM_09172" not in letter.paragraph_versions
    assert "Rydym yn sylweddoli efallai nad ein hymateb" in text
    assert "Annwyl" in text and "Yn gywir" in text and "Tudalen 1 o" in text
    assert "Taflen wybodaeth am gwynion" in text
    assert "Mae uwch aelod o’r tîm wedi adolygu’r gŵyn." in text


def test_english_letter_for_a_welsh_speaker_when_asked(review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5806")
    sr = sr_for(template, team=review_team, owner=caseworker, client=ClientFactory(language="cy"))
    letter = render(issue(sr=sr, actor=caseworker, code="CMSL5806",
                          composition={"language": "en", "free_text": {"what_this_means": "We refunded the fee."}}))
    assert letter.language == "en" and "Dear" in pdf_text(letter)


def test_northern_ireland_letter_names_nicms_and_the_ni_ombudsman(review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5800")
    client = ClientFactory(name="Ciaran Doherty", region="northern-ireland", town="Belfast", postcode="BT1 1AA")
    sr = sr_for(template, team=review_team, owner=caseworker, client=client)
    letter = render(issue(sr=sr, actor=caseworker, code="CMSL5800",
                          composition={"free_text": {"update": "We checked the calculation again."}}))
    text = pdf_text(letter)
    assert "Northern Ireland Child Maintenance Service" in text
    assert "Northern Ireland Public Services Ombudsman" in text
    assert "MP or MLA" in text
    assert "Parliamentary and Health Service Ombudsman" not in text
    assert "Child Maintenance Group" not in text


def test_england_letter_names_cmg_and_phso(review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5800")
    sr = sr_for(template, team=review_team, owner=caseworker)
    letter = render(issue(sr=sr, actor=caseworker, code="CMSL5800",
                          composition={"free_text": {"update": "We checked the calculation again."}}))
    text = pdf_text(letter)
    assert "Child Maintenance Group" in text and "Parliamentary and Health Service Ombudsman" in text
    assert "Millbank Tower" in text and "0345 606 0777" in text and "PO Box 209" in text
