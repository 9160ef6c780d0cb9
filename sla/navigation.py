from django.http import HttpRequest
from django.urls import reverse

from accounts.navigation import NavItem

from .permissions import can_view_dashboard


def dashboard_nav_item(request: HttpRequest) -> NavItem | None:
    """"Dashboard" in the service navigation, for managers and team leaders."""
    if not can_view_dashboard(request.user):
        return None
    return NavItem("Dashboard", reverse("sla:dashboard"), 40)
