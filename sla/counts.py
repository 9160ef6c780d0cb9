"""Kept counts of deadlines (sla.models.DeadlineCount, OwnerDeadlineCount):
the only code that writes them. The clock services call `counts_follow`
around every change of clocks, in the change's transaction, so the counts
move with the clocks they count (a transition that gives an SR to someone
else moves its running clocks to the new owner the same way,
sla.services.sr_owner_changed); `recount` rebuilds them from the clocks
(`manage.py recount_deadlines`, and seed_volume after its bulk COPY).

A clock counts once in DeadlineCount: while running, under its due date
(kind "due"); once met, under the day it was met (kind "met", and "on
time" if met by its due date); a cancelled clock is not counted. A running
clock that is not a client wait also counts in OwnerDeadlineCount under the
owner it carries, its SR's (none while the SR is unallocated). Each change
is applied as a difference (+1 here, -1 there) with an upsert that adds to
the row, so two transactions changing clocks of the same team and day add
up instead of overwriting each other."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Value

from .models import CountKind, DeadlineClock, DeadlineCount, OwnerDeadlineCount

# Plain strings: a database driver may write an enum member by its name.
DUE, MET, OWNER = CountKind.DUE.value, CountKind.MET.value, CountKind.OWNER.value
BATCH = 2000  # clock ids per statement (SQLite limits the parameters)

# (kind, team, route, rule — or the owner for OWNER, day) -> [n, on_time]
Key = tuple[str, int, str, int, date]
Tally = dict[Key, list[int]]

_COLUMNS = {  # the table and its columns, in the order of Key and Tally
    DUE: (DeadlineCount, "kind, team_id, route, rule_id, day, n, on_time", "team_id, kind, day, rule_id, route"),
    OWNER: (OwnerDeadlineCount, "team_id, route, owner_id, day, n", "team_id, day, owner_id, route"),
}


def _add(counted: Tally, key: Key, on_time: int) -> None:
    row = counted.setdefault(key, [0, 0])
    row[0] += 1
    row[1] += on_time


def tally(clock_ids: Iterable[int]) -> Tally:
    """What these clocks add to the counts as they are now."""
    counted: Tally = {}
    ids = sorted(set(clock_ids))
    rows = (row for i in range(0, len(ids), BATCH) for row in DeadlineClock.objects.filter(pk__in=ids[i:i + BATCH])
            .values_list("team_id", "route", "rule_id", "due_on", "met_on", "cancelled_at", "rule__is_wait",
                         "owner_id"))
    for team, route, rule, due_on, met_on, cancelled_at, is_wait, owner in rows:
        if met_on is not None:
            _add(counted, (MET, team, route, rule, met_on), int(met_on <= due_on))
        elif cancelled_at is None:
            _add(counted, (DUE, team, route, rule, due_on), 0)
            if owner is not None and not is_wait:
                _add(counted, (OWNER, team, route, owner, due_on), 0)
    return counted


def _difference(after: Tally, before: Tally) -> Tally:
    changed: Tally = {}
    for key in after.keys() | before.keys():
        n_after, on_time_after = after.get(key, (0, 0))
        n_before, on_time_before = before.get(key, (0, 0))
        if (n_after, on_time_after) != (n_before, on_time_before):
            changed[key] = [n_after - n_before, on_time_after - on_time_before]
    return changed


def apply(changes: Tally) -> None:
    """Add the differences to the kept rows (creating them), then drop rows
    that fell to nothing, so a team's rows stay as many as its days with
    deadlines, not every day it ever had one."""
    by_table: dict[str, list[tuple]] = {DUE: [], OWNER: []}
    touched: dict[str, tuple[set[int], set[date]]] = {DUE: (set(), set()), OWNER: (set(), set())}
    # Sorted: concurrent transactions lock the rows in the same order.
    for (kind, team, route, rule_or_owner, day), (n, on_time) in sorted(changes.items()):
        part = OWNER if kind == OWNER else DUE
        if part == OWNER:
            by_table[part].append((team, route, rule_or_owner, day, n))
        else:
            by_table[part].append((kind, team, route, rule_or_owner, day, n, on_time))
        touched[part][0].add(team)
        touched[part][1].add(day)
    with connection.cursor() as cursor:
        for part, rows in by_table.items():
            if not rows:
                continue
            model, columns, key = _COLUMNS[part]
            table = model._meta.db_table
            added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in ("n", "on_time") if c in columns)
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(rows[0]))}) "
                f"ON CONFLICT ({key}) DO UPDATE SET {added}",
                rows,
            )
            teams, days = touched[part]
            model._default_manager.filter(team_id__in=sorted(teams), day__in=sorted(days), n=0).delete()


@contextmanager
def counts_follow(clock_ids: Iterable[int]) -> Iterator[None]:
    """Keep the counts of these clocks through the change made inside the
    block (a clock created inside it: `apply(tally([clock.pk]))` after)."""
    ids = sorted(set(clock_ids))
    before = tally(ids)
    yield
    apply(_difference(tally(ids), before))


def _recounts(clock_model: type[models.Model]) -> list[tuple[type[models.Model], models.QuerySet]]:
    """Grouped queries giving every kept row, columns in _COLUMNS' order."""
    clocks = clock_model._default_manager.order_by()
    running = clocks.filter(met_on__isnull=True, cancelled_at__isnull=True)
    met = clocks.filter(met_on__isnull=False)
    return [
        (DeadlineCount, running.values("team_id", "route", "rule_id", "due_on")
         .annotate(count_kind=Value(DUE), count_n=Count("id"), count_on_time=Value(0))
         .values_list("count_kind", "team_id", "route", "rule_id", "due_on", "count_n", "count_on_time")),
        (DeadlineCount, met.values("team_id", "route", "rule_id", "met_on")
         .annotate(count_kind=Value(MET), count_n=Count("id"),
                   count_on_time=Count("id", filter=Q(met_on__lte=F("due_on"))))
         .values_list("count_kind", "team_id", "route", "rule_id", "met_on", "count_n", "count_on_time")),
        # By the SR's owner, not the one the clock carries: the migrations
        # that fill the tables predate it, and `differences` then also
        # finds a clock whose owner fell behind its SR's.
        (OwnerDeadlineCount, running.filter(rule__is_wait=False, sr__owner__isnull=False)
         .values("team_id", "route", "sr__owner_id", "due_on").annotate(count_n=Count("id"))
         .values_list("team_id", "route", "sr__owner_id", "due_on", "count_n")),
    ]


