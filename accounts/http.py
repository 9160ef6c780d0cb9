"""Typing for views behind `login_required`."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.functional import SimpleLazyObject

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


def page_csrf_token(request: HttpRequest) -> str:
    """The page's one masked CSRF token: Django masks the secret anew on
    every get_token(), with 32 random characters, and a page asked twice
    (its forms, My work's tasks panel). Kept with the secret it masks: a
    token rotated during the request (signing in) gets a new one."""
    kept = request.__dict__.get("_casework_csrf")
    if kept is None or kept[0] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)  # sets the secret when the request had none
        request.__dict__["_casework_csrf"] = kept = (request.META.get("CSRF_COOKIE"), token)
    return kept[1]


def csrf(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the page's one CSRF token (page_csrf_token), in
    place of Django's built-in processor's own."""
    return {"csrf_token": SimpleLazyObject(lambda: page_csrf_token(request))}
