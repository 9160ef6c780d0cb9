"""Send a letter, preview, the issued page, download and the case-page
partial: what each role sees and may do."""

from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from complaints.models import ServiceRequest
from letters.forms import LetterCompositionForm
from letters.models import IssuedLetter, LetterTemplate
from letters.selectors import letters_for_sr

from .factories import issue, pdf_text, render, sr_for


@pytest.fixture
def sr(review_team, caseworker):
    return sr_for(LetterTemplate.objects.get(code="CMSL5807"), team=review_team, owner=caseworker)


def send_url(sr: ServiceRequest, template: Any = None):
    url = reverse("letters:send", args=[sr.reference])
    return f"{url}?template={template}" if template else url


def test_send_page_lists_templates_allowed_in_this_state_with_guidance(client, caseworker, sr):
    client.force_login(caseworker)
    page = client.get(send_url(sr)).content.decode()
    assert "CMSL5807 – Keeping you informed about your complaint" in page
    assert "TM 09172 is the default closing paragraph" in page  # guidance as the radio's hint
    assert 'value="CMSL5800"' not in page  # not allowed while awaiting closure agreement
    assert 'value="RES-ACK"' not in page


def test_compose_page_shows_defaults_guidance_and_preview_buttons(client, caseworker, sr):
    client.force_login(caseworker)
    page = client.get(send_url(sr, "CMSL5807")).content.decode()
    assert 'class="govuk-inset-text" data-testid="letter-guidance"' in page
    assert 'value="TM_09172" aria-describedby="id_letter-choice_outcome_0-item-hint" checked' in page
    assert 'value="TM_09173" aria-describedby="id_letter-choice_outcome_1-item-hint">' in page
    assert 'data-module="govuk-character-count" data-maxlength="3000"' in page
    assert 'id="id_letter-language_0" name="letter-language" type="radio" value="en" checked' in page
    assert f'formaction="{reverse("letters:preview", args=[sr.reference])}" formtarget="_blank"' in page
    assert "<script>" not in page.split("<main")[1]  # no inline JS on app pages (CSP)


def test_welsh_is_preselected_for_a_welsh_speaker(client, caseworker, sr):
    sr.client.language = "cy"
    sr.client.save(update_fields=["language"])
    client.force_login(caseworker)
    page = client.get(send_url(sr, "CMSL5807")).content.decode()
    assert 'type="radio" value="cy" checked' in page


def test_issue_from_the_send_page(client, caseworker, sr):
    client.force_login(caseworker)
    response = client.post(send_url(sr), {
        "template": "CMSL5807", "letter-language": "en", "letter-choice_outcome": "TM_09173",
        "letter-text_update": "A senior member of the team reviewed your complaint.",
    })
    letter = IssuedLetter.objects.get(sr=sr)
    assert response.status_code == 302 and response["Location"] == reverse("letters:issued", args=[letter.pk])
    assert letter.composition["choices"] == {"outcome": "TM_09173"}
    page = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in page and "CMSL5807 issued" in page
    assert "being produced" in page  # no worker ran in this test
    render(letter)
    page = client.get(response["Location"]).content.decode()
    assert reverse("letters:download", args=[letter.pk]) in page


