"""The deadline scan: raises the escalation ladder of DESIGN §4 as tasks.

    due soon        due within 2 working days        owner (team when unallocated)
    overdue         today is after the due date      owner (team when unallocated)
    overdue_tl      2+ working days overdue          the SR's team, for its team leaders
    overdue_manager 5+ working days overdue          the SR's team, for its managers
    wait_expired    a client wait (is_wait) ended    owner (team when unallocated)

Driven by what changed, so that a day's run costs the day's crossings and
nothing else. Each rung's condition is a bound on the due date per region
(due soon: before the 3rd working day from today; overdue: before today;
the team leader's and manager's rungs: on or before a cut-off), and the
bounds only move forward with the days. Each scan keeps the bounds it used
(`ScanRun`); the next one raises a rung only for

- clocks whose due date lies between the last scan's bound and today's —
  exactly those that crossed it since (a range of the running-clock due
  date index, nothing written to the clocks), and
- clocks started or moved since (`next_check_on`, set by the clock services
  to the day they did it; cleared here once looked at), whatever their date.

With no earlier scan (a new database, or bench.scan's reset) every running
clock is looked at. A rerun the same day finds both sets empty and reads
nothing.

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

from accounts.models import Team
from complaints.generations import bump_team
from workdays import calendar

from .calendar_sync import ensure_fresh
from .models import DeadlineClock, DeadlineRule, ScanRun, Task, TaskKind

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
                f"replaced {self.superseded} due-soon prompts by their overdue alert.")


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
    }


def _due_text_sql() -> str:
    """The due date as YYYYMMDD text, for the task key."""
    if connection.vendor == "postgresql":
        return "to_char(c.due_on, 'YYYYMMDD')"
    return "replace(c.due_on, '-', '')"  # SQLite stores dates as ISO text


@dataclass(frozen=True)
class Bounds:
    """The thresholds of one scan day, per region: due soon is due_on in
    [day, soon); the team leader's and manager's rungs due_on <= tl / manager;
    overdue and wait expired due_on < day."""

    day: date
    soon: dict[str, date]
    tl: dict[str, date]
    manager: dict[str, date]

    @classmethod
    def of(cls, today: date) -> "Bounds":
        return cls(day=today,
                   soon={r: due_soon_end(today, r) for r in REGIONS},
                   tl={r: overdue_cutoff(today, TL_OVERDUE_WORKING_DAYS, r) for r in REGIONS},
                   manager={r: overdue_cutoff(today, MANAGER_OVERDUE_WORKING_DAYS, r) for r in REGIONS})

    def as_json(self) -> dict[str, dict[str, str]]:
        return {name: {r: d.isoformat() for r, d in getattr(self, name).items()}
                for name in ("soon", "tl", "manager")}

    @classmethod
    def from_run(cls, run: ScanRun) -> "Bounds":
        def dates(name: str) -> dict[str, date]:
            return {r: date.fromisoformat(d) for r, d in run.bounds[name].items()}
        return cls(day=run.day, soon=dates("soon"), tl=dates("tl"), manager=dates("manager"))


def _due_on(op: str, bound: date) -> tuple[str, list]:
    return f"c.due_on {op} %s", [connection.ops.adapt_datefield_value(bound)]


def _per_region(op: str, bounds: dict[str, date]) -> tuple[str, list]:
    """due_on compared with the region's own bound, plus the loosest bound
    alone so that the database can read the due-date index as a range."""
    loose = max(bounds.values()) if op in ("<", "<=") else min(bounds.values())
    sql, params = _due_on(op, loose)
    parts = []
    for region, bound in bounds.items():
        parts.append(f"(c.region = %s AND c.due_on {op} %s)")
        params += [region, connection.ops.adapt_datefield_value(bound)]
    return f"{sql} AND ({' OR '.join(parts)})", params


def _holds(kind: TaskKind, now: Bounds) -> tuple[str, list]:
    """The rung's condition on the day of `now`."""
    if kind == TaskKind.DUE_SOON:
        low, low_params = _due_on(">=", now.day)
        high, high_params = _per_region("<", now.soon)
        return f"{low} AND {high}", low_params + high_params
    if kind == TaskKind.OVERDUE_TL:
        return _per_region("<=", now.tl)
    if kind == TaskKind.OVERDUE_MANAGER:
        return _per_region("<=", now.manager)
    return _due_on("<", now.day)  # overdue, wait expired


