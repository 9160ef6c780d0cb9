"""Letter admin: every save is a new version with visible history,
placeholders are checked, and templates preview as HTML and PDF."""

from typing import Any

import pytest
from django.urls import reverse

from letters.models import LetterTemplate, Paragraph, TemplatePart

from .factories import pdf_text


def paragraph_post(paragraph: Paragraph, **changes: Any) -> dict:
    data = {"code": paragraph.code, "language": paragraph.language, "english": paragraph.english_id or "",
            "title": paragraph.title, "text": paragraph.text}
    data.update(changes)
    return data


def template_post(template: LetterTemplate, **changes: Any) -> dict:
    import json

    parts = list(template.parts.order_by("position"))
    data = {
        "code": template.code, "heading": template.heading, "heading_cy": template.heading_cy,
        "guidance": template.guidance, "allowed_states": json.dumps(template.allowed_states),
        "reply_days": template.reply_days or "", "active": "on" if template.active else "",
        "parts-TOTAL_FORMS": len(parts), "parts-INITIAL_FORMS": len(parts),
        "parts-MIN_NUM_FORMS": 0, "parts-MAX_NUM_FORMS": 1000,
    }
    for i, part in enumerate(parts):
        for name in ("position", "kind", "key", "heading", "heading_cy", "max_length", "hint"):
            data[f"parts-{i}-{name}"] = getattr(part, name)
        data[f"parts-{i}-id"] = part.pk
        data[f"parts-{i}-template"] = template.pk
        data[f"parts-{i}-paragraph"] = part.paragraph_id or ""
        if part.is_default:
            data[f"parts-{i}-is_default"] = "on"
        if part.required:
            data[f"parts-{i}-required"] = "on"
    data.update(changes)
    return data


def test_letter_admin_edits_a_paragraph_which_makes_a_new_version_with_history(client, letter_admin):
    paragraph = Paragraph.objects.get(code="TM_09172")
    client.force_login(letter_admin)
    url = reverse("admin:letters_paragraph_change", args=[paragraph.pk])
    response = client.post(url, paragraph_post(paragraph, text="We realise this may not be the answer you hoped for."))
    assert response.status_code == 302, response.content.decode()[:2000]
    paragraph.refresh_from_db()
    assert paragraph.version == 2 and paragraph.updated_by == letter_admin
    assert list(paragraph.versions.values_list("version", flat=True)) == [2, 1]
    page = client.get(url).content.decode()
    assert "We realise this may not be the answer you hoped for." in page  # the preview
    assert "Version" in page and "Lena Letters" in page  # history, with who
    assert "CMSL5807" in page  # used in, with preview links
    # Saving again without a change makes no new version.
    client.post(url, paragraph_post(paragraph))
    assert Paragraph.objects.get(pk=paragraph.pk).version == 2


@pytest.mark.parametrize("text, message", [
    ("{% load static %}", "template tags and comments are not allowed"),
    ("{{ request }}", "is not a placeholder we know"),
    ("{{ client.__class__ }}", "attribute access"),
    ("{{ nobody_knows }}", "is not a placeholder we know"),
])
def test_admin_refuses_template_code_with_a_clear_message(client, letter_admin, text, message):
    paragraph = Paragraph.objects.get(code="TM_09173")
    client.force_login(letter_admin)
    response = client.post(reverse("admin:letters_paragraph_change", args=[paragraph.pk]),
                           paragraph_post(paragraph, text=f"Hello {text}"))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&quot;", '"').replace("&#x27;", "'")
    assert Paragraph.objects.get(pk=paragraph.pk).version == 1


def test_template_preview_html_and_pdf_with_sample_data(client, letter_admin):
    template = LetterTemplate.objects.get(code="CMSL5807")
    client.force_login(letter_admin)
    url = reverse("admin:letters_lettertemplate_preview", args=[template.pk])
    html = client.get(url).content.decode()
    assert "Alex Sample" in html and "SR-SAMPLE-0001" in html and "(Sample text)" in html
    pdf = client.get(url + "?format=pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "Alex Sample" in text and "Parliamentary and Health Service Ombudsman" in text
    ni = pdf_text(client.get(url + "?format=pdf&region=northern-ireland").content)
    assert "Northern Ireland Public Services Ombudsman" in ni
    assert "Annwyl Alex Sample" in client.get(url + "?language=cy").content.decode()
    change = client.get(reverse("admin:letters_lettertemplate_change", args=[template.pk])).content.decode()
    assert "Preview HTML" in change and "Preview PDF" in change


def test_template_edit_makes_a_version_and_checks_its_parts(client, letter_admin):
    template = LetterTemplate.objects.get(code="CMSL5807")
    client.force_login(letter_admin)
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    response = client.post(url, template_post(template, guidance="New guidance for caseworkers."))
    assert response.status_code == 302, response.content.decode()[:3000]
    template.refresh_from_db()
    assert template.version == 2 and template.versions.count() == 2
    assert template.versions.get(version=2).snapshot["guidance"] == "New guidance for caseworkers."

    # Two defaults in one choose-one group is refused.
    data = template_post(template)
    for i, part in enumerate(template.parts.order_by("position")):
        if part.kind == "choice":
            data[f"parts-{i}-is_default"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs exactly one default option (it has 2)" in response.content.decode()

    # So are unknown states and template code in headings.
    response = client.post(url, template_post(template, allowed_states='{"resolution": ["nowhere"], "post": ["x"]}',
                                              heading="Hi {{ request.user }}"))
    page = response.content.decode()
    assert "attribute access" in page
    assert "resolution: unknown states nowhere" in page and "“post” is not a route" in page
    assert LetterTemplate.objects.get(pk=template.pk).version == 2


def test_letter_admin_cannot_delete_and_caseworkers_cannot_edit(client, letter_admin, caseworker):
    client.force_login(letter_admin)
    paragraph = Paragraph.objects.get(code="TM_09172")
    assert client.get(reverse("admin:letters_paragraph_delete", args=[paragraph.pk])).status_code == 403
    client.force_login(caseworker)
    response = client.get(reverse("admin:letters_paragraph_change", args=[paragraph.pk]))
    assert response.status_code == 302  # not staff: sent to the admin sign-in


def test_template_parts_are_kept_in_order(db):
    positions = list(TemplatePart.objects.filter(template__code="CMSL5807").values_list("position", flat=True))
    assert positions == sorted(positions)


def test_each_part_has_its_own_position_and_two_parts_can_swap(client, letter_admin):
    """(template, position) names a part in fixtures and library files, so two
    parts may not share a position; swapping two in one save still works."""
    template = LetterTemplate.objects.get(code="CMSL5807")
    client.force_login(letter_admin)
    url = reverse("admin:letters_lettertemplate_change", args=[template.pk])
    parts = list(template.parts.order_by("position"))

    response = client.post(url, template_post(template, **{"parts-1-position": parts[0].position}))
    assert response.status_code == 200
    assert f"2 parts are at position {parts[0].position}: give each part its own position." in \
        response.content.decode()
    assert LetterTemplate.objects.get(pk=template.pk).version == 1

    # The two choose-one options change places.
    first, second = (i for i, p in enumerate(parts) if p.kind == "choice")
    response = client.post(url, template_post(template, **{f"parts-{first}-position": parts[second].position,
                                                            f"parts-{second}-position": parts[first].position}))
    assert response.status_code == 302, response.content.decode()[:3000]
    options = list(template.parts.filter(kind="choice").order_by("position").values_list("paragraph__code",
                                                                                          flat=True))
    assert options == ["TM_09173", "TM_09172"]
