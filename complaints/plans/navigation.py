"""The "Approvals" item of the service navigation, for team leaders,
managers (plans referred to their grade) and the Head of Complaints Review,
with a badge counting what waits for them."""

from django.urls import reverse

from accounts.http import SignedInRequest
from accounts.navigation import NavItem, register

from .selectors import approvals_count


def approvals_nav_item(request: SignedInRequest) -> NavItem | None:
    if not request.user.has_perm("complaints.approve_plan"):
        return None
    # Context processors run again for templates rendered inside the page
    # (table cells): count once per request.
    count = getattr(request, "_approvals_waiting", None)
    if count is None:
        count = request._approvals_waiting = approvals_count(request.user)
    return NavItem("Approvals", reverse("approvals"), 30, badge=count)


register(approvals_nav_item)
