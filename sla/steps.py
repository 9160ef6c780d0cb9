"""How the deadline app carries out the clock and task steps routes declare
(complaints.steps), and what it does when a step closes an SR or hands it
to someone else. Registered with the core's pipeline at start-up
(SlaConfig.ready)."""

from complaints.facts import ClockFacts, provide_clock_facts
from complaints.models import ServiceRequest
from complaints.pipeline import StepContext, after_transition, before_steps, fill, handles, on_closing
from complaints.services.errors import ServiceError
from complaints.steps import Assignee, CancelClock, CloseTask, MeetClock, RaiseTask, RoleAssignee, StartClock

from .models import DeadlineClock, Task
from .services import (
    cancel_clocks,
    close_task,
    close_tasks,
    create_task,
    meet_clock,
    reassign_open_tasks,
    sr_owner_changed,
    start_clock,
)


@handles(StartClock)
def start(step: StartClock, ctx: StepContext) -> None:
    started_on = step.start.resolve(ctx)
    if started_on is None:
        raise ServiceError(f"Enter the date for “{step.start.describe()}”.")
    due_on = step.due.resolve(ctx) if step.due is not None else None
    if step.due is not None and due_on is None:
        raise ServiceError("Enter the date the reply is due.")
    label = str(ctx.data.get(step.label_field) or "") if step.label_field else ""
    clock = start_clock(sr=ctx.sr, rule_code=step.rule, actor=ctx.actor, now=ctx.now, started_on=started_on,
                        due_on=due_on, use_alternative_length=bool(step.longer_if and ctx.data.get(step.longer_if)),
                        label=label)
    ctx.due[step.rule] = clock.due_on


@handles(MeetClock)
def meet(step: MeetClock, ctx: StepContext) -> None:
    chosen = ctx.data.get(step.which) if step.which else None
    clock_id = chosen.pk if isinstance(chosen, DeadlineClock) else (int(chosen) if chosen else None)
    clock = meet_clock(sr=ctx.sr, rule_code=step.rule, actor=ctx.actor, now=ctx.now, clock_id=clock_id)
    if clock is not None:
        ctx.due.setdefault(step.rule, clock.due_on)


@handles(CancelClock)
def cancel(step: CancelClock, ctx: StepContext) -> None:
    cancel_clocks(sr=ctx.sr, actor=ctx.actor, now=ctx.now, reason=f"No longer needed after “{ctx.transition}”",
                  rule_codes=[step.rule])


def task_key(name: str, ctx: StepContext, key: str = "") -> str:
    return f"{name}:{key or ctx.sr.pk}"


@handles(RaiseTask)
def raise_task(step: RaiseTask, ctx: StepContext) -> None:
    sr = ctx.sr
    assignee, role = None, ""
    if isinstance(step.assignee, RoleAssignee):
        role = step.assignee.role
    elif step.assignee == Assignee.OWNER:
        assignee = sr.owner  # None while unallocated: the team's
    create_task(sr=sr, key=task_key(step.name, ctx, step.key), title=fill(step.title, ctx), actor=ctx.actor,
                now=ctx.now, assignee=assignee, role=role,
                due_on=step.due.resolve(ctx) if step.due is not None else None)


@handles(CloseTask)
def close(step: CloseTask, ctx: StepContext) -> None:
    if step.key:
        close_task(key=task_key(step.name, ctx, step.key), actor=ctx.actor, now=ctx.now)
    else:
        close_tasks(sr=ctx.sr, key_prefix=step.name, actor=ctx.actor, now=ctx.now)


@on_closing
def stop_what_runs(ctx: StepContext) -> None:
    """A closed SR has nothing left to do: its running clocks stop and its
    open tasks close."""
    sr = ctx.sr
    cancel_clocks(sr=sr, actor=ctx.actor, now=ctx.now, reason=f"SR closed ({sr.get_resolution_code_display()})")
    Task.objects.filter(sr=sr, done_at__isnull=True).update(done_at=ctx.now, done_by=ctx.actor)


@before_steps
def clocks_follow_the_owner(ctx: StepContext) -> None:
    """The running clocks, and with them the dashboard's overdue deadlines
    per owner (sla.counts), move with the SR as soon as it is saved with its
    new owner, before the steps start or stop clocks under that owner."""
    if ctx.sr.owner_id != ctx.owner_before:
        sr_owner_changed(sr=ctx.sr)


@after_transition
def tasks_follow_the_owner(ctx: StepContext) -> None:
    if ctx.sr.owner_id != ctx.owner_before:
        reassign_open_tasks(sr=ctx.sr, from_user_id=ctx.owner_before, to_user_id=ctx.sr.owner_id)


@provide_clock_facts
def clock_facts(sr: ServiceRequest) -> ClockFacts:
    rows = DeadlineClock.objects.filter(sr_id=sr.pk).values_list("rule__code", "due_on", "met_on", "cancelled_at")
    running: dict = {}
    started = set()
    for code, due, met, cancelled in rows:
        started.add(code)
        if met is None and cancelled is None and (code not in running or due < running[code]):
            running[code] = due
    return ClockFacts(started=frozenset(started), running_due=running)

