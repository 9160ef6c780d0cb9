""""ICE cases" in the service navigation, for the internal ICE team."""

from django.urls import reverse

from accounts.http import SignedInRequest, per_request
from accounts.navigation import NavItem, register

from .selectors import in_an_ice_team


def ice_nav_item(request: SignedInRequest) -> NavItem | None:
    shown = per_request(request, "in_an_ice_team", lambda: in_an_ice_team(request.user))
    return NavItem("ICE cases", reverse("ice:queue"), 25) if shown else None


register(ice_nav_item)