def test_missing_free_text_is_an_error_on_the_page_not_a_server_error(client, caseworker, sr):
    client.force_login(caseworker)
    response = client.post(send_url(sr), {"template": "CMSL5807", "letter-language": "en",
                                          "letter-choice_outcome": "TM_09172", "letter-text_update": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Write the “An update” section of the letter" in page
    assert 'href="#id_letter-text_update"' in page
    assert not IssuedLetter.objects.exists()


def test_unknown_template_goes_back_to_the_choice_with_an_error(client, caseworker, sr):
    client.force_login(caseworker)
    page = client.get(send_url(sr, "CMSL5800")).content.decode()
    assert "Choose one of the letters listed" in page


def test_preview_shows_what_has_been_typed_with_gaps_marked(client, caseworker, sr):
    client.force_login(caseworker)
    url = reverse("letters:preview", args=[sr.reference])
    data = {"_letter_template": "CMSL5807", "_letter_prefix": "letter", "letter-language": "en",
            "letter-choice_outcome": "TM_09173", "letter-text_update": "Reviewed by <b>a senior</b> manager."}
    page = client.post(url, data).content.decode()
    assert sr.client.name in page and "Reviewed by &lt;b&gt;a senior&lt;/b&gt; manager." in page
    assert "please be assured that we have followed a thorough" in page
    assert '/static/letters/print.css' in page
    data["letter-text_update"] = ""
    assert "[An update: still to be written]" in client.post(url, data).content.decode()
    pdf = client.post(url + "?format=pdf", {**data, "letter-text_update": "PDF preview text."})
    assert pdf["Content-Type"] == "application/pdf" and "PDF preview text." in pdf_text(pdf.content)
    assert not IssuedLetter.objects.exists()


def test_download_is_404_with_a_clear_page_until_rendered_then_the_pdf(client, caseworker, sr):
    letter = issue(sr=sr, actor=caseworker, code="CMSL5807", composition={"free_text": {"update": "x"}})
    client.force_login(caseworker)
    url = reverse("letters:download", args=[letter.pk])
    response = client.get(url)
    assert response.status_code == 404 and "is still being produced" in response.content.decode()
    render(letter)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="{sr.reference}-CMSL5807.pdf"' in response["Content-Disposition"]
    assert sr.client.name in pdf_text(b"".join(response.streaming_content))


def test_outsider_gets_404_everywhere_and_manager_403_for_sending(client, outsider, manager, caseworker, sr):
    letter = render(issue(sr=sr, actor=caseworker, code="CMSL5807", composition={"free_text": {"update": "x"}}))
    client.force_login(outsider)
    assert client.get(send_url(sr)).status_code == 404
    assert client.post(reverse("letters:preview", args=[sr.reference]), {"_letter_template": "CMSL5807"}).status_code == 404
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 404
    assert client.get(reverse("letters:issued", args=[letter.pk])).status_code == 404
    assert client.get(reverse("letters:download", args=[999999])).status_code == 404
    client.force_login(manager)  # sees the team's SRs, may not act on them
    assert client.get(send_url(sr)).status_code == 403
    assert client.post(send_url(sr), {"template": "CMSL5807"}).status_code == 403
    assert client.get(reverse("letters:download", args=[letter.pk])).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, sr):
    response = client.get(send_url(sr))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_case_page_partial_lists_letters_with_status_hash_and_download(caseworker, sr, manager):
    ready = render(issue(sr=sr, actor=caseworker, code="CMSL5807", composition={"free_text": {"update": "x"}}))
    pending = issue(sr=sr, actor=caseworker, code="CMSL5807", composition={"free_text": {"update": "y"}})
    request = RequestFactory().get("/")
    request.user = caseworker
    html = render_to_string("letters/_sr_letters.html", {"sr": sr, "letters": letters_for_sr(sr), "request": request})
    assert "Ready" in html and "Rendering" in html
    assert ready.sha256[:12] in html
    assert reverse("letters:download", args=[ready.pk]) in html
    assert reverse("letters:issued", args=[pending.pk]) in html
    empty = render_to_string("letters/_sr_letters.html", {"sr": sr, "letters": [], "request": request})
    assert "No letters have been issued" in empty


def test_can_send_letters_filter_follows_can_work(caseworker, manager, sr):
    from letters.templatetags.letters import can_send_letters

    assert can_send_letters(caseworker, sr) and not can_send_letters(manager, sr)


def test_composition_form_gives_issue_letter_its_dict(sr):
    form = LetterCompositionForm({"letter-language": "cy", "letter-choice_outcome": "TM_09173",
                                  "letter-text_update": "  Text  "}, template_code="CMSL5807", sr=sr)
    assert form.is_valid(), form.errors
    assert form.composition() == {"language": "cy", "choices": {"outcome": "TM_09173"}, "free_text": {"update": "Text"}}
    bad = LetterCompositionForm({"letter-language": "en", "letter-choice_outcome": "TM_1"}, template_code="CMSL5807", sr=sr)
    assert not bad.is_valid() and set(bad.errors) == {"choice_outcome", "text_update"}
