"""Site-wide odds and ends."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from accounts.http import SignedInRequest

FAVICON = settings.NODE_MODULES / "govuk-frontend" / "dist" / "govuk" / "assets" / "images" / "favicon.ico"


@require_GET
@cache_control(max_age=86_400, public=True)
def favicon(request: SignedInRequest) -> FileResponse:
    """Browsers ask for /favicon.ico on pages that name none (Django admin):
    GOV.UK Frontend's icon, which our own pages link to."""
    if not FAVICON.is_file():
        raise Http404("No favicon: run `make setup` to install GOV.UK Frontend")
    return FileResponse(FAVICON.open("rb"), content_type="image/x-icon")
