"""A counter per team in the cache, moved on after every change to one of
its SRs commits (record_event writes every change's audit entry, so it is
the one place that sees them all).

Figures shown on every page that cost a count over the user's teams (the
Approvals badge reads every plan waiting in those teams: ~100 ms at 1M SRs
against a ~10 ms page) are kept in the cache under the counters of the
user's teams: they are counted again on the first page after something in
one of those teams changed, and otherwise read back in one round trip. An
expiry of a minute bounds what a change made outside an SR (a user's grade
or permissions in the admin) or a counter the cache lost can cost. With the
cache unreachable every read is a miss: the figure is counted, as before."""

from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import connection, transaction

from accounts.http import SignedInRequest
from accounts.models import User
from accounts.navigation import before_badges

from .permissions import team_ids

KEPT_FOR_S = 60


def _team_key(team_id: int) -> str:
    return f"team-generation:{team_id}"


def bump_team(team_id: int | None) -> None:
    """Called inside the transaction that changes one of the team's SRs:
    moved on now and again after commit — a page counting in between (and
    keeping what it saw before the commit) is counted again after it; a
    rolled-back change costs one count."""
    if team_id is not None:
        _bump(team_id)
        transaction.on_commit(lambda: _bump(team_id))


def _bump(team_id: int) -> None:
    key = _team_key(team_id)
    # add() creates the counter when it is missing; incr() moves it on.
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # expired or evicted in between
            cache.set(key, 1, timeout=None)


_KEPT: list["KeptPerTeams"] = []
_READ_AHEAD = "_kept_read_ahead"


@before_badges
def read_ahead(request: SignedInRequest) -> Callable[[], None]:
    """Every kept figure of the user (the navigation's badges: open tasks,
    approvals) read with their teams' counters in one round trip, for the
    badges about to ask; dropped once the navigation is built."""
    user = request.user
    wanted = [kept._mine(user) for kept in _KEPT if kept.shown_to is not None and kept.shown_to(user)]
    if wanted and not user.is_superuser:  # a caseworker has no kept badge: no round trip
        user.__dict__[_READ_AHEAD] = cache.get_many([*wanted, *_counter_keys(user)])
    return lambda: user.__dict__.pop(_READ_AHEAD, None)


def _counter_keys(user: User) -> list[str]:
    return [_team_key(t) for t in sorted(team_ids(user))]


T = TypeVar("T")


class KeptPerTeams(Generic[T]):
    """A figure per user (a count, or what a page counts of the user's
    teams: `kind`) kept until something in one of their teams changes.
    Superusers see every team: never kept. A `part` tells apart figures of
    the same name counted for different choices (the dashboard's team,
    route and day).

    Kept with the counters of the user's teams it was counted under, and
    read back with the current ones in one round trip (a key made of the
    counters needed them read first: two round trips a badge)."""

    def __init__(self, name: str, kind: type[T], shown_to: Callable[[User], bool] | None) -> None:
        self.name = name
        # Who is shown it on every page (read ahead with the badges); None:
        # one page's figure, read when that page asks.
        self.shown_to = shown_to
        self.kind = kind
        _KEPT.append(self)

    def _mine(self, user: User, part: str = "") -> str:
        # The database's name too: test databases (one per process) and the
        # product may share one Redis, and their ids overlap.
        return f"kept:{self.name}:{connection.settings_dict['NAME']}:{user.pk}:{part}"

    def read(self, user: User, part: str = "") -> T | None:
        if user.is_superuser:
            return None
        mine, counters = self._mine(user, part), _counter_keys(user)
        # A badge's figure was read ahead (found there or missing from the
        # cache); a page's figure never is.
        ahead = user.__dict__.get(_READ_AHEAD) if self.shown_to is not None else None
        found = ahead if ahead is not None else cache.get_many([mine, *counters])
        # What it would be kept under now, remembered on the user object
        # for keep(): counted after this read, a change in between makes
        # the next read count again.
        stamp = (user.grade_id, *(found.get(key, 0) for key in counters))
        user.__dict__[f"_kept_stamp_{mine}"] = stamp
        kept = found.get(mine)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp and isinstance(kept[1], self.kind):
            return kept[1]
        return None

    def keep(self, user: User, value: T, part: str = "") -> None:
        if user.is_superuser:
            return
        mine, counters = self._mine(user, part), _counter_keys(user)
        stamp = user.__dict__.pop(f"_kept_stamp_{mine}", None)
        if stamp is None:
            found = cache.get_many(counters)
            stamp = (user.grade_id, *(found.get(key, 0) for key in counters))
        cache.set(mine, (stamp, value), timeout=KEPT_FOR_S)

    def __call__(self, user: User, count: Callable[[], T], part: str = "") -> T:
        """`count()` for this user, or what was kept for them."""
        kept = self.read(user, part)
        if kept is not None:
            return kept
        value = count()
        self.keep(user, value, part)
        return value
