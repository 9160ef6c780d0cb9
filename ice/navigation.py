""""ICE cases" in the service navigation, for the internal ICE team."""

from django.http import HttpRequest
from django.urls import reverse

from accounts.navigation import NavItem, register

from .selectors import in_an_ice_team


def ice_nav_item(request: HttpRequest) -> NavItem | None:
    shown = getattr(request, "_in_an_ice_team", None)
    if shown is None:
        shown = request._in_an_ice_team = in_an_ice_team(request.user)  # type: ignore[attr-defined]
    return NavItem("ICE cases", reverse("ice:queue"), 25) if shown else None


register(ice_nav_item)
