from accounts.http import SignedInRequest
from accounts.navigation import NavItem, count_on_my_work
from prepared.urls import reverse

from .permissions import can_view_dashboard
from .selectors import open_task_count


@count_on_my_work
def open_tasks_badge(request: SignedInRequest) -> int:
    """The badge on My work: the user's open tasks (one indexed COUNT)."""
    return open_task_count(request.user)


def dashboard_nav_item(request: SignedInRequest) -> NavItem | None:
    """"Dashboard" in the service navigation, for managers and team leaders."""
    if not can_view_dashboard(request.user):
        return None
    return NavItem("Dashboard", reverse("sla:dashboard"), 40)


def dg_caselist_nav_item(request: SignedInRequest) -> NavItem | None:
    """"DG caselist" beside the dashboard, for the same people."""
    if not can_view_dashboard(request.user):
        return None
    return NavItem("DG caselist", reverse("sla:dg-caselist"), 45)


def mi_nav_item(request: SignedInRequest) -> NavItem | None:
    """"MI" (the ICE, PHSO and parliamentary-contact stages), for the same people."""
    if not can_view_dashboard(request.user):
        return None
    return NavItem("MI", reverse("sla:mi"), 46)
