"""The ICE team's queue. Views parse input, call a selector and render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import SignedInRequest
from complaints.fields import ascii_int

from .selectors import ice_queue, in_an_ice_team, queue_rows

PER_PAGE = 25


@login_required
def queue(request: SignedInRequest) -> HttpResponse:
    if not in_an_ice_team(request.user):
        raise PermissionDenied("The ICE cases page is for the internal ICE team.")
    paginator = Paginator(ice_queue(request.user), PER_PAGE)
    page = paginator.get_page(ascii_int(request.GET.get("page", "")) or 1)
    return render(request, "ice/queue.html", {"page": page, "rows": queue_rows(request.user, list(page.object_list))})
