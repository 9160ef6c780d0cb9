"""Review route services: what happens around each transition (deadline
clocks, tasks, the plan and its approvals), inside the transition's
transaction. Letters named in a transition's `custom["letter"]` are issued
by run_transition itself, before these effects run.

Each effect returns the sentence the caseworker sees in the notification
banner: what happened, which letter, which wait and until when.
"""

from datetime import date, datetime

from django.utils import timezone

from sla.services import create_task, fmt_day, meet_clock, start_clock

from ..models import CaseEvent, ServiceRequest
from ..review_selectors import (
    ACKNOWLEDGE_RULE,
    CLIENT_REPLY_RULE,
    CLOSURE_REPLY_RULE,
    eligibility,
    forget_review_facts,
)
from ..routes import RouteSpec, register
from ..workflows.review import LABELS, ReviewSR
from . import plans
from .audit import record_event

FIG_RULE = "ice.fig_resolution"


def _ack_task_key(sr: ServiceRequest) -> str:
    return f"review-ack:{sr.pk}"


def _allocated_on(sr: ServiceRequest, now: datetime) -> date:
    """The acknowledgement deadline counts from allocation (seed step 6)."""
    at = (CaseEvent.objects.filter(sr=sr, verb="allocate").order_by("created_at")
          .values_list("created_at", flat=True).first())
    return timezone.localdate(at or now)


def _wait_ends(sr: ServiceRequest, rule_code: str, actor, now: datetime) -> str:  # type: ignore[no-untyped-def]
    clock = start_clock(sr=sr, rule_code=rule_code, actor=actor, now=now)
    return fmt_day(clock.due_on)


def _close_task(key: str, actor, now: datetime) -> None:  # type: ignore[no-untyped-def]
    from sla.services import close_task

    close_task(key=key, actor=actor, now=now)


def notify_ice_of_closure(*, sr: ServiceRequest, actor, now: datetime) -> str:  # type: ignore[no-untyped-def]
    """Seed 001 step 31 / DESIGN §5: an SR raised because ICE's gateway
    failed tells internal ICE when it closes. Closes the ICE SR's "notify
    ICE of complaint closure" task and meets this SR's ice.fig_resolution
    clock. The e-mail to the internal ICE team is for the ICE route to
    connect here (it owns the address and the wording). Used by every
    route's closing steps; returns the sentence for the page's banner, or ""
    when the SR was not raised from a failed gateway."""
    _, _, _, fig_id = eligibility(sr)
    if fig_id is None:
        return ""
    ice_sr = ServiceRequest.objects.get(pk=fig_id)
    _close_task(f"fig-notify:{ice_sr.pk}", actor, now)
    meet_clock(sr=sr, rule_code=FIG_RULE, actor=actor, now=now)
    for target, other in ((sr, ice_sr), (ice_sr, sr)):
        record_event(sr=target, actor=actor, verb="ice_notified_of_closure", now=now, other=other.reference,
                     resolution_code=sr.get_resolution_code_display(),
                     message=f"Internal ICE told that {sr.reference} closed ({sr.get_resolution_code_display()}).")
    return f" Internal ICE notified ({ice_sr.reference})."


def _on_close(sr: ServiceRequest, actor, now: datetime) -> str:  # type: ignore[no-untyped-def]
    """Whatever any closing step does (running clocks are cancelled by
    run_transition afterwards)."""
    _close_task(_ack_task_key(sr), actor, now)
    return notify_ice_of_closure(sr=sr, actor=actor, now=now)


