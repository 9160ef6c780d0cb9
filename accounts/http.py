"""Typing for views behind `login_required`."""

from typing import Any

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    """A request whose user has signed in: what `login_required` views and
    the case page's panels receive. For the type checker only; Django
    builds the request as usual."""

    user: User
    # Computed once per request by the navigation and its badges.
    _navigation_items: list[Any]
    _approvals_waiting: int
