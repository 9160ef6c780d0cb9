"""The renderer: fonts and CSS built once per process, and a url_fetcher
that serves only the app's own letter assets."""

import pytest
from weasyprint.urls import URLFetchingError

from letters import rendering

from .factories import pdf_text


@pytest.fixture
def fetcher():
    return rendering.get_renderer().fetcher


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://169.254.169.254/",
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "https://169.254.169.254/static/letters/print.css",
    "http://localhost:8000/static/letters/print.css",
    "https://example.org/static/letters/print.css",
    "data:text/plain;base64,SGVsbG8=",
    "ftp://letters.invalid/static/letters/print.css",
    f"{rendering.ASSET_ORIGIN}/static/govuk/govuk-frontend.min.css",  # a static file, but not a letter asset
    f"{rendering.ASSET_ORIGIN}/static/letters/../../etc/passwd",
    f"{rendering.ASSET_ORIGIN}/media/letters/2026/11/someone-else.pdf",
])
def test_url_fetcher_refuses(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


def test_url_fetcher_serves_the_apps_letter_assets(fetcher):
    response = fetcher.fetch(f"{rendering.ASSET_ORIGIN}/static/letters/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


def test_weasyprint_goes_through_the_fetcher_and_gets_nothing(caplog):
    """Hostile references in letter HTML render as nothing at all."""
    html = """<html><head><link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">
      <link rel="stylesheet" href="file:///etc/passwd"></head>
      <body><p>Body text</p><img src="file:///etc/passwd"><img src="http://169.254.169.254/">
      <iframe src="file:///etc/passwd"></iframe>
      <object data="file:///etc/passwd"></object></body></html>"""
    pdf = rendering.render_pdf(html)
    text = pdf_text(pdf.data)
    assert "Body text" in text and "root:" not in text
    assert "Letters may only use the app's own static files" in caplog.text


def test_fetch_wrapper_turns_a_refusal_into_weasyprints_error(fetcher):
    from weasyprint.urls import fetch

    with pytest.raises(URLFetchingError), fetch(fetcher, "file:///etc/passwd"):
        pass


def test_fonts_and_css_are_built_once_per_process():
    first = rendering.get_renderer()
    rendering.render_pdf("<p>one</p>")
    rendering.render_pdf("<p>two</p>")
    assert rendering.get_renderer() is first
    assert rendering.get_renderer().font_config is first.font_config
    assert rendering.get_renderer().stylesheet is first.stylesheet


def test_pdf_is_a4_with_the_reference_in_the_footer():
    import io

    import pypdf

    html = ('<html lang="en"><body><div class="running-reference">Our reference: SR-FOOT-1</div>'
            + "<p>Long text.</p>" * 200 + "</body></html>")
    pdf = rendering.render_pdf(html)
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    assert pdf.pages == len(reader.pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert "Our reference: SR-FOOT-1" in text and f"Page {number} of {pdf.pages}" in text


def _tagged(data: bytes) -> tuple[bool, bool, str]:
    import io

    import pypdf

    root = pypdf.PdfReader(io.BytesIO(data)).trailer["/Root"]
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info is not None and mark_info.get_object().get("/Marked"))
    return "/StructTreeRoot" in root, marked, str(root.get("/Lang", ""))


def test_letter_pdfs_are_tagged_for_screen_readers(review_team, caseworker):
    """Clients with screen readers receive these letters: a tagged PDF
    (PDF/UA), with its structure tree, marked content and language."""
    from letters.compose import load_layout, render_letter_html, resolve_composition, sample_facts
    from letters.models import LetterTemplate

    template = LetterTemplate.objects.get(code="CMSL5807")
    layout = load_layout(template)
    composition = resolve_composition(layout, {"free_text": {"update": "Reviewed."}}, "en", strict=False)
    html = render_letter_html(layout, composition, sample_facts(template, "en"), strict=False).html
    assert _tagged(rendering.render_pdf(html).data) == (True, True, "en")
    # The benchmark's baseline makes the same kind of PDF.
    assert _tagged(rendering.raw_render_pdf(html))[:2] == (True, True)
