"""The pipeline that carries out a transition's declared steps.

run_transition (complaints.services.transitions) locks the SR, checks the
state and the user, calls the route's @transition method (which changes
only the SR's own row) and then hands the declaration to `run_steps`,
inside the same transaction. The order is fixed, so a reader of a route's
declaration knows what happens when:

 1. record    — the form's fields are copied onto the SR (or its route's
                details row);
 2. save      — the SR is saved, the audit event written, and the step's
                note (if the form has one) saved with it; then what must
                follow the saved row before any step runs (`before_steps`:
                the dashboard's counts per owner move with a new owner);
 3. plan      — the plan operation (submit, approve, reject, refer, the
                client's answer, the team leader's decision);
 4. start     — declared clocks start (a task below may be due from one);
 5. meet      — declared clocks are met or cancelled (after starting, so a
                step may start and meet a clock at once: a letter sent
                straight away), declared tasks closed;
 6. closing   — if the step closed the SR: what an SR raised by another one
                does on closing (its declared `on_close`), then every
                clock still running is cancelled and every open task
                closed, then the raising SR's `origin_on_close` steps;
 7. raise SR  — a new SR is raised and linked both ways, with its own steps;
                then SRs the form names are linked (LinkSRs);
 8. tasks     — declared tasks are raised (their titles may name the SR
                just raised);
 9. letter    — the declared letter is issued (after the clocks, so it can
                quote their dates);
10. e-mail    — declared e-mails go to the outbox;
11. effect    — the hand-written effect, for what the vocabulary cannot say;
12. after     — housekeeping every transition needs: tasks follow a change
                of owner, a confidential SR's new owner is granted access,
                plan actions become (or stop being) the owner's tasks.

The apps that own clocks, tasks, letters and e-mail register the code that
carries out their kinds of step (`handles`) and what they do before the
steps and at the closing and after phases (`before_steps`, `on_closing`,
`after_transition`), in their
AppConfig.ready(); the core imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from accounts.models import Region
from workdays.text import fmt_day

from .models import CaseEvent, ServiceRequest
from .routes import REGISTRY
from .steps import (
    CancelClock,
    CloseTask,
    CreateSteps,
    Declaration,
    MeetClock,
    PlanOp,
    RaiseSR,
    RaiseTask,
    SendEmail,
    StartClock,
)

if TYPE_CHECKING:
    from accounts.models import User


@dataclass
class StepContext:
    """One run of a declaration: the SR, who, when, the form's data, and
    what the steps found out (due dates, SRs raised) for later steps and
    for the sentence the caseworker sees in the banner."""

    sr: ServiceRequest
    actor: User
    now: datetime
    data: dict[str, Any]
    from_state: str = ""
    transition: str = ""
    owner_before: int | None = None
    # Rule code -> due date of the clocks this run started or met.
    due: dict[str, date] = field(default_factory=dict)
    raised: list[ServiceRequest] = field(default_factory=list)
    # Sentences handlers add to the banner ("Internal ICE notified.").
    notices: list[str] = field(default_factory=list)
    # Placeholders handlers add for the banner ({redress}, {grade}).
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def today(self) -> date:
        return timezone.localdate(self.now)

    def event_date(self, verb: str) -> date | None:
        at = (CaseEvent.objects.filter(sr_id=self.sr.pk, verb=verb).order_by("-created_at")
              .values_list("created_at", flat=True).first())
        return timezone.localdate(at) if at else None

    def for_sr(self, sr: ServiceRequest) -> StepContext:
        """The same run, on another SR (one raised, or the one that raised it)."""
        return StepContext(sr=sr, actor=self.actor, now=self.now, data=self.data, transition=self.transition,
                           from_state=sr.state, owner_before=sr.owner_id)


S = TypeVar("S")
Handler = Callable[[Any, StepContext], None]
_HANDLERS: dict[type, Handler] = {}
_LETTER: list[Callable[[str, StepContext], None]] = []
_PLAN: list[Callable[[PlanOp, StepContext], None]] = []
_RAISE_SR: list[Callable[[RaiseSR, StepContext], ServiceRequest]] = []
_RECORD: list[Callable[[tuple[str | tuple[str, str], ...], StepContext], list[str]]] = []
_CLOSING: list[Callable[[StepContext], None]] = []
_CLOSED_FOLLOW_UPS: list[Callable[[StepContext, str], None]] = []
_BEFORE: list[Callable[[StepContext], None]] = []
_AFTER: list[Callable[[StepContext], None]] = []


def handles(kind: type[S]) -> Callable[[Callable[[S, StepContext], None]], Callable[[S, StepContext], None]]:
    """Register the function that carries out one kind of step."""
    def register(fn: Callable[[S, StepContext], None]) -> Callable[[S, StepContext], None]:
        _HANDLERS[kind] = fn
        return fn
    return register


def handles_letters(fn: Callable[[str, StepContext], None]) -> Callable[[str, StepContext], None]:
    _LETTER[:] = [fn]
    return fn


def handles_plans(fn: Callable[[PlanOp, StepContext], None]) -> Callable[[PlanOp, StepContext], None]:
    _PLAN[:] = [fn]
    return fn


def handles_raise_sr(fn: Callable[[RaiseSR, StepContext], ServiceRequest]) -> Callable[[RaiseSR, StepContext], ServiceRequest]:
    _RAISE_SR[:] = [fn]
    return fn


def handles_record(
    fn: Callable[[tuple[str | tuple[str, str], ...], StepContext], list[str]],
) -> Callable[[tuple[str | tuple[str, str], ...], StepContext], list[str]]:
    _RECORD[:] = [fn]
    return fn


def on_closing(fn: Callable[[StepContext], None]) -> Callable[[StepContext], None]:
    """Run when a step closes an SR, after its raised-SR `on_close` steps:
    stop what still runs on it."""
    if fn not in _CLOSING:
        _CLOSING.append(fn)
    return fn


def closed_follow_up(fn: Callable[[StepContext, str], None]) -> Callable[[StepContext, str], None]:
    """fn(ctx, phase) with phase "self" (before clocks stop) or "origin"
    (after): the raised-SR follow-ups (registered by the core)."""
    if fn not in _CLOSED_FOLLOW_UPS:
        _CLOSED_FOLLOW_UPS.append(fn)
    return fn


def before_steps(fn: Callable[[StepContext], None]) -> Callable[[StepContext], None]:
    """fn(ctx) once the transition's own row is saved, before any step runs:
    for what must follow the row as it was left by the transition alone
    (e.g. counts kept per owner, before the steps start or stop clocks)."""
    if fn not in _BEFORE:
        _BEFORE.append(fn)
    return fn


def after_transition(fn: Callable[[StepContext], None]) -> Callable[[StepContext], None]:
    if fn not in _AFTER:
        _AFTER.append(fn)
    return fn


# Some tasks stand for work recorded elsewhere (a plan action): marking the
# task done does that work through its own service, which closes the task,
# so the two can never disagree. Registered by the task name (its key's
# prefix).
_COMPLETERS: dict[str, Callable[..., object]] = {}


def task_completer(name: str) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """complete(task=, actor=, now=) for tasks of this name."""
    def register(fn: Callable[..., object]) -> Callable[..., object]:
        _COMPLETERS[name] = fn
        return fn
    return register


def completer_for(task_key: str) -> Callable[..., object] | None:
    return _COMPLETERS.get(task_key.partition(":")[0])


def _only(registry: list[Any], what: str) -> Any:
    if not registry:
        raise ImproperlyConfigured(f"No app registered the handler for {what}.")
    return registry[0]


def run_step(step: Any, ctx: StepContext) -> None:
    """Carry out one step (also used by services outside a transition, e.g.
    a plan action's task)."""
    handler = _HANDLERS.get(type(step))
    if handler is None:
        raise ImproperlyConfigured(f"No app registered the handler for {type(step).__name__} steps.")
    handler(step, ctx)


def record_fields(record: tuple[str | tuple[str, str], ...], ctx: StepContext) -> list[str]:
    """Step 1. Returns the SR fields changed (saved with the transition)."""
    return _only(_RECORD, "Record")(record, ctx) if record else []


def run_steps(decl: Declaration, ctx: StepContext) -> str:
    """Steps 3–12 (the caller has done 1 and 2). Returns the banner text."""
    sr = ctx.sr
    for hook in _BEFORE:
        hook(ctx)
    if decl.plan is not None:
        _only(_PLAN, "plan steps")(decl.plan, ctx)
    for start in decl.starts:
        run_step(start, ctx)
    for clock in (*decl.meets, *decl.cancels):
        run_step(clock, ctx)
    for task in decl.closes:
        run_step(task, ctx)
    if sr.closed_at is not None and ctx.from_state != sr.state:
        close_down(ctx)
    if decl.raise_sr is not None:
        ctx.raised.append(_only(_RAISE_SR, "raising an SR")(decl.raise_sr, ctx))
    for link in decl.links:
        run_step(link, ctx)
    for raise_task in decl.raises:
        run_step(raise_task, ctx)
    if decl.letter:
        _only(_LETTER, "letters")(decl.letter, ctx)
    for email in decl.emails:
        run_step(email, ctx)
    extra = decl.effect(ctx) if decl.effect is not None else ""
    for hook in _AFTER:
        hook(ctx)
    return banner(decl, ctx, extra)


def close_down(ctx: StepContext) -> None:
    """Step 6: the SR is closed; whatever ran on it stops with it."""
    for follow_up in _CLOSED_FOLLOW_UPS:
        follow_up(ctx, "self")
    for hook in _CLOSING:
        hook(ctx)
    for follow_up in _CLOSED_FOLLOW_UPS:
        follow_up(ctx, "origin")


def run_create_steps(steps: CreateSteps, ctx: StepContext) -> None:
    for start in steps.clocks:
        run_step(start, ctx)
    for task in steps.tasks:
        run_step(task, ctx)


class _Values(dict[str, Any]):
    """Placeholders of a banner, task title or e-mail: a missing one stays
    visible as {name} rather than raising in the middle of a transition."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def values_for(ctx: StepContext, **extra: Any) -> dict[str, Any]:
    sr = ctx.sr
    values = _Values({k: v for k, v in ctx.data.items() if isinstance(v, (str, int))})
    values.update(
        reference=sr.reference, client=sr.client.name,
        owner=sr.owner.display_name if sr.owner_id and sr.owner else "the team",
        resolution_code=sr.get_resolution_code_display() if sr.resolution_code else "",
        raised=", ".join(r.reference for r in ctx.raised), today=fmt_day(ctx.today),
        actor=ctx.actor.display_name,
        due=_Values({rule: fmt_day(day) for rule, day in ctx.due.items()}),
    )
    values.update(_regional_words(sr))
    values.update(ctx.values)
    values.update(extra)
    return values


# --- PHSO / NI Ombudsman (issue 13) ---
def _regional_words(sr: ServiceRequest) -> dict[str, str]:
    """{organisation} (CMG or NICMS), {ombudsman} (the route's external body,
    the NI Ombudsman for Northern Ireland clients) and {representative} (MP,
    or MP or MLA): e-mails and banners name what the client's region calls
    them."""
    ni = sr.client.region == Region.NORTHERN_IRELAND
    spec = REGISTRY.get(sr.route)
    body = ""
    if spec is not None:
        body = spec.ni_external_body if ni and spec.ni_external_body else spec.external_body
    return {"organisation": sr.client.organisation, "ombudsman": body or "the external body",
            "representative": "MP or MLA" if ni else "MP"}


def fill(text: str, ctx: StepContext, **extra: Any) -> str:
    return text.format_map(values_for(ctx, **extra))


def banner(decl: Declaration, ctx: StepContext, extra: str) -> str:
    text = fill(decl.message, ctx) if decl.message else ""
    parts = [p for p in (text, extra, *ctx.notices) if p]
    return " ".join(parts)


__all__ = [
    "CancelClock", "CloseTask", "MeetClock", "RaiseTask", "SendEmail", "StartClock", "StepContext",
    "after_transition", "before_steps", "closed_follow_up", "fill", "handles", "handles_letters", "handles_plans",
    "handles_raise_sr", "handles_record", "on_closing", "record_fields", "run_create_steps", "run_step",
    "run_steps",
]
