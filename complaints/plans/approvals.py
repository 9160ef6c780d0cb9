"""The Approvals tab: what waits for this team leader's (or higher grade's)
decision, oldest first, with the amount and the deadline pressure."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import SignedInRequest

from ..tables import paginate
from .selectors import approvals_waiting_for, sign_offs_waiting_for
from .tables import ApprovalsTable, SignOffTable


@login_required
def approvals(request: SignedInRequest) -> HttpResponse:
    if not request.user.has_perm("complaints.approve_plan"):
        raise PermissionDenied("Only team leaders, managers and the Head of Complaints Review approve plans.")
    table = ApprovalsTable(approvals_waiting_for(request.user))
    paginate(request, table, per_page=50)
    # Responses waiting for sign-off, beside the plans (the Head of
    # Complaints Review): the first 50, oldest first.
    sign_offs = None
    if request.user.has_perm("complaints.sign_off_response"):
        sign_offs = SignOffTable(sign_offs_waiting_for(request.user)[:50], orderable=False)
    return render(request, "complaints/approvals.html", {"table": table, "sign_off_table": sign_offs})
