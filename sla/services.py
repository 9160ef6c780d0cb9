"""Deadline clocks and tasks: the only code that writes them.

Routes start and meet clocks with one call from their services, inside the
transition's transaction:

    start_clock(sr=sr, rule_code="review.acknowledge", actor=actor, now=now)
    meet_clock(sr=sr, rule_code="review.acknowledge", actor=actor, now=now)

Each call writes the SR's audit event. A clock's due date is computed once,
from the client's region and the rule's length *as it is at the start*, and
stored; the scan only reads it. Calendar changes (office closures) move
running clocks through sla.closures."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import F, Min, OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import User
from complaints.generations import bump_team
from complaints.models import ServiceRequest
from complaints.pipeline import completer_for
from complaints.services.audit import record_event
from complaints.services.errors import NotPermitted, ServiceError
from workdays import calendar
from workdays.text import fmt_day

from .calendar_sync import ensure_fresh
from .counts import apply, counts_follow, tally
from .models import ClockQuerySet, DeadlineClock, DeadlineRule, RuleUnit, Task, TaskKind


def today(now: datetime) -> date:
    """Deadlines are dates in Europe/London."""
    return timezone.localdate(now)


def compute_due_for(unit: str, started_on: date, region: str, length: int | None) -> date:
    """The due date for a rule unit and length: the one place the rule table's
    units meet the calendar (DESIGN §4)."""
    if unit == RuleUnit.SET_BY_OTHER or length is None:
        raise ServiceError("The due date is set by ICE / PHSO, so it must be given.")
    try:
        if unit == RuleUnit.WORKING_DAYS:
            return calendar.add_working_days(started_on, length, region)
        if unit == RuleUnit.WEEKS:
            return calendar.add_weeks(started_on, length, region)
        if unit == RuleUnit.CALENDAR_DAYS:
            return calendar.add_calendar_days(started_on, length, region)
    except calendar.OutsideHorizon:
        raise ServiceError(
            f"A deadline cannot be worked out from {fmt_day(started_on)}: the working-day calendar covers "
            f"{fmt_day(calendar.HORIZON_START)} to {fmt_day(calendar.HORIZON_END)}.") from None
    raise ServiceError(f"Unknown deadline unit {unit!r}.")


def compute_due(rule: DeadlineRule, started_on: date, region: str, *, length: int | None = None) -> date:
    return compute_due_for(rule.unit, started_on, region, rule.length if length is None else length)


def _running(sr: ServiceRequest, rule_code: str) -> ClockQuerySet:
    return DeadlineClock.objects.running().filter(sr=sr, rule__code=rule_code)


def keep_next_due(sr: ServiceRequest) -> None:
    """Store the SR's earliest running due date on the SR (and on this
    instance, so a later save of it cannot write back an old value). Called
    by every service that starts, meets, cancels or moves a clock, inside its
    transaction: lists sort by the stored date (complaints.selectors)."""
    due = DeadlineClock.objects.running().filter(sr_id=sr.pk).aggregate(first=Min("due_on"))["first"]
    ServiceRequest.objects.filter(pk=sr.pk).update(next_due_on=due)
    sr.next_due_on = due


def keep_next_due_bulk(sr_ids: list[int], *, batch: int = 2000) -> None:
    """keep_next_due for many SRs at once (a calendar change moves thousands
    of clocks): one UPDATE per batch."""
    earliest = (
        DeadlineClock.objects.running().filter(sr_id=OuterRef("pk"))
        .values("sr_id").annotate(first=Min("due_on")).values("first")
    )
    ids = sorted(set(sr_ids))
    for i in range(0, len(ids), batch):
        ServiceRequest.objects.filter(pk__in=ids[i:i + batch]).update(next_due_on=Subquery(earliest))


def _close_alerts(sr_ids: list[int], clock_ids: list[int], now: datetime) -> int:
    """Alerts belong to one due date of a clock (their key says which), so a
    met, cancelled or moved clock finishes them. Found through their SRs
    (task_sr_clock_idx): one index on the task table serves both, and the
    scan inserts tens of thousands of tasks a day."""
    return Task.objects.filter(sr_id__in=set(sr_ids), clock_id__in=clock_ids, done_at__isnull=True).update(
        done_at=now)


def start_clock(
    *, sr: ServiceRequest, rule_code: str, actor: User | None, now: datetime, started_on: date | None = None,
    due_on: date | None = None, use_alternative_length: bool = False, label: str = "",
) -> DeadlineClock:
    """Start (or return the already running) clock of this rule on the SR.
    The due date is computed once, from the client's region, and stored.
    A labelled clock (an ad-hoc question) is always a new one: several may
    run at once."""
    label = label.strip()[:200]
    if not label:
        running = _running(sr, rule_code).filter(label="").first()
        if running is not None:
            return running
    try:
        rule = DeadlineRule.objects.get(code=rule_code)
    except DeadlineRule.DoesNotExist:
        raise ServiceError(f"There is no deadline rule {rule_code!r}.") from None
    region = sr.client.region
    started_on = started_on or today(now)
    length = rule.alternative_length if use_alternative_length and rule.alternative_length else rule.length
    if due_on is None:
        # Another process may have edited office closures since this one
        # cached its calendar.
        ensure_fresh()
        due_on = compute_due_for(rule.unit, started_on, region, length)
    elif due_on < started_on:
        raise ServiceError("The due date cannot be before the date the deadline starts.")
    clock = DeadlineClock.objects.create(
        sr=sr, rule=rule, route=sr.route, team_id=sr.team_id, owner_id=sr.owner_id, region=region,
        started_on=started_on, length=length, unit=rule.unit, due_on=due_on, original_due_on=due_on, created_at=now, label=label,
        next_check_on=today(now),
    )
    apply(tally([clock.pk]))
    keep_next_due(sr)
    name = f"{rule.name}: {label}" if label else rule.name
    record_event(sr=sr, actor=actor, verb="clock_started", now=now, rule=rule.code, rule_name=name,
                 started_on=started_on.isoformat(), due_on=due_on.isoformat(),
                 message=f"{name}: due {fmt_day(due_on)}")
    return clock


def meet_clock(
    *, sr: ServiceRequest, rule_code: str, actor: User | None, now: datetime, met_on: date | None = None,
    clock_id: int | None = None,
) -> DeadlineClock | None:
    """Mark the running clock of this rule met (the one given, when several
    run); None if none is running."""
    clocks = _running(sr, rule_code).select_related("rule").order_by("due_on", "id")
    clock = clocks.filter(pk=clock_id).first() if clock_id is not None else clocks.first()
    if clock is None:
        return None
    clock.met_on = met_on or today(now)
    with counts_follow([clock.pk]):
        clock.save(update_fields=["met_on"])
    _close_alerts([clock.sr_id], [clock.pk], now)
    keep_next_due(sr)
    on_time = clock.met_on <= clock.due_on
    name = f"{clock.rule.name}: {clock.label}" if clock.label else clock.rule.name
    record_event(sr=sr, actor=actor, verb="clock_met", now=now, rule=rule_code, due_on=clock.due_on.isoformat(),
                 met_on=clock.met_on.isoformat(), on_time=on_time,
                 message=f"{name}: met {'on time' if on_time else 'late'}")
    return clock


def cancel_clocks(
    *, sr: ServiceRequest, actor: User | None, now: datetime, reason: str, rule_codes: list[str] | None = None
) -> int:
    """Stop running clocks (all of them when no rule is named), e.g. on closure."""
    clocks = DeadlineClock.objects.running().filter(sr=sr)
    if rule_codes is not None:
        clocks = clocks.filter(rule__code__in=rule_codes)
    found = list(clocks.values_list("pk", "rule__code"))
    if not found:
        return 0
    ids = [pk for pk, _ in found]
    _close_alerts([sr.pk], ids, now)
    with counts_follow(ids):
        count = DeadlineClock.objects.filter(pk__in=ids).update(cancelled_at=now)
    keep_next_due(sr)
    record_event(sr=sr, actor=actor, verb="clocks_cancelled", now=now, rules=[code for _, code in found],
                 reason=reason)
    return count


def extend_clock(
    *, sr: ServiceRequest, rule_code: str, actor: User, now: datetime, extended_to: date, reason: str
) -> DeadlineClock:
    """A new date agreed with ICE / PHSO (target date extensions). The DG
    caselist and dashboards read the clock's due date, so they follow."""
    clock = _running(sr, rule_code).select_for_update().first()
    if clock is None:
        raise ServiceError("That deadline is not running.")
    if extended_to <= clock.due_on:
        raise ServiceError("An extension must move the deadline later.")
    if extended_to > calendar.LATEST_ENTRY:
        # Every page that shows the deadline counts working days to it.
        raise ServiceError(f"The new due date must be the same as or before {fmt_day(calendar.LATEST_ENTRY)}.")
    if not reason.strip():
        raise ServiceError("Give the reason for the extension.")
    previous = clock.due_on
    clock.extended_to = extended_to
    clock.extension_reason = reason.strip()
    clock.due_on = extended_to
    clock.next_check_on = today(now)  # the scan looks at it again (sla.scan)
    with counts_follow([clock.pk]):
        clock.save(update_fields=["extended_to", "extension_reason", "due_on", "next_check_on"])
    keep_next_due(sr)
    # The alerts were about the old date; the scan raises new ones if the new
    # date passes too.
    _close_alerts([clock.sr_id], [clock.pk], now)
    record_event(sr=sr, actor=actor, verb="clock_extended", now=now, rule=rule_code,
                 from_due_on=previous.isoformat(), to_due_on=extended_to.isoformat(), reason=reason.strip(),
                 message=f"due date moved from {fmt_day(previous)} to {fmt_day(extended_to)}: "
                         f"extended ({reason.strip()})")
    return clock