def _crossed_since(kind: TaskKind, then: Bounds) -> tuple[str, list]:
    """Due dates for which the rung did not hold on the day of `then`."""
    if kind == TaskKind.DUE_SOON:
        return _per_region(">=", then.soon)
    if kind == TaskKind.OVERDUE_TL:
        return _per_region(">", then.tl)
    if kind == TaskKind.OVERDUE_MANAGER:
        return _per_region(">", then.manager)
    return _due_on(">=", then.day)


def _rung_sql(kind: TaskKind, now: Bounds, since: Bounds | None, at: datetime) -> tuple[str, list]:
    """INSERT … SELECT for one rung: running clocks for which it holds today
    and that crossed it since the last scan or changed since. The two are
    separate arms of a UNION ALL (an OR of them was a bitmap over the clock
    table's pages); the crossings arm reads clock_running_due_cover_idx
    alone. The SR is not read: a running clock carries its SR's team and
    owner, and closing an SR stops its clocks (sla.steps.stop_what_runs)."""
    t = _tables()
    ops = connection.ops
    # The kind is one of our own constants (never user input), so it is
    # safe inline; everything else is a parameter.
    assert kind in LADDER
    to_team = kind in (TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER)
    is_wait = kind == TaskKind.WAIT_EXPIRED
    holds, holds_params = _holds(kind, now)
    running = (f"SELECT c.id, c.sr_id, c.rule_id, c.due_on, c.team_id, c.owner_id FROM {t['clock']} c "
               "WHERE c.met_on IS NULL AND c.cancelled_at IS NULL")
    if since is None:  # no earlier scan: every running clock for which it holds
        arms, arms_params = f"{running} AND {holds}", list(holds_params)
    else:
        day = ops.adapt_datefield_value(now.day)
        crossed, crossed_params = _crossed_since(kind, since)
        arms = (f"{running} AND c.next_check_on <= %s AND {holds} UNION ALL "
                # The rung's own condition repeated, so that both ends of the
                # due-date range are there for the index scan; a clock of the
                # first arm is not read twice.
                f"{running} AND (c.next_check_on IS NULL OR c.next_check_on > %s) AND {crossed} AND {holds}")
        arms_params = [day, *holds_params, day, *crossed_params, *holds_params]
    sql = f"""
        INSERT INTO {t['task']} (key, sr_id, clock_id, kind, title, assignee_id, team_id, due_on, created_at)
        SELECT 'clock:' || c.id || ':' || {_due_text_sql()} || ':{kind}', c.sr_id, c.id, '{kind}',
               %s || r.name, {'NULL' if to_team else 'c.owner_id'}, c.team_id, c.due_on, %s
        FROM ({arms}) c
        JOIN {t['rule']} r ON r.id = c.rule_id
        WHERE r.is_wait = {'TRUE' if is_wait else 'FALSE'}
        ON CONFLICT (key) DO NOTHING
    """
    return sql, [TITLES[kind], ops.adapt_datetimefield_value(at), *arms_params]


def _clear_looked_at(cursor: Any, today: date) -> int:
    """Clocks started or moved since the last scan have had their look: from
    now on the bounds find their crossings."""
    clock = _tables()["clock"]
    cursor.execute(f"""
        UPDATE {clock} SET next_check_on = NULL
        WHERE met_on IS NULL AND cancelled_at IS NULL AND next_check_on <= %s
    """, [connection.ops.adapt_datefield_value(today)])
    return max(cursor.rowcount, 0)


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
    now_bounds = Bounds.of(today)
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
        last = ScanRun.objects.filter(day__lte=today).order_by("-day").first()
        since = Bounds.from_run(last) if last is not None else None
        for kind in LADDER:
            cursor.execute(*_rung_sql(kind, now_bounds, since, now))
            result.inserted[kind] = max(cursor.rowcount, 0)
        result.looked_at = _clear_looked_at(cursor, today)
        # Once a clock is overdue its "due soon" prompt has done its job:
        # the overdue alert raised above takes its place. Deleted rather than
        # marked done: nobody acted on it, nothing shows a done prompt, and an
        # UPDATE wrote a new version of each row in every index of the task
        # table (0.25 s of a day's scan at 1M SRs against 0.015 s, measured).
        result.superseded = Task.objects.filter(
            kind=TaskKind.DUE_SOON, done_at__isnull=True, due_on__lt=today
        )._raw_delete(connection.alias)
        ScanRun.objects.update_or_create(day=today, defaults={
            "bounds": now_bounds.as_json(), "inserted": result.total, "finished_at": now})
        if result.total or result.superseded:
            # Tasks raised and closed without an audit event: the badges
            # kept per team (complaints.generations) are counted again.
            for team_id in Team.objects.values_list("pk", flat=True):
                bump_team(team_id)
    log.info(result.summary())
    return result
