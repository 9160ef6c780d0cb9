import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

_KEY = "last_activity"


class IdleTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_TIMEOUT seconds without a request;
    the session's absolute lifetime is SESSION_COOKIE_AGE."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, "You were signed out after 30 minutes without activity. Sign in again.")
                return redirect(f"{reverse(settings.LOGIN_URL)}?next={request.path}")
            # Write at most once a minute so every request doesn't save the session.
            if last is None or now - int(last) >= 60:
                request.session[_KEY] = now
        return self.get_response(request)
