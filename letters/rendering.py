"""HTML → PDF with WeasyPrint.

Building a FontConfiguration and parsing the print CSS cost more than
laying out a short letter, so each process builds them once (lazily, or
at worker start via tasks.warm_renderer) and reuses them for every letter.

The url_fetcher serves only this app's own static files: a letter can never
read the server's disk (file://) or reach the network (cloud metadata
addresses, internal services) whatever ends up in its HTML.
"""

import logging
import mimetypes
import threading
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint logs every step at INFO, starting while it is imported: one
# line per letter step is noise in worker logs.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

PRINT_CSS = Path(__file__).resolve().parent / "static" / "letters" / "print.css"
# Relative URLs in letter HTML resolve against this made-up origin; it is
# the only origin the fetcher answers for, and only for letters/ assets.
ASSET_ORIGIN = "https://letters.invalid"
ALLOWED_PREFIX = "letters/"


class StaticOnlyFetcher(URLFetcher):
    """Serves `ASSET_ORIGIN/static/letters/...` from staticfiles; refuses
    everything else (file://, data:, http(s) to any other host)."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=["https"], allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        static_url = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/" + settings.STATIC_URL
        if origin != ASSET_ORIGIN or not parts.path.startswith(static_url):
            raise ValueError(f"Letters may only use the app's own static files, not {url[:80]}")
        relative = unquote(parts.path[len(static_url):])
        if not relative.startswith(ALLOWED_PREFIX) or ".." in relative.split("/"):
            raise ValueError(f"Not a letter asset: {relative[:80]}")
        found = finders.find(relative)
        if not found:
            raise ValueError(f"No such letter asset: {relative[:80]}")
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})


@dataclass(frozen=True)
class Renderer:
    font_config: FontConfiguration
    stylesheet: CSS
    fetcher: StaticOnlyFetcher

    @property
    def base_url(self) -> str:
        return ASSET_ORIGIN + settings.STATIC_URL


_lock = threading.Lock()


@cache
def _renderer() -> Renderer:
    font_config = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    stylesheet = CSS(
        string=PRINT_CSS.read_text(encoding="utf-8"), font_config=font_config, url_fetcher=fetcher,
        base_url=ASSET_ORIGIN + settings.STATIC_URL + "letters/",
    )
    return Renderer(font_config=font_config, stylesheet=stylesheet, fetcher=fetcher)


def get_renderer() -> Renderer:
    """This process's renderer, built on first use."""
    with _lock:
        return _renderer()


# Tagged PDF (PDF/UA-1): the structure, reading order and language a screen
# reader needs. Clients who use one receive these letters.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    pages: int


def render_pdf(html: str) -> PdfResult:
    renderer = get_renderer()
    document = HTML(string=html, base_url=renderer.base_url, url_fetcher=renderer.fetcher).render(
        stylesheets=[renderer.stylesheet], font_config=renderer.font_config
    )
    out = BytesIO()
    document.write_pdf(out, **PDF_OPTIONS)
    return PdfResult(data=out.getvalue(), pages=len(document.pages))


def raw_render_pdf(html: str) -> bytes:
    """Plain WeasyPrint on the same HTML and CSS, nothing reused, making the
    same (tagged) PDF: what the benchmark compares the product's pipeline
    against."""
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=PRINT_CSS.read_text(encoding="utf-8"))],
                                       **PDF_OPTIONS)
