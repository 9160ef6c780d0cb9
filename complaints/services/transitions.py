"""The transition framework every route uses.

A view posts (transition name, form data, the version it loaded); this
service locks the row, refuses a stale form, checks the state (409) and
the user (403), runs the route's @transition method, saves, writes the
audit event, then runs the route's effects for that transition (clocks,
letters, plan changes) — all in one transaction, so a refusal anywhere
changes nothing.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone
from django_fsm import Transition

from ..models import ServiceRequest
from ..routes import CLOSED, as_route, spec_for
from .audit import record_event
from .errors import NotAllowedInState, NotPermitted, RowBusy, ServiceError, StaleServiceRequest, is_busy_error


def all_transitions(sr: ServiceRequest) -> dict[str, Transition]:
    """Every transition of the SR's route, by name, whatever the state."""
    sr = as_route(sr)
    found: dict[str, Transition] = {}
    for t in sr.get_all_state_transitions():
        found.setdefault(t.name, t)
    return found


def available_transitions(sr: ServiceRequest, user) -> list[Transition]:  # type: ignore[no-untyped-def]
    """What this user may run on this SR now: the case page's buttons."""
    sr = as_route(sr)
    seen: set[str] = set()
    result = []
    for t in sr.get_available_user_state_transitions(user):
        if t.name not in seen and not t.custom.get("hidden"):
            seen.add(t.name)
            result.append(t)
    return sorted(result, key=lambda t: t.custom.get("order", 50))


def transition_for_state(sr: ServiceRequest, name: str) -> Transition | None:
    """The transition called `name` as it applies in the SR's current state
    (with its conditions met), or None."""
    sr = as_route(sr)
    for t in sr.get_available_state_transitions():
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


def touch(sr: ServiceRequest, actor, now: datetime, fields: list[str]) -> None:  # type: ignore[no-untyped-def]
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
    *, sr_id: int, actor, name: str, expected_version: int | None, data: dict[str, Any]  # type: ignore[no-untyped-def]
) -> TransitionResult:
    now = timezone.now()
    with transaction.atomic():
        sr = lock_service_request(sr_id, expected_version)
        known = all_transitions(sr)
        if name not in known:
            raise NotAllowedInState(f"There is no action called “{name}” on a {sr.get_route_display()} SR.")
        t = transition_for_state(sr, name)
        if t is None:
            raise NotAllowedInState(
                f"“{known[name].custom.get('label', name)}” cannot be done while the SR is "
                f"{sr.status} / {sr.sub_status or '–'}. The page may be out of date: reload it."
            )
        if not t.has_perm(sr, actor):
            raise NotPermitted(f"You are not allowed to “{t.custom.get('label', name)}” on this SR.")
        from_state, owner_before = sr.state, sr.owner_id
        method = getattr(sr, name)
        method(actor=actor, now=now, data=data)
        touch(sr, actor, now, TRANSITION_FIELDS)
        details = {k: _jsonable(v) for k, v in data.items() if k not in ("letter",)}
        record_event(sr=sr, actor=actor, verb=name, now=now, from_state=from_state, to_state=sr.state, **details)
        if sr.confidential and sr.owner_id and sr.owner_id != owner_before:
            # Whoever a confidential SR is allocated to must be able to open it.
            from .cases import grant_owner_access

            grant_owner_access(sr=sr, actor=actor, now=now)
        letter_code = t.custom.get("letter")
        if letter_code:
            # A transition that requires a letter issues it here, in the same
            # transaction, from what the caseworker wrote in the form.
            from letters.services import issue_letter

            issue_letter(sr=sr, actor=actor, template_code=letter_code, composition=data["letter"], now=now)
        effect = spec_for(sr.route).effects.get(name)
        message = f"{t.custom.get('label', name)}: done."
        if effect is not None:
            returned = effect(sr=sr, actor=actor, data=data, now=now, from_state=from_state)
            if isinstance(returned, str) and returned:
                message = returned
        from sla.services import reassign_open_tasks

        from .plans import sync_action_tasks

        if sr.owner_id != owner_before:
            reassign_open_tasks(sr=sr, from_user_id=owner_before, to_user_id=sr.owner_id)
        sync_action_tasks(sr=sr, actor=actor, now=now, from_state=from_state)
        if sr.state == CLOSED:
            # Whatever still runs on a closed SR stops with it.
            from sla.services import cancel_clocks

            cancel_clocks(sr=sr, actor=actor, now=now, reason=f"SR closed ({sr.get_resolution_code_display()})")
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