def sr_team_changed(*, sr: ServiceRequest) -> int:
    """Running clocks carry the SR's team for the dashboards: call this from a
    service that moves an SR to another team."""
    running = DeadlineClock.objects.running().filter(sr=sr)
    clocks = list(running.values_list("pk", "team_id"))
    # The team the SR left: its kept figures are counted again too
    # (record_event moves on the SR's team, which is now the new one).
    for team_id in sorted({team_id for _, team_id in clocks} - {sr.team_id}):
        bump_team(team_id)
    with counts_follow([pk for pk, _ in clocks]):
        return running.update(team_id=sr.team_id)


def resync_clock_owners() -> int:
    """Repair: running clocks whose owner is not their SR's (written behind
    the services' back) take their SR's; returns how many. The kept owner
    counts are then rebuilt by sla.counts.recount (manage.py
    recount_deadlines), which counts by the SR's owner."""
    differs = (Q(owner__isnull=True, sr__owner__isnull=False) | Q(owner__isnull=False, sr__owner__isnull=True)
               | (Q(owner__isnull=False, sr__owner__isnull=False) & ~Q(owner_id=F("sr__owner_id"))))
    # One UPDATE (Django turns the filter's join into an id subquery).
    return DeadlineClock.objects.running().filter(differs).update(
        owner_id=Subquery(ServiceRequest.objects.filter(pk=OuterRef("sr_id")).values("owner_id")[:1]))


