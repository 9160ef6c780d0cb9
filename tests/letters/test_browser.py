"""In a real browser: a caseworker sends a letter from the case page —
choose it, write it, preview it in a new tab, issue it — and downloads the
PDF from the case page's Letters tab."""

import io
from pathlib import Path
from typing import Any

import pypdf
import pytest
from django.conf import settings

from letters.models import IssuedLetter
from tests.browser.actions import open_tab
from tests.factories import ClientFactory, ServiceRequestFactory

from .factories import squash

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_sends_a_letter_from_the_case_page_and_downloads_it(
    page, sign_in, caseworker, review_team, eager_celery
):
    sr = ServiceRequestFactory(route="review", state="awaiting_client_reply", team=review_team, owner=caseworker,
                               client=ClientFactory(name="Priya Natarajan"))
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    sign_in(caseworker)
    page.goto(f"/sr/{sr.reference}/")
    open_tab(page, "letters")
    page.click("#letters a:has-text('Send a letter')")
    page.wait_for_url(f"**/letters/sr/{sr.reference}/send/")

    page.check("input[name=template][value=CMSL5800]")
    page.click("button:has-text('Continue')")
    assert "Under “An update” write any corrective action" in page.inner_text("[data-testid=letter-guidance]")
    assert page.is_checked("#id_letter-language_0")  # English, the client's preference

    page.fill("#id_letter-text_update", "We have corrected the date your payments were recorded.")
    with page.expect_popup() as popup_info:
        page.click("button:has-text('Preview letter')")
    preview = popup_info.value
    preview.wait_for_load_state()
    assert "Priya Natarajan" in preview.inner_text("body")
    assert "We have corrected the date your payments were recorded." in preview.inner_text("body")
    preview.close()
    assert not IssuedLetter.objects.exists()  # a preview issues nothing

    page.click("button:has-text('Issue letter')")
    page.wait_for_selector(".govuk-panel--confirmation")
    assert "CMSL5800 issued" in page.inner_text(".govuk-panel__title")
    letter = IssuedLetter.objects.get(sr=sr)
    assert letter.is_ready  # rendered after commit (eager worker in this test)

    page.goto(f"/sr/{sr.reference}/")
    open_tab(page, "letters")
    assert "Ready" in page.inner_text("[data-testid=sr-letters]")
    assert letter.sha256[:12] in page.inner_text("[data-testid=sr-letters]")
    with page.expect_download() as download_info:
        page.click("[data-testid=sr-letters] a:has-text('Download')")
    download = download_info.value
    assert download.suggested_filename == f"{sr.reference}-CMSL5800.pdf"
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF")
    text = squash(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))
    assert "Priya Natarajan" in text and sr.reference in text
    assert "We have corrected the date your payments were recorded." in text
    assert csp_errors == []


AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"


def violations(page: Any) -> list[str]:
    """axe-core on what the letters pages put in <main>. The layout around
    it (templates/base.html: banner, back link slot) is checked by tests/browser."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run({include: [['main']]}, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({v['nodes'][0]['html'][:120]})" for v in result["violations"]]


def test_letter_pages_have_no_axe_violations(_browser, live_server, caseworker, review_team):
    sr = ServiceRequestFactory(route="review", state="awaiting_closure_agreement", team=review_team,
                               owner=caseworker)
    context = _browser.new_context(base_url=live_server.url, bypass_csp=True)  # axe is injected by the test
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("#id_username", caseworker.username)
        page.fill("#id_password", "correct-horse-battery")
        page.click("button:has-text('Sign in')")
        page.wait_for_selector("[data-testid=signed-in-user]")
        send = f"/letters/sr/{sr.reference}/send/"
        for url in [send, f"{send}?template=CMSL5805", f"{send}?template=NOPE"]:
            page.goto(url)
            assert violations(page) == [], url
        page.goto(f"{send}?template=CMSL5805")
        page.click("button:has-text('Issue letter')")  # nothing written: the error summary
        page.wait_for_selector(".govuk-error-summary")
        assert violations(page) == [], "compose page with errors"
        page.fill("#id_letter-text_what_this_means", "We refunded the fee.")
        page.click("button:has-text('Issue letter')")
        page.wait_for_selector(".govuk-panel--confirmation")
        assert violations(page) == [], "issued page"
        letter = IssuedLetter.objects.get(sr=sr)
        page.goto(f"/letters/{letter.pk}/download/")
        assert "still being produced" in page.inner_text("h1")
        assert violations(page) == [], "not ready page"
    finally:
        context.close()
