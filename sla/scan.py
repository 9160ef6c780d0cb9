"""The deadline scan: raises the escalation ladder of DESIGN §4 as tasks.

    due soon        due within 2 working days        owner (team when unallocated)
    overdue         today is after the due date      owner (team when unallocated)
    overdue_tl      2+ working days overdue          the SR's team, for its team leaders
    overdue_manager 5+ working days overdue          the SR's team, for its managers
    wait_expired    a client wait (is_wait) ended    owner (team when unallocated)

Driven by what changed: each running clock stores the first day the scan
must look at it again (`next_check_on`: the day it was started or moved,
then the day its next rung comes due), and the scan reads only clocks with
next_check_on <= today through a partial index. So a rerun with nothing new
reads nothing, and a day's run touches only the clocks crossing a threshold
that day. After raising the rungs it stores each looked-at clock's next
day, computed in Python once per distinct (region, due date, wait) — a few
hundred at most — and written with one UPDATE … FROM VALUES per batch.

Set-based: one INSERT … SELECT … ON CONFLICT (key) DO NOTHING per rung, so
the statement count does not depend on the number of clocks. The key names
the clock, its due date and the rung, so a second run — or a concurrent one —
inserts nothing, while a clock whose date moved gets a fresh ladder. The
working-day thresholds are turned into cut-off dates per region in Python
(a dozen calendar look-ups) and compared in SQL. The scan reads stored due
dates only; it never recomputes them. On PostgreSQL the whole scan is one
transaction under an advisory lock, so concurrent runs queue rather than
interleave."""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from complaints.models import ServiceRequest
from workdays import calendar

from .calendar_sync import ensure_fresh
from .models import DeadlineClock, DeadlineRule, Task, TaskKind

log = logging.getLogger("sla.scan")

ADVISORY_LOCK_ID = 7_310_001  # any constant shared by every scanning process
DUE_SOON_WORKING_DAYS = 2
TL_OVERDUE_WORKING_DAYS = 2
MANAGER_OVERDUE_WORKING_DAYS = 5
REGIONS = [r.value for r in calendar.Region]

# The order rungs are inserted in (and reported).
LADDER = [TaskKind.DUE_SOON, TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER,
          TaskKind.WAIT_EXPIRED]
TITLES = {
    TaskKind.DUE_SOON: "Due soon: ",
    TaskKind.OVERDUE: "Overdue: ",
    # The rung's threshold, true however long it stays open; the tasks panel
    # says how overdue it is on the day it is read (sla.selectors.task_title).
    TaskKind.OVERDUE_TL: "Overdue 2 working days or more: ",
    TaskKind.OVERDUE_MANAGER: "Overdue 5 working days or more: ",
    TaskKind.WAIT_EXPIRED: "Wait expired, act now: ",
}


@dataclass
class ScanResult:
    today: date
    skipped: bool = False
    inserted: dict[str, int] = field(default_factory=dict)
    superseded: int = 0
    looked_at: int = 0

    @property
    def total(self) -> int:
        return sum(self.inserted.values())

    def summary(self) -> str:
        if self.skipped:
            return f"{self.today}: not a working day in England and Wales; scan skipped."
        counts = ", ".join(f"{kind}={n}" for kind, n in self.inserted.items())
        return (f"{self.today}: inserted {self.total} tasks ({counts}); "
                f"closed {self.superseded} due-soon tasks now overdue.")


def latest_working_day(day: date) -> date:
    """The day itself, or the last working day (England and Wales) before it:
    for replaying the scan on a weekend."""
    while not calendar.is_working_day(day, calendar.Region.ENGLAND_AND_WALES):
        day -= timedelta(days=1)
    return day


def overdue_cutoff(today: date, working_days: int, region: str) -> date:
    """The latest due date that is at least N working days overdue today, i.e.
    the latest D with working_days_between(D, today) >= N."""
    day = today - timedelta(days=1)
    # Walks back at most N working days plus the weekends and holidays
    # between: a handful of look-ups, once per region per scan.
    while calendar.working_days_between(day, today, region) < working_days:
        day -= timedelta(days=1)
    return day


