"""The Approvals tab: what waits for this team leader's (or higher grade's)
decision, oldest first, with the amount and the deadline pressure."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import SignedInRequest

from ..tables import paginate
from .selectors import approvals_waiting_for
from .tables import ApprovalsTable


@login_required
def approvals(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("complaints.approve_plan"):
        raise PermissionDenied("Only team leaders, managers and the Head of Complaints Review approve plans.")
    table = ApprovalsTable(approvals_waiting_for(request.user))
    paginate(request, table, per_page=50)
    return render(request, "complaints/approvals.html", {"table": table})
