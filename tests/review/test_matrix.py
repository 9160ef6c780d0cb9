"""The Review route's role × state × transition matrix, generated from the
workflow: for every state (and the situations that change what a state
allows: the 6-month check, a running or expired wait, redress above a
team leader's limit, four eyes), each role gets exactly the transitions the
table lists — none that it does not. A second test checks the table and
the workflow name the same (transition, state) pairs, so a transition added
to the workflow without a row here fails."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from complaints.models import ActionKind, ClientApproval, PlanStatus, ResolutionCode, ServiceRequest, SRLink
from complaints.routes import CLOSED, spec_for
from complaints.services.transitions import available_transitions
from complaints.workflows.review import ReviewSR, S
from letters.services import issue_letter
from sla.services import start_clock
from tests.factories import PlanActionFactory, PlanReasonFactory, ResolutionPlanFactory, ServiceRequestFactory

from .helpers import LONDON, MON_2_NOV_2026, closed_resolution_sr

pytestmark = pytest.mark.django_db

ROLES = ("owner", "colleague", "tl", "senior", "manager", "outsider")
W = {"withdraw"}
R = {"reallocate"}


def row(owner: set[str] = frozenset(), *, tl: set[str] | None = None, senior: set[str] | None = None,
        realloc: bool = True) -> dict[str, set[str]]:
    """owner's transitions; a team leader gets the same plus reallocate
    (unless the assignment is locked) unless told otherwise; the senior
    (G7) gets what the TL gets unless told otherwise. Colleagues, managers
    and outsiders get nothing anywhere."""
    tl_set = set(owner) | (R if realloc else set()) if tl is None else set(tl)
    return {"owner": set(owner), "tl": tl_set, "senior": tl_set if senior is None else set(senior)}


# (state, situation) -> role -> transitions. "typical" is the usual case.
MATRIX: dict[tuple[str, str], dict[str, set[str]]] = {
    (S.PENDING_ASSIGNMENT, "typical"): row(set(), tl={"allocate"} | W),
    (S.IN_PROGRESS, "typical"): row({"client_not_reached", "send_acknowledgement", "no_further_action",
                                     "start_plan", "close_enquiry"} | W),
    (S.IN_PROGRESS, "out of time"): row({"reject_out_of_time", "close_enquiry"} | W,
                                        tl={"reject_out_of_time", "accept_late", "close_enquiry"} | R | W),
    (S.IN_PROGRESS, "client not reached"): row({"send_acknowledgement", "close_enquiry"} | W),
    (S.IN_PROGRESS, "acknowledged"): row({"no_further_action", "start_plan", "close_enquiry"} | W),
    (S.AWAITING_CLIENT_REPLY, "typical"): row({"reply_close"} | W),
    (S.AWAITING_CLIENT_REPLY, "wait over"): row({"reply_close", "no_reply_close"} | W),
    (S.DRAFT_ACTION_PLAN, "typical"): row({"submit_for_approval"} | W),
    (S.DRAFT_ACTION_PLAN, "no redress"): row({"send_plan_to_client"} | W),
    (S.DRAFT_ACTION_PLAN, "rejected plan"): row(W),
    # Rejected by a team leader: sent again as it is, or once revised.
    (S.PLAN_REJECTED, "typical"): row({"submit_for_approval"} | W),
    # Revised there (a new draft revision) and the redress taken out: it goes to the client.
    (S.PLAN_REJECTED, "revised without redress"): row({"send_plan_to_client"} | W),
    # Assignment locked while approval is pending: nobody reallocates.
    (S.PENDING_TL_APPROVAL, "typical"): row(W, tl={"approve_plan", "reject_plan"} | W),
    (S.PENDING_TL_APPROVAL, "above TL limit"): row(W, tl={"refer_plan", "reject_plan"} | W,
                                                   senior={"approve_plan", "reject_plan"} | W),
    (S.PENDING_TL_APPROVAL, "drafted by TL"): row(W, tl=W, senior={"approve_plan", "reject_plan"} | W),
    (S.PENDING_SENIOR_APPROVAL, "typical"): row(W, tl=W, senior={"approve_plan", "reject_plan"} | W),
    (S.PLAN_APPROVED, "typical"): row({"send_plan_to_client"} | W),
    (S.AWAITING_CLIENT_AGREEMENT, "typical"): row({"client_agrees", "client_disagrees"} | W),
    (S.AWAITING_CLIENT_AGREEMENT, "wait over"): row({"client_agrees", "client_disagrees", "no_reply_go_ahead"} | W),
    (S.PENDING_TL_DECISION, "typical"): row(W, tl={"go_ahead", "revise_plan"} | W),
    (S.PENDING_TL_DECISION, "drafted by TL"): row(W, tl=W, senior={"go_ahead", "revise_plan"} | W),
    (S.UNDERTAKING_ACTIONS, "typical"): row({"reopen_plan", "send_closure_letter", "close_client_ok",
                                             "close_client_not_ok"} | W),
    (S.UNDERTAKING_ACTIONS, "actions open"): row({"reopen_plan"} | W),
    (S.AWAITING_CLOSURE_AGREEMENT, "typical"): row({"close_client_ok", "close_client_not_ok"} | W),
    (S.AWAITING_CLOSURE_AGREEMENT, "wait over"): row({"close_client_ok", "close_client_not_ok",
                                                      "closure_no_reply"} | W),
    (S.CLOSED, "typical"): row(set(), tl=set()),
}

LOCKED = {S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL, S.PENDING_TL_DECISION}
PLAN_STATUS = {
    S.DRAFT_ACTION_PLAN: PlanStatus.DRAFT, S.PLAN_REJECTED: PlanStatus.REJECTED,
    S.PENDING_TL_APPROVAL: PlanStatus.PENDING_APPROVAL,
    S.PENDING_SENIOR_APPROVAL: PlanStatus.REFERRED, S.PLAN_APPROVED: PlanStatus.APPROVED,
    S.AWAITING_CLIENT_AGREEMENT: PlanStatus.APPROVED, S.PENDING_TL_DECISION: PlanStatus.APPROVED,
    S.UNDERTAKING_ACTIONS: PlanStatus.APPROVED, S.AWAITING_CLOSURE_AGREEMENT: PlanStatus.APPROVED,
}
WAITS = {S.AWAITING_CLIENT_REPLY: "review.client_reply", S.AWAITING_CLIENT_AGREEMENT: "review.client_reply",
         S.AWAITING_CLOSURE_AGREEMENT: "review.closure_reply"}


def make_sr(state: str, situation: str, *, team: Any, client: Any, owner: Any, tl: Any, resolution_team: Any) -> ServiceRequest:
    """An SR in `state` with the data the situation implies, written
    straight to the tables (the flows are tested through the services)."""
    closed = state == CLOSED
    sr = ServiceRequestFactory(
        route="review", team=team, client=client, state=state, received_on=date(2026, 11, 2),
        owner=None if state == S.PENDING_ASSIGNMENT else owner, lock_assignment=state in LOCKED,
        resolution_code=ResolutionCode.NO_ACTION if closed else "",
        closed_at=MON_2_NOV_2026 if closed else None,
    )
    closed_on = date(2026, 3, 1) if situation == "out of time" else date(2026, 9, 15)
    SRLink.objects.create(from_sr=sr, to_sr=closed_resolution_sr(team=resolution_team, client=client,
                                                                  closed_on=closed_on), reason="Same issue")
    now = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    if situation == "client not reached":
        start_clock(sr=sr, rule_code="review.acknowledge", actor=owner, now=now)
    if situation == "acknowledged":
        issue_letter(sr=sr, actor=owner, template_code="CMSL5829", composition={}, now=now)
    if state in WAITS:
        start_clock(sr=sr, rule_code=WAITS[state], actor=owner, now=now - timedelta(days=20 if situation == "wait over" else 0))
    if state in PLAN_STATUS:
        status = PLAN_STATUS[state]
        if situation == "rejected plan":
            status = PlanStatus.REJECTED
        if situation == "revised without redress":
            status = PlanStatus.DRAFT
        plan = ResolutionPlanFactory(
            sr=sr, drafted_by=tl if situation == "drafted by TL" else owner, status=status,
            client_approved=ClientApproval.NO if state == S.PENDING_TL_DECISION else ClientApproval.NOT_ASKED,
        )
        reason = PlanReasonFactory(plan=plan)
        done = state in (S.UNDERTAKING_ACTIONS, S.AWAITING_CLOSURE_AGREEMENT) and situation != "actions open"
        PlanActionFactory(reason=reason, plan=plan, done=done)
        if situation not in ("no redress", "revised without redress"):
            amount = Decimal("5000") if situation == "above TL limit" or state == S.PENDING_SENIOR_APPROVAL else Decimal("50")
            PlanActionFactory(reason=reason, plan=plan, kind=ActionKind.FINANCIAL_REDRESS, amount=amount, done=done)
    return sr


@pytest.mark.parametrize(("state", "situation"), list(MATRIX), ids=[f"{s}-{v}" for s, v in MATRIX])
def test_review_matrix(state, situation, caseworker, other_caseworker, team_leader, senior_leader, manager,
                       outsider, review_team, resolution_team, client_person):
    users = {"owner": caseworker, "colleague": other_caseworker, "tl": team_leader, "senior": senior_leader,
             "manager": manager, "outsider": outsider}
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        sr = make_sr(state, situation, team=review_team, client=client_person, owner=caseworker, tl=team_leader,
                     resolution_team=resolution_team)
        for role in ROLES:
            expected = MATRIX[(state, situation)].get(role, set())
            got = {t.name for t in available_transitions(ServiceRequest.objects.get(pk=sr.pk), users[role])}
            assert got == expected, f"{state} ({situation}) / {role}: got {sorted(got)}, table says {sorted(expected)}"


def test_table_and_workflow_name_the_same_transitions():
    """Every (transition, source state) the workflow declares appears in
    the table, and the table lists nothing the workflow cannot do."""
    states = set(spec_for("review").labels)
    assert {state for state, _ in MATRIX} == states
    declared: set[tuple[str, str]] = set()
    for t in ReviewSR().get_all_state_transitions():
        sources = states - {CLOSED} if t.source == "*" else {t.source}
        declared |= {(t.name, s) for s in sources}
    # "*" transitions are open-state only; reallocate needs an owner and is
    # refused while the assignment is locked.
    declared -= {("reallocate", s) for s in LOCKED | {S.PENDING_ASSIGNMENT}}
    tabled = {(name, state) for (state, _), roles in MATRIX.items() for names in roles.values() for name in names}
    assert tabled == declared


def test_labels_are_spelled_as_the_seed_spells_them():
    sub_statuses = {labels.sub_status for labels in spec_for("review").labels.values()} - {""}
    assert sub_statuses == {"In Progress", "Draft Action Plan", "Undertake Actions Prescribed", "Pending TL Approval",
                            "Approved", "Rejected", "Wait", "Complete"}
