"""PDF previews of a letter being written, rendered in the web process.

WeasyPrint takes 2–3 seconds a letter, so an unbounded preview button is a
cheap way to tie up the web tier. Two measures, both in the cache:

- the same content is rendered once: a preview is kept for PREVIEW_TTL
  seconds under the hash of its HTML (the caseworker presses "Preview PDF"
  again after changing nothing, or two tabs show the same letter);
- each user may have at most PDF_PREVIEWS_PER_MINUTE new renders a minute;
  past that they are asked to wait (429), and the HTML preview still works.

Rendering stays in the web process rather than the Celery worker because
the caseworker is waiting for it: a queue behind issued letters would make
every preview slow, while the limit bounds what one user can take. With the
cache unreachable (config.cache) previews are rendered and not limited:
Redis being down must not stop anyone working.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from complaints.services.errors import ServiceError

PREVIEW_TTL = 10 * 60


class TooManyPreviews(ServiceError):
    status_code = 429


def window_key(user_id: int) -> str:
    """The cache key counting a user's new renders this minute."""
    return f"letter-preview-count:{user_id}:{timezone.now():%Y%m%d%H%M}"


def preview_pdf(*, user_id: int, html: str) -> bytes:
    from .rendering import render_pdf  # WeasyPrint loads only when a PDF is wanted

    key = f"letter-preview:{hashlib.sha256(html.encode()).hexdigest()}"
    data = cache.get(key)
    if data is not None:
        return data
    limit = settings.PDF_PREVIEWS_PER_MINUTE
    window = window_key(user_id)
    cache.add(window, 0, 120)
    if cache.incr(window) > limit:
        raise TooManyPreviews(
            f"You asked for more than {limit} PDF previews in a minute. Wait a minute and try again — "
            "the preview in the page (not PDF) still works. Nothing you typed is lost.")
    data = render_pdf(html).data
    cache.set(key, data, PREVIEW_TTL)
    return data