def _closed(text: str, *, ends_wait: bool = True):  # type: ignore[no-untyped-def]
    def effect(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
        if ends_wait:
            # The client's reply (or its absence) ends the wait they were given.
            for rule in (CLIENT_REPLY_RULE, CLOSURE_REPLY_RULE):
                meet_clock(sr=sr, rule_code=rule, actor=actor, now=now)
        return text + _on_close(sr, actor, now)
    return effect


# --- allocation and the first call ------------------------------------------------


def after_allocate(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    facts_ok, message, _, _ = eligibility(sr)
    text = f"Allocated to {sr.owner.display_name}."
    return text if facts_ok else f"{text} Note: {message}"


def after_accept_late(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    reason = data["reason"].strip()
    # The override is part of the SR (shown on its summary), not only the timeline.
    ServiceRequest.objects.filter(pk=sr.pk).update(eligibility_override=reason)
    sr.eligibility_override = reason
    forget_review_facts(sr)
    record_event(sr=sr, actor=actor, verb="eligibility_overridden", now=now, reason=reason,
                 rule="Review: Resolution SR closed within 6 months")
    return "Accepted outside the 6-month limit; your reason is recorded. The review carries on."


def after_client_not_reached(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    clock = start_clock(sr=sr, rule_code=ACKNOWLEDGE_RULE, actor=actor, now=now, started_on=_allocated_on(sr, now))
    create_task(sr=sr, key=_ack_task_key(sr), title=f"Send CMSL5829 to {sr.client.name}: not reachable by phone",
                actor=actor, now=now, assignee=sr.owner, due_on=clock.due_on)
    return f"Send CMSL5829 by {fmt_day(clock.due_on)} (2 working days from allocation)."


def after_send_acknowledgement(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    # Sent straight away the clock starts and is met in one step, so the
    # dashboard still counts it.
    start_clock(sr=sr, rule_code=ACKNOWLEDGE_RULE, actor=actor, now=now, started_on=_allocated_on(sr, now))
    meet_clock(sr=sr, rule_code=ACKNOWLEDGE_RULE, actor=actor, now=now)
    _close_task(_ack_task_key(sr), actor, now)
    return "CMSL5829 issued: the acknowledgement deadline is met."


# --- no further action ----------------------------------------------------------


def after_no_further_action(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    return f"CMSL5800 issued; 7-day wait ends {_wait_ends(sr, CLIENT_REPLY_RULE, actor, now)}."


# --- the plan and its approval ------------------------------------------------------


def after_submit_for_approval(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plan = plans.submit_plan(sr=sr, actor=actor, now=now)
    return (f"Plan sent for team leader approval (redress £{plan.redress_total:,.2f}). "
            "Assignment locked until they decide.")


def after_approve_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plans.decide_plan(sr=sr, actor=actor, now=now, approved=True, amount=data["amount"],
                      comments=data.get("comments", ""))
    return "Plan approved. The caseworker now agrees it with the client and sends CMSL5801."


def after_reject_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    current = plans.current_plan(sr)
    plans.decide_plan(sr=sr, actor=actor, now=now, approved=False,
                      amount=current.redress_total if current else 0, comments=data["comments"])
    return "Plan rejected and returned to the caseworker with your notes."


def after_refer_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    approval = plans.refer_plan(sr=sr, actor=actor, now=now, grade=data["grade"], comments=data.get("comments", ""))
    return (f"Plan referred to {approval.referred_to_grade} on form {approval.form_reference} "
            f"(£{approval.amount:,.2f}). It waits on their Approvals tab.")


def after_send_plan_to_client(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    current = plans.current_plan(sr)
    if current is not None and current.is_editable:
        plans.submit_plan(sr=sr, actor=actor, now=now)  # no redress: final without approval
    return f"CMSL5801 issued; 7-day wait for the client's agreement ends {_wait_ends(sr, CLIENT_REPLY_RULE, actor, now)}."


def after_client_agrees(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    meet_clock(sr=sr, rule_code=CLIENT_REPLY_RULE, actor=actor, now=now)
    plans.set_client_approval(sr=sr, agreed=True)
    return "Client agreed the plan. Undertake the actions and mark each one done."


def after_no_reply_go_ahead(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    meet_clock(sr=sr, rule_code=CLIENT_REPLY_RULE, actor=actor, now=now)
    return "No reply from the client: undertake the actions and mark each one done."


def after_client_disagrees(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    meet_clock(sr=sr, rule_code=CLIENT_REPLY_RULE, actor=actor, now=now)
    plans.set_client_approval(sr=sr, agreed=False)
    return "Client Approved: No. A team leader now decides whether the plan goes ahead. Assignment locked."


def after_go_ahead(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plans.decide_disagreement(sr=sr, actor=actor, now=now, go_ahead=True, comments=data["comments"])
    return "CMSL5803 issued: the plan goes ahead. The caseworker undertakes the actions."


def after_revise_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    plans.decide_disagreement(sr=sr, actor=actor, now=now, go_ahead=False, comments=data["comments"])
    return "CMSL5804 issued. The plan is back with the caseworker to revise (Draft Action Plan)."


def after_reopen_plan(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    return "The plan is open for changes. Editing it voids its approval; send it for approval or to the client again."


# --- closure ------------------------------------------------------------------------


def after_send_closure_letter(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    return f"CMSL5805 issued; 14-day wait for the client's reply ends {_wait_ends(sr, CLOSURE_REPLY_RULE, actor, now)}."


register(RouteSpec(
    route=ReviewSR.ROUTE,
    proxy=ReviewSR,
    labels=LABELS,
    effects={
        "allocate": after_allocate,
        "accept_late": after_accept_late,
        "reject_out_of_time": _closed("Closed Rejected: outside the 6-month limit. The case returns to the "
                                      "owning team."),
        "close_enquiry": _closed("Closed No Action Taken (enquiry only). The case returns to the owning team."),
        "client_not_reached": after_client_not_reached,
        "send_acknowledgement": after_send_acknowledgement,
        "no_further_action": after_no_further_action,
        "reply_close": _closed("Closed No Action Taken."),
        "no_reply_close": _closed("No reply in 7 days: closed No Action Taken."),
        "submit_for_approval": after_submit_for_approval,
        "approve_plan": after_approve_plan,
        "reject_plan": after_reject_plan,
        "refer_plan": after_refer_plan,
        "send_plan_to_client": after_send_plan_to_client,
        "client_agrees": after_client_agrees,
        "no_reply_go_ahead": after_no_reply_go_ahead,
        "client_disagrees": after_client_disagrees,
        "go_ahead": after_go_ahead,
        "revise_plan": after_revise_plan,
        "reopen_plan": after_reopen_plan,
        "send_closure_letter": after_send_closure_letter,
        "close_client_ok": _closed("CMSL5806 issued. Closed Actions Complete – Client OK."),
        "close_client_not_ok": _closed("CMSL5807 issued with leaflet CMSB0011. Closed Actions Complete – "
                                       "Client Not OK."),
        "closure_no_reply": _closed("No reply in 14 days: closed Actions Complete – Client OK."),
        "withdraw": _closed("Closed: Complaint Withdrawn.", ends_wait=False),
    },
))
