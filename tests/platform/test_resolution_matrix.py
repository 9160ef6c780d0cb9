"""The Resolution route's role × state × transition matrix, generated from
the workflow: in every state, each role sees exactly the transitions the
table lists — none that it does not."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from complaints.models import ActionKind, ServiceRequest
from complaints.routes import spec_for
from complaints.services.transitions import available_transitions
from complaints.workflows.resolution import S
from tests.factories import PlanActionFactory, PlanReasonFactory, ResolutionPlanFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db

W = {"withdraw"}
# state -> role -> allowed transitions. "owner" is the allocated caseworker,
# "colleague" a caseworker in the same team, "tl" a team leader of the team.
MATRIX: dict[str, dict[str, set[str]]] = {
    S.PENDING_ASSIGNMENT: {"owner": set(), "tl": {"allocate"} | W},
    S.IN_PROGRESS: {"owner": {"start_plan", "close_no_action"} | W,
                    "tl": {"start_plan", "close_no_action", "reallocate"} | W},
    S.DRAFT_ACTION_PLAN: {"owner": {"submit_plan"} | W, "tl": {"submit_plan", "reallocate"} | W},
    # Rejected by a team leader: it may go again as it is.
    S.PLAN_REJECTED: {"owner": {"submit_plan"} | W, "tl": {"submit_plan", "reallocate"} | W},
    # Assignment is locked while approval is pending: no reallocation.
    S.PENDING_TL_APPROVAL: {"owner": W, "tl": {"approve_plan", "reject_plan"} | W},
    # Referred up: £5,000 is above the HEO team leader's limit, so the
    # decision waits for a higher grade; the TL cannot refer it twice.
    S.PENDING_SENIOR_APPROVAL: {"owner": W, "tl": W},
    S.AWAITING_CLIENT_AGREEMENT: {"owner": {"client_agrees", "client_disagrees"} | W,
                                  "tl": {"client_agrees", "client_disagrees", "reallocate"} | W},
    S.UNDERTAKING_ACTIONS: {"owner": {"close_resolved"} | W, "tl": {"close_resolved", "reallocate"} | W},
    S.CLOSED: {"owner": set(), "tl": set()},
}
PENDING = (S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL)
ROLES = ["owner", "colleague", "tl", "manager", "outsider"]


def test_matrix_covers_every_state():
    assert set(MATRIX) == set(spec_for("resolution").labels)


def _sr_in(state: str, team: Any, owner: Any, drafter: Any) -> ServiceRequest:
    sr = ServiceRequestFactory(
        team=team, state=state, owner=None if state == S.PENDING_ASSIGNMENT else owner,
        lock_assignment=state in PENDING, resolution_code="resolved" if state == S.CLOSED else "",
    )
    if state == S.CLOSED:
        sr.closed_at = sr.created_at
        sr.save(update_fields=["closed_at"])
    # The plan each state implies, so conditions (plan ready, all done) hold.
    if state in (S.DRAFT_ACTION_PLAN, S.PLAN_REJECTED, *PENDING, S.AWAITING_CLIENT_AGREEMENT, S.UNDERTAKING_ACTIONS):
        status = {S.DRAFT_ACTION_PLAN: "draft", S.PLAN_REJECTED: "rejected", S.PENDING_TL_APPROVAL: "pending_approval",
                  S.PENDING_SENIOR_APPROVAL: "referred"}.get(state, "approved")
        plan = ResolutionPlanFactory(sr=sr, drafted_by=drafter, status=status)
        reason = PlanReasonFactory(plan=plan)
        PlanActionFactory(reason=reason, plan=plan, done=state == S.UNDERTAKING_ACTIONS)
        if state in PENDING:
            amount = Decimal("50") if state == S.PENDING_TL_APPROVAL else Decimal("5000")
            PlanActionFactory(reason=reason, plan=plan, kind=ActionKind.FINANCIAL_REDRESS, amount=amount,
                              due_on=date(2026, 12, 1))
    return sr


@pytest.mark.parametrize("state", list(MATRIX))
def test_resolution_matrix(state, caseworker, other_caseworker, team_leader, manager, outsider, resolution_team):
    users = {"owner": caseworker, "colleague": other_caseworker, "tl": team_leader, "manager": manager,
             "outsider": outsider}
    sr = _sr_in(state, resolution_team, caseworker, caseworker)
    for role in ROLES:
        expected = MATRIX[state].get(role, set())
        fresh = ServiceRequest.objects.get(pk=sr.pk)
        got = {t.name for t in available_transitions(fresh, users[role])}
        assert got == expected, f"{state} / {role}: got {sorted(got)}, table says {sorted(expected)}"


def test_submit_needs_a_ready_plan(caseworker, resolution_team):
    sr = ServiceRequestFactory(team=resolution_team, state=S.DRAFT_ACTION_PLAN, owner=caseworker)
    assert "submit_plan" not in {t.name for t in available_transitions(sr, caseworker)}


def test_close_needs_every_action_done(caseworker, resolution_team):
    sr = _sr_in(S.UNDERTAKING_ACTIONS, resolution_team, caseworker, caseworker)
    sr.plans.get().actions.update(done=False)
    assert "close_resolved" not in {t.name for t in available_transitions(sr, caseworker)}
