import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_KEY = "last_activity"
SIGNED_IN_AT = "signed_in_at"


class IdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request,
    and SESSION_COOKIE_AGE seconds (12 hours) after they signed in, however
    active they were.

    The absolute limit is counted here from the sign-in time kept in the
    session, not from the session's expiry date: every save of the session
    (this middleware saves it once a minute) pushes that date back by
    SESSION_COOKIE_AGE, so on its own it never ends an active session."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.get(SIGNED_IN_AT)
            if signed_in_at is not None and now - int(signed_in_at) >= settings.SESSION_COOKIE_AGE:
                return self._sign_out(request, f"You were signed out because you signed in "
                                               f"{settings.SESSION_COOKIE_AGE // 3600} hours ago. Sign in again.")
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                return self._sign_out(request, "You were signed out after 30 minutes without activity. "
                                               "Sign in again.")
            # Write at most once a minute so every request doesn't save the session.
            if last is None or now - int(last) >= 60:
                request.session[_KEY] = now
        response = self.get_response(request)
        # The sign-in request itself (login() has just set request.user), or
        # a session from before the sign-in time was kept: the clock starts now.
        if request.user.is_authenticated and SIGNED_IN_AT not in request.session:
            request.session[SIGNED_IN_AT] = int(time.time())
        return response

    @staticmethod
    def _sign_out(request: HttpRequest, message: str) -> HttpResponse:
        logout(request)
        messages.info(request, message)
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
