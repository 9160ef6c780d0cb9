"""Office closures change the calendar, so they move running clocks.

Admin's save_model / delete_model call these services (never a signal), so
a reader of the admin sees where the recomputation happens. Each moved
clock gets its new due date and a timeline entry on its SR such as
"due date moved from Fri 8 May to Mon 11 May: office closure on Wed 6 May
added". Clocks whose date was set by someone else (ICE / PHSO ad-hoc dates,
extensions) are not moved: that date was given, not computed."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from complaints.generations import bump_team
from complaints.models import CaseEvent

from . import calendar_sync
from .counts import counts_follow
from .models import ClosureDay, DeadlineClock, RuleUnit
from .services import _close_alerts, compute_due_for, keep_next_due_bulk


@dataclass(frozen=True)
class CalendarChange:
    region: str
    day: date
    description: str  # "office closure on Wed 6 May added"


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _describe(closure_day: date, what: str) -> str:
    return f"office closure on {_short(closure_day)} {what}"


@transaction.atomic
def save_closure_day(*, closure: ClosureDay, actor: User, now: datetime) -> int:
    """Add or edit a closure day; returns how many running clocks moved."""
    before = None
    if closure.pk:
        before = ClosureDay.objects.select_for_update().filter(pk=closure.pk).values("region", "date").first()
    closure.full_clean()
    closure.save()
    changes = []
    if before is None:
        changes.append(CalendarChange(closure.region, closure.date, _describe(closure.date, "added")))
    elif (before["region"], before["date"]) != (closure.region, closure.date):
        changes.append(CalendarChange(before["region"], before["date"], _describe(before["date"], "removed")))
        changes.append(CalendarChange(closure.region, closure.date, _describe(closure.date, "added")))
    # A renamed closure moves nothing.
    return recompute_running_clocks(changes=changes, actor=actor, now=now)


@transaction.atomic
def delete_closure_day(*, closure: ClosureDay, actor: User, now: datetime) -> int:
    change = CalendarChange(closure.region, closure.date, _describe(closure.date, "removed"))
    closure.delete()
    return recompute_running_clocks(changes=[change], actor=actor, now=now)


def _affected(changes: Iterable[CalendarChange]) -> QuerySet[DeadlineClock]:
    """Running, computed clocks whose window holds a changed day: it lies
    after the start (day 0 never moves) and on or before the due date (a
    removed closure was skipped, so it lies before the current due date)."""
    window = Q(pk__in=[])
    for change in changes:
        window |= Q(region=change.region, started_on__lt=change.day, due_on__gte=change.day)
    return (
        DeadlineClock.objects.running()
        .filter(window, extended_to__isnull=True, length__isnull=False)
        .exclude(unit=RuleUnit.SET_BY_OTHER)
        .select_related("rule")
    )


@transaction.atomic
def recompute_running_clocks(
    *, changes: list[CalendarChange] | None, actor: User | None, now: datetime, reason: str = ""
) -> int:
    """Recompute the due dates of running clocks after a calendar change,
    store the moves and write them on each SR's timeline. With changes=None
    every running clock is checked (e.g. after a `holidays` upgrade announced
    a new bank holiday; `manage.py recompute_deadlines`)."""
    calendar_sync.invalidate()
    clocks: QuerySet[DeadlineClock]
    if changes is None:
        clocks = (DeadlineClock.objects.running().filter(extended_to__isnull=True, length__isnull=False)
                  .exclude(unit=RuleUnit.SET_BY_OTHER).select_related("rule"))
    elif not changes:
        return 0
    else:
        clocks = _affected(changes)
    moved: list[DeadlineClock] = []
    events: list[CaseEvent] = []
    for clock in clocks.iterator(chunk_size=2000):
        new_due = compute_due_for(clock.effective_unit, clock.started_on, clock.region, clock.length)
        if new_due == clock.due_on:
            continue
        why = reason or "; ".join(
            c.description for c in (changes or []) if c.region == clock.region
        ) or "calendar changed"
        message = f"due date moved from {_short(clock.due_on)} to {_short(new_due)}: {why}"
        # The same shape record_event writes; built in bulk because one
        # closure can move thousands of clocks.
        events.append(CaseEvent(
            sr_id=clock.sr_id, actor=actor, verb="clock_moved", created_at=now,
            details={"rule": clock.rule.code, "rule_name": clock.rule.name, "from_due_on": clock.due_on.isoformat(),
                     "to_due_on": new_due.isoformat(), "reason": why, "message": message},
        ))
        # original_due_on is "what the rule gives" (before any extension), so
        # it follows the calendar too; the timeline keeps the history.
        clock.due_on = clock.original_due_on = new_due
        clock.next_check_on = timezone.localdate(now)  # the scan looks at it again (sla.scan)
        moved.append(clock)
    if moved:
        with counts_follow([c.pk for c in moved]):
            DeadlineClock.objects.bulk_update(moved, ["due_on", "original_due_on", "next_check_on"], batch_size=2000)
        keep_next_due_bulk([c.sr_id for c in moved])
        CaseEvent.objects.bulk_create(events, batch_size=2000)
        _close_alerts([c.sr_id for c in moved], [c.pk for c in moved], now)
        # Events written in bulk, not through record_event: the figures
        # kept per team (complaints.generations) are counted again here.
        for team_id in sorted({c.team_id for c in moved}):
            bump_team(team_id)
    return len(moved)
