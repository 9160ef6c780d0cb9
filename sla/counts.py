"""Kept counts of deadlines (sla.models.DeadlineCount): the only code that
writes them. The clock services call `counts_follow` around every change
of clocks, in the change's transaction, so the counts move with the clocks
they count; `recount` rebuilds them from the clocks (`manage.py
recount_deadlines`, and the seed commands after their bulk inserts).

A clock counts once: while running, under its due date (kind "due"); once
met, under the day it was met (kind "met", and "on time" if met by its due
date); a cancelled clock is not counted. Each change is applied as a
difference (+1 here, -1 there) with an upsert that adds to the row, so two
transactions changing clocks of the same team and day add up instead of
overwriting each other."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date

from django.db import connection, models, transaction
from django.db.models import Count, F, Q, Value

from .models import CountKind, DeadlineClock, DeadlineCount

# Plain strings: a database driver may write an enum member by its name.
DUE, MET = CountKind.DUE.value, CountKind.MET.value
BATCH = 2000  # clock ids per statement (SQLite limits the parameters)
# (kind, team, route, rule, day) -> [n, on_time]
Key = tuple[str, int, str, int, date]
Tally = dict[Key, list[int]]


def tally(clock_ids: Iterable[int]) -> Tally:
    """What these clocks add to the counts as they are now."""
    counted: Tally = {}
    ids = sorted(set(clock_ids))
    if not ids:
        return counted
    rows = (row for i in range(0, len(ids), BATCH) for row in DeadlineClock.objects.filter(pk__in=ids[i:i + BATCH])
            .values_list("team_id", "route", "rule_id", "due_on", "met_on", "cancelled_at"))
    for team, route, rule, due_on, met_on, cancelled_at in rows:
        if met_on is not None:
            key: Key = (MET, team, route, rule, met_on)
            on_time = int(met_on <= due_on)
        elif cancelled_at is None:
            key, on_time = (DUE, team, route, rule, due_on), 0
        else:
            continue
        row = counted.setdefault(key, [0, 0])
        row[0] += 1
        row[1] += on_time
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
    if not changes:
        return
    table = DeadlineCount._meta.db_table
    # Sorted: concurrent transactions lock the rows in the same order.
    rows = [(kind, team, route, rule, day, n, on_time)
            for (kind, team, route, rule, day), (n, on_time) in sorted(changes.items())]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (kind, team_id, route, rule_id, day, n, on_time) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (team_id, kind, day, rule_id, route) "
            f"DO UPDATE SET n = {table}.n + excluded.n, on_time = {table}.on_time + excluded.on_time",
            rows,
        )
    DeadlineCount.objects.filter(team_id__in=sorted({key[1] for key in changes}), kind__in=sorted({key[0] for key in changes}),
                                 day__in=sorted({key[4] for key in changes}), n=0).delete()


@contextmanager
def counts_follow(clock_ids: Iterable[int]) -> Iterator[None]:
    """Keep the counts of these clocks through the change made inside the
    block (a clock created inside it: `apply(tally([clock.pk]))` after)."""
    ids = sorted(set(clock_ids))
    before = tally(ids)
    yield
    apply(_difference(tally(ids), before))


def _grouped(clocks: models.QuerySet, kind: str, day: str) -> models.QuerySet:
    # Columns in the order of the INSERT in recount.
    on_time = Count("id", filter=Q(met_on__lte=F("due_on"))) if kind == MET else Value(0)
    return (clocks.order_by().values("team_id", "route", "rule_id")
            .annotate(count_day=F(day), count_kind=Value(kind), count_n=Count("id"), count_on_time=on_time)
            .values_list("count_kind", "team_id", "route", "rule_id", "count_day", "count_n", "count_on_time"))


def _recounts(clock_model: type[models.Model]) -> list[models.QuerySet]:
    clocks = clock_model._default_manager
    return [
        _grouped(clocks.filter(met_on__isnull=True, cancelled_at__isnull=True), DUE, "due_on"),
        _grouped(clocks.filter(met_on__isnull=False), MET, "met_on"),
    ]


def recount(clock_model: type[models.Model] = DeadlineClock, count_model: type[models.Model] = DeadlineCount) -> int:
    """Rebuild every count from the clocks, set-based (two grouped INSERTs),
    in one transaction; returns the number of rows kept. The models are
    parameters for the migration that fills the table."""
    table = count_model._meta.db_table
    with transaction.atomic():
        count_model._default_manager.all().delete()
        with connection.cursor() as cursor:
            for grouped in _recounts(clock_model):
                sql, params = grouped.query.sql_with_params()
                cursor.execute(f"INSERT INTO {table} (kind, team_id, route, rule_id, day, n, on_time) {sql}", params)
        return count_model._default_manager.count()


def differences() -> Tally:
    """Kept counts that differ from a recount (empty when they agree)."""
    kept: Tally = {(c.kind, c.team_id, c.route, c.rule_id, c.day): [c.n, c.on_time]
                   for c in DeadlineCount.objects.all()}
    recounted: Tally = {}
    for grouped in _recounts(DeadlineClock):
        for kind, team, route, rule, day, n, on_time in grouped.iterator(chunk_size=5000):
            recounted[(kind, team, route, rule, day)] = [n, on_time]
    return _difference(kept, recounted)