def due_soon_end(today: date, region: str) -> date:
    """Due soon = at most 2 working days left: due before the 3rd working day
    after today."""
    return calendar.add_working_days(today, DUE_SOON_WORKING_DAYS + 1, region)


def _tables() -> dict[str, str]:
    return {
        "task": Task._meta.db_table,
        "clock": DeadlineClock._meta.db_table,
        "rule": DeadlineRule._meta.db_table,
        "sr": ServiceRequest._meta.db_table,
    }


def _due_text_sql() -> str:
    """The due date as YYYYMMDD text, for the task key."""
    if connection.vendor == "postgresql":
        return "to_char(c.due_on, 'YYYYMMDD')"
    return "replace(c.due_on, '-', '')"  # SQLite stores dates as ISO text


def _rung_sql(kind: TaskKind, today: date, now: datetime, bounds: dict[str, date] | None) -> tuple[str, list]:
    """INSERT … SELECT for one rung. bounds adds, per region, due_on < bound
    (due soon: before the 3rd working day) or due_on <= bound (the overdue
    cut-offs)."""
    t = _tables()
    ops = connection.ops
    # The kind is one of our own constants (never user input), so it is
    # safe inline; everything else is a parameter.
    assert kind in LADDER
    to_team = kind in (TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER)
    is_wait = kind == TaskKind.WAIT_EXPIRED
    where = ["c.due_on >= %s" if kind == TaskKind.DUE_SOON else "c.due_on < %s"]
    where_params: list = [ops.adapt_datefield_value(today)]
    if bounds:
        cmp = "<" if kind == TaskKind.DUE_SOON else "<="
        where.append("(" + " OR ".join(f"(c.region = %s AND c.due_on {cmp} %s)" for _ in bounds) + ")")
        for region, bound in bounds.items():
            where_params += [region, ops.adapt_datefield_value(bound)]
    sql = f"""
        INSERT INTO {t['task']} (key, sr_id, clock_id, kind, title, assignee_id, team_id, due_on, created_at)
        SELECT 'clock:' || c.id || ':' || {_due_text_sql()} || ':{kind}', c.sr_id, c.id, '{kind}',
               %s || r.name, {'NULL' if to_team else 's.owner_id'}, s.team_id, c.due_on, %s
        FROM {t['clock']} c
        JOIN {t['rule']} r ON r.id = c.rule_id
        JOIN {t['sr']} s ON s.id = c.sr_id
        WHERE c.met_on IS NULL AND c.cancelled_at IS NULL AND s.closed_at IS NULL
          AND c.next_check_on <= %s
          AND r.is_wait = {'TRUE' if is_wait else 'FALSE'}
          AND {' AND '.join(where)}
        ON CONFLICT (key) DO NOTHING
    """
    return sql, [TITLES[kind], ops.adapt_datetimefield_value(now), ops.adapt_datefield_value(today), *where_params]


def rung_days(due: date, region: str, is_wait: bool) -> list[date]:
    """The first day each rung of the ladder holds for a clock due on `due`,
    in ladder order; every rung's condition only becomes truer as the days
    pass, so from that day on it holds (for due soon, until the due date)."""
    after = due + timedelta(days=1)  # overdue / wait expired: due_on < today
    if is_wait:
        return [after]
    # Due soon: due_on < add_working_days(today, 3): walk back from the due
    # date while that still holds (a few days, more over Christmas).
    soon = due
    while calendar.add_working_days(soon - timedelta(days=1), DUE_SOON_WORKING_DAYS + 1, region) > due:
        soon -= timedelta(days=1)
    return [soon, after, _overdue_by(due, TL_OVERDUE_WORKING_DAYS, region),
            _overdue_by(due, MANAGER_OVERDUE_WORKING_DAYS, region)]


def _overdue_by(due: date, working_days: int, region: str) -> date:
    """The first day on which `due` is at least N working days overdue (the
    inverse of overdue_cutoff)."""
    day = due + timedelta(days=1)
    while calendar.working_days_between(due, day, region) < working_days:
        day += timedelta(days=1)
    return day