def sr_owner_changed(*, sr: ServiceRequest) -> int:
    """Running clocks carry the SR's owner for the scan and the owner counts:
    called as soon as an SR is saved with another owner."""
    running = DeadlineClock.objects.running().filter(sr=sr)
    with counts_follow(list(running.values_list("pk", flat=True))):
        return running.update(owner_id=sr.owner_id)


@transaction.atomic
def complete_task(*, task: Task, actor: User, now: datetime) -> Task:
    """Mark a task done. The caller has checked the actor may see the task
    (sla.selectors.open_tasks_for); done twice is harmless."""
    task = Task.objects.select_for_update().select_related("sr").get(pk=task.pk)
    if task.done_at is not None:
        return task
    if task.kind == TaskKind.ACTION and task.assignee_id not in (None, actor.pk) and not actor.is_superuser:
        raise NotPermitted("This task belongs to someone else.")
    # A task that stands for work recorded elsewhere (a plan action) is done
    # through that work's own service, so the two can never disagree.
    completer = completer_for(task.key)
    if completer is not None:
        completer(task=task, actor=actor, now=now)
        task.refresh_from_db()
        return task
    task.done_at = now
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by"])
    record_event(sr=task.sr, actor=actor, verb="task_done", now=now, task=task.key, kind=task.kind,
                 message=f"Task done: {task.title}")
    return task


def create_task(
    *, sr: ServiceRequest, key: str, title: str, actor: User | None, now: datetime, assignee: User | None = None,
    team_id: int | None = None, due_on: date | None = None, kind: str = TaskKind.ACTION, role: str = "",
) -> Task:
    """An activity-plan step a route raises (e.g. "notify ICE of complaint
    closure"). The key is unique per piece of work, so raising it twice
    returns the first."""
    task, created = Task.objects.get_or_create(
        key=key,
        defaults=dict(sr=sr, kind=kind, title=title[:200], assignee=assignee, role=role,
                      team_id=team_id if team_id is not None else sr.team_id, due_on=due_on, created_at=now),
    )
    if created:
        record_event(sr=sr, actor=actor, verb="task_created", now=now, task=key, message=f"Task: {title}")
    return task


# The rungs of the ladder that are the owner's to act on (the team's while
# the SR is unallocated); the team leader's and manager's rungs stay theirs.
OWNER_TASK_KINDS = (TaskKind.DUE_SOON, TaskKind.OVERDUE, TaskKind.WAIT_EXPIRED, TaskKind.ACTION)


def reassign_open_tasks(*, sr: ServiceRequest, from_user_id: int | None, to_user_id: int | None) -> int:
    """The owner's open tasks go with the SR when it changes hands: the
    previous owner's to the new one (to the team when it goes back to the
    queue), and on allocation from the queue the team's owner-level alerts
    to the caseworker it was allocated to."""
    tasks = Task.objects.filter(sr=sr, done_at__isnull=True)
    if from_user_id is None:
        tasks = tasks.filter(assignee__isnull=True, kind__in=OWNER_TASK_KINDS)
    else:
        tasks = tasks.filter(assignee_id=from_user_id)
    return tasks.update(assignee_id=to_user_id)


def close_task(*, key: str, actor: User | None, now: datetime) -> bool:
    """Close a route-raised task by its key (e.g. when the FIG SR closes)."""
    return bool(Task.objects.filter(key=key, done_at__isnull=True).update(done_at=now, done_by=actor))


def close_tasks(*, sr: ServiceRequest, key_prefix: str, actor: User | None, now: datetime) -> int:
    """Close an SR's open tasks of one kind of work (keys "<prefix>:…")."""
    return Task.objects.filter(sr=sr, key__startswith=f"{key_prefix}:", done_at__isnull=True).update(
        done_at=now, done_by=actor)
