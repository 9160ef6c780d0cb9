"""The transition framework every route uses.

A view posts (transition name, form data, the version it loaded); this
service locks the row, refuses a stale form, checks the state (409) and
the user (403), runs the route's @transition method, saves, writes the
audit event and the step's note, then runs the steps the transition
declares (complaints.pipeline: clocks, tasks, plan, letter, e-mail, a
raised SR) — all in one transaction, so a refusal anywhere changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.db import OperationalError, transaction
from django.utils import timezone
from django_fsm import (
    FSMFieldMixin,
    Transition,
    get_all_FIELD_transitions,
    get_available_FIELD_transitions,
    get_available_user_FIELD_transitions,
)

from accounts.models import User

from ..facts import forget_facts
from ..models import Note, ServiceRequest
from ..pipeline import StepContext, record_fields, run_steps
from ..routes import as_route
from ..steps import declaration_of
from .audit import record_event
from .errors import NotAllowedInState, NotPermitted, RowBusy, ServiceError, StaleServiceRequest, is_busy_error


def _state_field() -> FSMFieldMixin:
    # The functions django-fsm binds to the model as get_*_state_transitions,
    # called directly so that the type checker sees them.
    return cast(FSMFieldMixin, ServiceRequest._meta.get_field("state"))


def all_transitions(sr: ServiceRequest) -> dict[str, Transition]:
    """Every transition of the SR's route, by name, whatever the state."""
    sr = as_route(sr)
    found: dict[str, Transition] = {}
    for t in get_all_FIELD_transitions(sr, _state_field()):
        found.setdefault(t.name, t)
    return found


def available_transitions(sr: ServiceRequest, user: User) -> list[Transition]:
    """What this user may run on this SR now: the case page's buttons."""
    sr = as_route(sr)
    seen: set[str] = set()
    result = []
    for t in get_available_user_FIELD_transitions(sr, user, _state_field()):
        if t.name not in seen and not t.custom.get("hidden"):
            seen.add(t.name)
            result.append(t)
    return sorted(result, key=lambda t: t.custom.get("order", 50))


def transition_for_state(sr: ServiceRequest, name: str) -> Transition | None:
    """The transition called `name` as it applies in the SR's current state
    (with its conditions met), or None."""
    sr = as_route(sr)
    for t in get_available_FIELD_transitions(sr, _state_field()):
        if t.name == name:
            return t
    return None


def lock_service_request(sr_id: int, expected_version: int | None) -> ServiceRequest:
    """Lock the row for this transaction and refuse a stale form.

    ConcurrentTransitionMixin would only catch concurrent *state* changes;
    the version column catches every change (notes aside), and the row lock
    makes the check and the write one step."""
    try:
        sr = ServiceRequest.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=sr_id)
    except OperationalError as exc:
        # Held by someone else past the lock timeout: "try again", not a 500.
        if is_busy_error(exc):
            raise RowBusy() from exc
        raise
    if expected_version is not None and sr.version != expected_version:
        who = sr.updated_by.display_name if sr.updated_by else "another user"
        raise StaleServiceRequest(who, sr.updated_at)
    return as_route(sr)


def touch(sr: ServiceRequest, actor: User, now: datetime, fields: list[str]) -> None:
    """Save the given fields plus the optimistic-locking columns."""
    sr.version += 1
    sr.updated_by = actor
    sr.updated_at = now
    sr.save(update_fields=[*fields, "version", "updated_by", "updated_at"])


@dataclass(frozen=True)
class TransitionResult:
    sr: ServiceRequest
    message: str


# Fields a transition method may change on its own row.
TRANSITION_FIELDS = [
    "state", "owner", "resolution_code", "closed_at", "lock_assignment", "gateway_passed", "dg_caselist",
]


def run_transition(
    *, sr_id: int, actor: User, name: str, expected_version: int | None, data: dict[str, Any]
) -> TransitionResult:
    """Run one transition and its declared steps (complaints.pipeline) in one
    transaction: a refusal anywhere changes nothing."""
    now = timezone.now()
    with transaction.atomic():
        sr = lock_service_request(sr_id, expected_version)
        known = all_transitions(sr)
        if name not in known:
            raise NotAllowedInState(f"There is no action called “{name}” on a {sr.get_route_display()} SR.")
        t = transition_for_state(sr, name)
        label = known[name].custom.get("label", name)
        if t is None:
            raise NotAllowedInState(
                f"“{label}” cannot be done while the SR is {sr.status} / {sr.sub_status or '–'}. "
                "The page may be out of date: reload it."
            )
        if not t.has_perm(sr, actor):
            raise NotPermitted(f"You are not allowed to “{label}” on this SR.")
        decl = declaration_of(t.custom)
        ctx = StepContext(sr=sr, actor=actor, now=now, data=data, from_state=sr.state, transition=name,
                          owner_before=sr.owner_id)
        getattr(sr, name)(actor=actor, now=now, data=data)
        changed = record_fields(decl.record, ctx)
        touch(sr, actor, now, [*TRANSITION_FIELDS, *changed])
        details = {k: _jsonable(v) for k, v in data.items() if k != "letter"}
        record_event(sr=sr, actor=actor, verb=name, now=now, from_state=ctx.from_state, to_state=sr.state,
                     **details)
        note = str(data.get("note") or "").strip()
        if note:
            # The step's note belongs to the step: saved with it, once (the
            # event above carries its text for the timeline).
            Note.objects.create(sr=sr, author=actor, text=note)
        message = run_steps(decl, ctx) or f"{label}: done."
        forget_facts(sr)
    return TransitionResult(sr=sr, message=message)


def _jsonable(value: Any) -> Any:
    if hasattr(value, "pk"):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


__all__ = [
    "ServiceError", "TransitionResult", "all_transitions", "available_transitions", "lock_service_request",
    "run_transition", "touch", "transition_for_state",
]
