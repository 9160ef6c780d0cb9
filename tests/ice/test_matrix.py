"""The ICE route's role × state × transition matrix, generated from the
workflow: for every state (and the situations that change what a state
allows: ICE's ad-hoc question open, the actions reported to ICE, a plan
with redress, its actions all done, redress above a team leader's limit),
each role gets exactly the transitions the table lists. A second test
checks the table and the workflow name the same (transition, state) pairs,
and a third that every state can be reached from the first."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django_fsm import State

from complaints.models import ActionKind, PlanStatus, ResolutionCode, ServiceRequest
from complaints.routes import CLOSED, spec_for
from complaints.services.audit import record_event
from complaints.services.transitions import available_transitions
from ice.workflow import IMPLEMENTING, IceSR, S
from sla.services import start_clock
from tests.factories import PlanActionFactory, PlanReasonFactory, ResolutionPlanFactory, ServiceRequestFactory

from .helpers import LONDON, MON_2_NOV_2026

pytestmark = pytest.mark.django_db

ROLES = ("owner", "colleague", "tl", "senior", "manager", "outsider")
W = {"withdraw"}
R = {"reallocate"}
Q = {"adhoc_question"}
FROM_ICE = {"resolution_plan_received", "closure_letter_received", "roe_requested", "settlement_referred",
            "draft_report_received", "final_report_received"}


def row(owner: set[str] = frozenset(), *, tl: set[str] | None = None, senior: set[str] | None = None,
        realloc: bool = True) -> dict[str, set[str]]:
    """owner's transitions; a team leader gets the same plus reallocate
    (unless the assignment is locked or nobody owns it) unless told
    otherwise; the senior (G7) gets what the TL gets unless told otherwise."""
    tl_set = set(owner) | (R if realloc else set()) if tl is None else set(tl)
    return {"owner": set(owner), "tl": tl_set, "senior": tl_set if senior is None else set(senior)}


MATRIX: dict[tuple[str, str], dict[str, set[str]]] = {
    (S.PENDING_ASSIGNMENT, "typical"): row(set(), tl={"allocate"} | W),
    (S.GATEWAY_CHECK, "typical"): row({"pass_gateway", "fail_gateway"} | W),
    (S.WITH_ICE, "typical"): row(FROM_ICE | Q | W),
    (S.WITH_ICE, "actions reported"): row(FROM_ICE | Q | {"close_resolved", "not_satisfied"} | W),
    (S.RESOLUTION_REPLY, "typical"): row({"resolution_reply_sent"} | Q | W),
    (S.RECORD_OF_EVIDENCE, "typical"): row({"roe_sent"} | Q | W),
    (S.DRAFT_REPORT_RESPONSE, "typical"): row({"draft_report_response_sent"} | Q | W),
    **{(state, "typical"): row(Q | W) for state in IMPLEMENTING},
    **{(state, "actions done"): row({"actions_done"} | Q | W) for state in IMPLEMENTING},
    **{(state, "redress"): row({"submit_for_approval"} | Q | W) for state in IMPLEMENTING},
    # Redress not yet approved: the actions being done is not enough.
    (S.IMPLEMENTING_FINAL_REPORT, "redress done, not approved"): row(Q | {"submit_for_approval"} | W),
    (S.PENDING_TL_APPROVAL, "typical"): row(Q | W, tl={"approve_plan", "reject_plan"} | Q | W),
    (S.PENDING_TL_APPROVAL, "above TL limit"): row(Q | W, tl={"refer_plan", "reject_plan"} | Q | W,
                                                   senior={"approve_plan", "reject_plan"} | Q | W),
    (S.PENDING_SENIOR_APPROVAL, "typical"): row(Q | W, tl=Q | W, senior={"approve_plan", "reject_plan"} | Q | W),
    (S.CLOSED, "typical"): row({"presented_again"}, tl={"presented_again"}),
}

# An ad-hoc question may be open in every state after the gateway: whoever
# may ask gets "answer" too.
for (_state, _situation), _roles in list(MATRIX.items()):
    if _situation == "typical" and "adhoc_question" in _roles["owner"]:
        MATRIX[(_state, "ad-hoc open")] = {
            role: names | {"adhoc_answered"} if "adhoc_question" in names else names for role, names in _roles.items()}

LOCKED = {S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL}
PLAN_STATUS = {S.PENDING_TL_APPROVAL: PlanStatus.PENDING_APPROVAL, S.PENDING_SENIOR_APPROVAL: PlanStatus.REFERRED}


def make_sr(state: str, situation: str, *, team: Any, client: Any, owner: Any, tl: Any) -> ServiceRequest:
    """An ICE SR in `state` with the data the situation implies, written
    straight to the tables (the flows are tested through the services)."""
    closed = state == CLOSED
    sr = ServiceRequestFactory(
        route="ice", team=team, client=client, state=state, received_on=date(2026, 11, 2),
        owner=None if state == S.PENDING_ASSIGNMENT else owner, lock_assignment=state in LOCKED,
        resolution_code=ResolutionCode.RESOLVED if closed else "", closed_at=MON_2_NOV_2026 if closed else None,
    )
    now = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)
    if situation == "ad-hoc open":
        start_clock(sr=sr, rule_code="ice.adhoc", actor=owner, now=now, due_on=date(2026, 11, 9),
                    label="How was the August payment recorded?")
    if situation == "actions reported":
        record_event(sr=sr, actor=owner, verb="pass_gateway", now=now - timedelta(days=30),
                     from_state=S.GATEWAY_CHECK, to_state=S.WITH_ICE)
        record_event(sr=sr, actor=owner, verb="actions_done", now=now - timedelta(days=1),
                     from_state=S.IMPLEMENTING_RECOMMENDATIONS, to_state=S.WITH_ICE)
    if situation in ("actions done", "redress", "redress done, not approved") or state in PLAN_STATUS:
        plan = ResolutionPlanFactory(sr=sr, drafted_by=owner, status=PLAN_STATUS.get(state, PlanStatus.DRAFT))
        reason = PlanReasonFactory(plan=plan)
        done = situation in ("actions done", "redress done, not approved")
        PlanActionFactory(reason=reason, plan=plan, done=done)
        record_event(sr=sr, actor=owner, verb="plan_action_added", now=now, revision=1)
        if situation in ("redress", "redress done, not approved") or state in PLAN_STATUS:
            amount = Decimal("5000") if situation == "above TL limit" or state == S.PENDING_SENIOR_APPROVAL \
                else Decimal("50")
            PlanActionFactory(reason=reason, plan=plan, kind=ActionKind.FINANCIAL_REDRESS, amount=amount, done=done)
    return sr


@pytest.mark.parametrize(("state", "situation"), list(MATRIX), ids=[f"{s}-{v}" for s, v in MATRIX])
def test_ice_matrix(state, situation, ice_team, ice_caseworker, ice_colleague, ice_leader, ice_senior, ice_manager,
                    stranger, client_person):
    users = {"owner": ice_caseworker, "colleague": ice_colleague, "tl": ice_leader, "senior": ice_senior,
             "manager": ice_manager, "outsider": stranger}
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        sr = make_sr(state, situation, team=ice_team, client=client_person, owner=ice_caseworker, tl=ice_leader)
        for role in ROLES:
            expected = MATRIX[(state, situation)].get(role, set())
            got = {t.name for t in available_transitions(ServiceRequest.objects.get(pk=sr.pk), users[role])}
            assert got == expected, f"{state} ({situation}) / {role}: got {sorted(got)}, table says {sorted(expected)}"


def _declared() -> list[tuple[str, set[str], set[str]]]:
    """(transition, sources, targets) as the workflow declares them."""
    states = set(spec_for("ice").labels)
    out = []
    for t in IceSR().get_all_state_transitions():
        sources = states - {CLOSED} if t.source == "*" else {t.source}
        if isinstance(t.target, State):
            targets = set(t.target.allowed_states)
        else:
            targets = sources if t.target is None else {t.target}
        out.append((t.name, sources, targets))
    return out


def test_table_and_workflow_name_the_same_transitions():
    states = set(spec_for("ice").labels)
    assert {state for state, _ in MATRIX} == states
    declared: set[tuple[str, str]] = set()
    for name, sources, _ in _declared():
        declared |= {(name, s) for s in sources}
    # reallocate needs an owner and is refused while the assignment is locked.
    declared -= {("reallocate", s) for s in LOCKED | {S.PENDING_ASSIGNMENT}}
    tabled = {(name, state) for (state, _), roles in MATRIX.items() for names in roles.values() for name in names}
    assert tabled == declared


def test_every_state_can_be_reached_from_the_first():
    edges: dict[str, set[str]] = {}
    for _, sources, targets in _declared():
        for source in sources:
            edges.setdefault(source, set()).update(targets)
    reached, todo = {S.PENDING_ASSIGNMENT.value}, [S.PENDING_ASSIGNMENT.value]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    assert reached == set(spec_for("ice").labels)


def test_labels_are_spelled_as_the_seed_spells_them():
    labels = spec_for("ice").labels
    assert labels[S.RECORD_OF_EVIDENCE].sub_status == labels[S.RECORD_OF_EVIDENCE].stage == "Record Of Evidence"
    assert {lab.sub_status for lab in labels.values()} - {""} == {
        "In Progress", "With ICE", "Resolution", "Record Of Evidence", "Settlement", "Investigation",
        "Pending Approval -TL", "Complete"}
    assert {lab.stage for lab in labels.values()} == {
        "Gateway", "ICE Investigation", "Resolution", "Record Of Evidence", "Implement ICE Recommendations",
        "Closed"}
