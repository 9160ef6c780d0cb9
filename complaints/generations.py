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

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction

from accounts.models import User

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


class KeptPerTeams:
    """A number per user kept until something in one of their teams changes.
    Superusers see every team: never kept."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _key(self, user: User) -> str:
        teams = sorted(team_ids(user))
        generations = cache.get_many([_team_key(t) for t in teams])
        # The database's name too: test databases (one per process) and the
        # product may share one Redis, and their ids overlap.
        parts = [self.name, connection.settings_dict["NAME"], user.pk, user.grade_id,
                 *(f"{t}={generations.get(_team_key(t), 0)}" for t in teams)]
        return "kept:" + hashlib.sha256(repr(parts).encode()).hexdigest()

    def read(self, user: User) -> int | None:
        if user.is_superuser:
            return None
        # The key, with the generations read for it, is remembered on the
        # user object for keep(): one round trip to the cache per page.
        key = self._key(user)
        user.__dict__[f"_kept_key_{self.name}"] = key
        kept = cache.get(key)
        return kept if isinstance(kept, int) else None

    def keep(self, user: User, value: int) -> None:
        if user.is_superuser:
            return
        key = user.__dict__.pop(f"_kept_key_{self.name}", None) or self._key(user)
        cache.set(key, value, timeout=KEPT_FOR_S)

    def __call__(self, user: User, count: Callable[[], int]) -> int:
        """`count()` for this user, or what was kept for them."""
        kept = self.read(user)
        if kept is not None:
            return kept
        value = count()
        self.keep(user, value)
        return value
