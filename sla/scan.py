"""The deadline scan: raises the escalation ladder of DESIGN §4 as tasks.

    due soon        due within 2 working days        owner (team when unallocated)
    overdue         today is after the due date      owner (team when unallocated)
    overdue_tl      2+ working days overdue          the SR's team, for its team leaders
    overdue_manager 5+ working days overdue          the SR's team, for its managers
    wait_expired    a client wait (is_wait) ended    owner (team when unallocated)

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
          AND r.is_wait = {'TRUE' if is_wait else 'FALSE'}
          AND {' AND '.join(where)}
        ON CONFLICT (key) DO NOTHING
    """
    return sql, [TITLES[kind], ops.adapt_datetimefield_value(now), *where_params]


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
            # Held until commit: a concurrent scan waits, then finds every key taken.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_ID])
        for kind in LADDER:
            cursor.execute(*_rung_sql(kind, today, now, bounds[kind]))
            result.inserted[kind] = max(cursor.rowcount, 0)
        # Once a clock is overdue its "due soon" prompt has done its job.
        result.superseded = Task.objects.filter(
            kind=TaskKind.DUE_SOON, done_at__isnull=True, due_on__lt=today
        ).update(done_at=now)
    log.info(result.summary())
    return result
