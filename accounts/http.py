"""Typing for views behind `login_required`."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

from .models import User

T = TypeVar("T")


class SignedInRequest(HttpRequest):
    """A request whose user has signed in: what `login_required` views and
    the case page's panels receive. For the type checker only; Django
    builds the request as usual."""

    user: User
    # Computed once per request by the navigation.
    _navigation_items: list[Any]


def per_request(request: HttpRequest, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request: context processors run again for the
    templates rendered inside a page (table cells, includes)."""
    memo: dict[str, Any] = request.__dict__.setdefault("_casework_per_request", {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]
