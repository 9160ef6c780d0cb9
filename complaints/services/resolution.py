"""Resolution route services: what happens around each transition
(deadlines, letters, the plan), inside the transition's transaction."""

from datetime import datetime

from sla.services import meet_clock, start_clock

from ..models import ServiceRequest
from ..routes import RouteSpec, register
from ..workflows.resolution import LABELS, ResolutionSR, S
from . import plans
from .review import notify_ice_of_closure

RESPONSE_RULE = "resolution.response"
ACKNOWLEDGEMENT_LETTER = "RES-ACK"


def on_create(*, sr: ServiceRequest, actor, now: datetime) -> None:  # type: ignore[no-untyped-def]
    # DESIGN §4: the response clock starts when the complaint is referred to
    # the resolution team, not when a team leader gets round to allocating
    # it, so an SR waiting in the team queue goes overdue (and raises the
    # team's alert) like any other.
    start_clock(sr=sr, rule_code=RESPONSE_RULE, actor=actor, now=now, started_on=sr.received_on)


def after_allocate(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    from letters.services import issue_letter

    # Already running since the SR was recorded: this returns that clock.
    clock = start_clock(sr=sr, rule_code=RESPONSE_RULE, actor=actor, now=now, started_on=sr.received_on)
    # The seed: "acknowledge it by post straight after you've logged it".
    issue_letter(sr=sr, actor=actor, template_code=ACKNOWLEDGEMENT_LETTER, composition={}, now=now)
    return (f"Allocated to {sr.owner.display_name}. Acknowledgement letter issued; "
            f"response due {clock.due_on:%a %-d %b %Y}.")


def after_submit_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plan = plans.submit_plan(sr=sr, actor=actor, now=now)
    if sr.state == S.PENDING_TL_APPROVAL:
        return f"Plan sent for team leader approval (redress £{plan.redress_total:,.2f}). Assignment locked."
    meet_clock(sr=sr, rule_code=RESPONSE_RULE, actor=actor, now=now)
    return "Plan final: agree it with the client."


def after_approve_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plans.decide_plan(sr=sr, actor=actor, now=now, approved=True, amount=data["amount"], comments=data.get("comments", ""))
    meet_clock(sr=sr, rule_code=RESPONSE_RULE, actor=actor, now=now)
    return "Plan approved. The caseworker now agrees it with the client."


def after_reject_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plans.decide_plan(sr=sr, actor=actor, now=now, approved=False, amount=plans.current_plan(sr).redress_total,
                      comments=data["comments"])
    return "Plan rejected and returned to the caseworker with your notes."


def after_refer_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    approval = plans.refer_plan(sr=sr, actor=actor, now=now, grade=data["grade"], comments=data.get("comments", ""))
    return (f"Plan referred to {approval.referred_to_grade} on form {approval.form_reference} "
            f"(£{approval.amount:,.2f}). It waits on their Approvals tab.")


def after_client_agrees(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> None:  # type: ignore[no-untyped-def]
    plans.set_client_approval(sr=sr, agreed=True)


def after_client_disagrees(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> None:  # type: ignore[no-untyped-def]
    plans.set_client_approval(sr=sr, agreed=False)


def after_close_no_action(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    meet_clock(sr=sr, rule_code=RESPONSE_RULE, actor=actor, now=now)
    # Raised because ICE's gateway failed? Tell internal ICE, as Review does (seed 003).
    notice = notify_ice_of_closure(sr=sr, actor=actor, now=now)
    return "Closed: No Action Taken. The outcome letter was issued." + notice


def after_close_resolved(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    notice = notify_ice_of_closure(sr=sr, actor=actor, now=now)
    return "Closed: Resolved. The outcome letter was issued." + notice


register(RouteSpec(
    route=ResolutionSR.ROUTE,
    proxy=ResolutionSR,
    labels=LABELS,
    on_create=on_create,
    effects={
        "allocate": after_allocate,
        "submit_plan": after_submit_plan,
        "approve_plan": after_approve_plan,
        "reject_plan": after_reject_plan,
        "refer_plan": after_refer_plan,
        "client_agrees": after_client_agrees,
        "client_disagrees": after_client_disagrees,
        "close_no_action": after_close_no_action,
        "close_resolved": after_close_resolved,
    },
))
