"""reverse(), remembered.

The same view name and arguments give the same address for as long as the
URLconf and the script prefix are the same, and both are part of the key.
Django walks its resolver's tables (per language) on every call; a case
page reversed 22 addresses per view (its forms' actions, the navigation)."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.templatetags.static import static as django_static
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse


def reverse(name: str, *args: Any, **kwargs: Any) -> str:
    return _reversed(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, name, args,
                     tuple(sorted(kwargs.items())))


@lru_cache(maxsize=4096)
def _reversed(prefix: str, urlconf: str, name: str, args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...]) -> str:
    return django_reverse(name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)


def static(path: str) -> str:
    """{% static %}, remembered: the address of a static file is the same for
    as long as the static URL and the storage are (both part of the key). The
    layout asked the storage for its five files' addresses on every page."""
    return _static(settings.STATIC_URL, settings.STORAGES["staticfiles"]["BACKEND"], path)


@lru_cache(maxsize=256)
def _static(static_url: str, backend: str, path: str) -> str:
    return django_static(path)
