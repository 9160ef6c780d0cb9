from django.conf import settings
from django.http import HttpRequest

from accounts.navigation import navigation_for


def service(request: HttpRequest) -> dict:
    """Service name, environment (for the phase banner) and the navigation
    items this user's roles use, with their notification counts."""
    return {
        "service_name": settings.SERVICE_NAME,
        "environment_name": settings.ENVIRONMENT_NAME,
        "show_phase_banner": settings.ENVIRONMENT_NAME != "production",
        "nav_items": navigation_for(request),
    }
