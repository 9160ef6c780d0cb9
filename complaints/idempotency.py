"""Every state-changing form does its work once, however often it is sent.

A form carries a fresh token (`{% form_token %}`, a UUID). The view runs in
one transaction that first records the token in FormSubmission, whose
token is unique: a second copy of the same form — a double click, a
resubmission, several arriving at once — cannot record it again. At once,
the copy waits for the first to finish (the unique index holds it); then,
or later, it is sent where the first one went, with a message, and does
nothing. A form that came back with errors is not kept, so the user can
correct it and send it again. A post without a token (not from our pages)
runs as it is.
"""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from accounts.http import SignedInRequest

from .models import FormSubmission

FIELD = "form_token"
DONE_STATUSES = (301, 302, 303)
# Far longer than a session lives (12 hours from sign-in), so a form sent
# again from an old page after signing in anew is still recognised.
KEEP_FOR = timedelta(days=7)


def purge_form_submissions(*, now: datetime | None = None) -> int:
    """Forget the tokens of forms sent more than KEEP_FOR ago (run daily by
    beat), so the table holds a week of forms rather than every form ever
    sent. Technical rows, not case data: nothing to audit."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted, _ = FormSubmission.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class _NotDone(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _token(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def once_per_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: SignedInRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _token(request)
        if token is None:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        FormSubmission.objects.create(token=token, user=request.user, created_at=timezone.now())
                except IntegrityError:
                    pass  # sent before: answered below, after this transaction
                else:
                    response = view(request, *args, **kwargs)
                    if response.status_code not in DONE_STATUSES:
                        raise _NotDone(response)  # errors shown: forget the token, nothing was done
                    FormSubmission.objects.filter(token=token).update(response_url=response["Location"][:500])
                    return response
        except _NotDone as not_done:
            return not_done.response
        first = FormSubmission.objects.filter(token=token, user=request.user).first()
        messages.info(request, "That form was sent more than once; it was acted on once.")
        return redirect(first.response_url if first is not None and first.response_url else "my-work")

    return wrapper
