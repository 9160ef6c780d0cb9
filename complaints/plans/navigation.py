"""The "Approvals" item of the service navigation, for team leaders,
managers (plans referred to their grade) and the Head of Complaints Review,
with a badge counting what waits for them."""


from accounts.http import SignedInRequest, per_request
from accounts.navigation import NavItem, register
from prepared.urls import reverse

from ..generations import KeptPerTeams
from .selectors import approvals_count

kept_approvals = KeptPerTeams("approvals", int, shown_to=lambda user: user.has_perm("complaints.approve_plan"))


def approvals_nav_item(request: SignedInRequest) -> NavItem | None:
    if not request.user.has_perm("complaints.approve_plan"):
        return None
    count = per_request(request, "approvals_waiting",
                        lambda: kept_approvals(request.user, lambda: approvals_count(request.user)))
    return NavItem("Approvals", reverse("approvals"), 30, badge=count)


register(approvals_nav_item)
