"""The service navigation: each item is shown only to roles that use it.
Other apps add their items (Dashboard, Approvals) by registering a
provider, so this module does not import them."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import cast

from django.http import HttpRequest

from prepared.urls import reverse

from .http import SignedInRequest
from .roles import is_team_leader


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    order: int
    badge: int = 0
    active: bool = False
    badge_label: str = "waiting"  # read after the number by screen readers


# Providers are asked only for signed-in users.
NavProvider = Callable[[SignedInRequest], NavItem | None]
_providers: list[NavProvider] = []


def register(provider: NavProvider) -> NavProvider:
    _providers.append(provider)
    return provider


# Run before the providers, each returning what to run after them: a badge's
# app reads what every badge will ask of a shared store in one go (the kept
# counts: complaints.generations), for this navigation only.
BadgesPrepare = Callable[[SignedInRequest], Callable[[], None]]
_prepares: list[BadgesPrepare] = []


def before_badges(prepare: BadgesPrepare) -> BadgesPrepare:
    if prepare not in _prepares:
        _prepares.append(prepare)
    return prepare


BadgeCounter = Callable[[SignedInRequest], int]
_my_work_counters: list[BadgeCounter] = []


def count_on_my_work(counter: BadgeCounter) -> BadgeCounter:
    """Add to the badge on My work (the sla app counts open tasks)."""
    _my_work_counters.append(counter)
    return counter


@register
def _my_work(request: SignedInRequest) -> NavItem:
    return NavItem("My work", reverse("my-work"), 10, badge=sum(count(request) for count in _my_work_counters),
                   badge_label="open tasks")


@register
def _team_queue(request: SignedInRequest) -> NavItem | None:
    if not is_team_leader(request.user):
        return None
    return NavItem("Team queue", reverse("team-queue"), 20)


@register
def _search(request: SignedInRequest) -> NavItem:
    return NavItem("Search", reverse("search"), 90)


def navigation_for(request: HttpRequest) -> list[NavItem]:
    """Computed once per request: every template rendered with a
    RequestContext (form widgets, includes) asks for it again."""
    cached = getattr(request, "_navigation_items", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    signed_in = cast(SignedInRequest, request)
    done = [prepare(signed_in) for prepare in _prepares]
    try:
        items = [item for p in _providers if (item := p(signed_in)) is not None]
    finally:
        for finish in done:
            finish()
    path = request.path
    marked = []
    for item in sorted(items, key=lambda i: i.order):
        active = path == item.url or (item.url != "/" and path.startswith(item.url))
        marked.append(replace(item, active=active))
    signed_in._navigation_items = marked
    return marked