def next_check_day(due: date, region: str, is_wait: bool, today: date) -> date | None:
    """The first day after `today` on which a rung of this clock comes due
    (None once every rung has come due)."""
    try:
        return min((day for day in rung_days(due, region, is_wait) if day > today), default=None)
    except calendar.OutsideHorizon:
        return today + timedelta(days=1)  # outside the calendar: keep looking daily


def _store_next_checks(cursor: Any, today: date) -> int:
    """Move every clock the scan just looked at to its next rung's day."""
    t = _tables()
    ops = connection.ops
    cursor.execute(f"""
        SELECT DISTINCT c.region, c.due_on, r.is_wait FROM {t['clock']} c JOIN {t['rule']} r ON r.id = c.rule_id
        WHERE c.met_on IS NULL AND c.cancelled_at IS NULL AND c.next_check_on <= %s
    """, [ops.adapt_datefield_value(today)])
    keys = [(region, _as_date(due), bool(is_wait)) for region, due, is_wait in cursor.fetchall()]
    pg = connection.vendor == "postgresql"
    row = "(%s, CAST(%s AS date), %s, CAST(%s AS date))" if pg else "(%s, %s, %s, %s)"
    moved = 0
    for i in range(0, len(keys), 500):
        batch = keys[i:i + 500]
        params: list = []
        for region, due, is_wait in batch:
            nxt = next_check_day(due, region, is_wait, today)
            params += [region, ops.adapt_datefield_value(due), is_wait,
                       ops.adapt_datefield_value(nxt) if nxt else None]
        # VALUES columns are column1… on both PostgreSQL and SQLite.
        clock = t["clock"]
        cursor.execute(f"""
            UPDATE {clock} SET next_check_on = v.column4
            FROM (VALUES {', '.join([row] * len(batch))}) AS v, {t['rule']} r
            WHERE r.id = {clock}.rule_id AND {clock}.region = v.column1 AND {clock}.due_on = v.column2
              AND r.is_wait = v.column3
              AND {clock}.met_on IS NULL AND {clock}.cancelled_at IS NULL AND {clock}.next_check_on <= %s
        """, [*params, ops.adapt_datefield_value(today)])
        moved += max(cursor.rowcount, 0)
    return moved


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # SQLite returns text


def scan_deadlines(*, now: datetime | None = None, today: date | None = None) -> ScanResult:
    """Raise every rung of the ladder due today. Safe to run any number of
    times, from any number of processes at once."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    ensure_fresh()
    if not calendar.is_working_day(today, calendar.Region.ENGLAND_AND_WALES):
        result = ScanResult(today=today, skipped=True)
        log.info(result.summary())
        return result
    soon = {r: due_soon_end(today, r) for r in REGIONS}
    tl = {r: overdue_cutoff(today, TL_OVERDUE_WORKING_DAYS, r) for r in REGIONS}
    manager = {r: overdue_cutoff(today, MANAGER_OVERDUE_WORKING_DAYS, r) for r in REGIONS}
    bounds: dict[str, dict[str, date] | None] = {
        TaskKind.DUE_SOON: soon, TaskKind.OVERDUE: None, TaskKind.OVERDUE_TL: tl,
        TaskKind.OVERDUE_MANAGER: manager, TaskKind.WAIT_EXPIRED: None,
    }
    result = ScanResult(today=today)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The web's lock and statement timeouts (settings.base) are for
            # requests: a scan queued behind another one waits for it, and a
            # first run over every clock may take longer than a page may.
            cursor.execute("SET LOCAL lock_timeout = 0")
            cursor.execute("SET LOCAL statement_timeout = '10min'")
            # Held until commit: a concurrent scan waits, then finds every
            # clock already looked at today.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        for kind in LADDER:
            cursor.execute(*_rung_sql(kind, today, now, bounds[kind]))
            result.inserted[kind] = max(cursor.rowcount, 0)
        result.looked_at = _store_next_checks(cursor, today)
        # Once a clock is overdue its "due soon" prompt has done its job.
        result.superseded = Task.objects.filter(
            kind=TaskKind.DUE_SOON, done_at__isnull=True, due_on__lt=today
        ).update(done_at=now)
    log.info(result.summary())
    return result