def recount(clock_model: type[models.Model] = DeadlineClock, count_model: type[models.Model] = DeadlineCount,
            owner_model: type[models.Model] = OwnerDeadlineCount) -> int:
    """Rebuild every count from the clocks, set-based (three grouped
    INSERTs), in one transaction; returns the number of rows kept. The
    models are parameters for the migrations that fill the tables."""
    models_now = {DeadlineCount: count_model, OwnerDeadlineCount: owner_model}
    with transaction.atomic():
        _no_statement_timeout()
        count_model._default_manager.all().delete()
        owner_model._default_manager.all().delete()
        with connection.cursor() as cursor:
            for model, grouped in _recounts(clock_model):
                target = models_now[model]
                columns = _COLUMNS[OWNER if model is OwnerDeadlineCount else DUE][1]
                sql, params = grouped.query.sql_with_params()
                cursor.execute(f"INSERT INTO {target._meta.db_table} ({columns}) {sql}", params)
        return count_model._default_manager.count() + owner_model._default_manager.count()


def _no_statement_timeout() -> None:
    """Rebuilding reads every clock (seconds at 1M SRs): the web's statement
    timeout (settings.base) is not for it. SET LOCAL ends with the
    transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")


def differences() -> Tally:
    """Kept counts that differ from a recount (empty when they agree)."""
    kept: Tally = {(c.kind, c.team_id, c.route, c.rule_id, c.day): [c.n, c.on_time]
                   for c in DeadlineCount.objects.all()}
    kept.update({(OWNER, c.team_id, c.route, c.owner_id, c.day): [c.n, 0] for c in OwnerDeadlineCount.objects.all()})
    recounted: Tally = {}
    with transaction.atomic():
        _no_statement_timeout()
        # Lists, not a server-side cursor: PostgreSQL plans a cursor for its
        # first rows (nested loops over the clocks), which took minutes at 1M
        # SRs against seconds for the grouped scan.
        grouped_rows = [(model, list(grouped)) for model, grouped in _recounts(DeadlineClock)]
    for model, rows in grouped_rows:
        for row in rows:
            if model is OwnerDeadlineCount:
                team, route, owner, day, n = row
                recounted[(OWNER, team, route, owner, day)] = [n, 0]
            else:
                kind, team, route, rule, day, n, on_time = row
                recounted[(kind, team, route, rule, day)] = [n, on_time]
    return _difference(kept, recounted)
