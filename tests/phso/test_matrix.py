"""The PHSO route's role × state × transition matrix, generated from the
workflow: for every state (and the situations that change what it allows:
the panel held or not, an ad-hoc query open, a plan with or without
redress, above a team leader's limit, the amount the final decision letter
sets entered rightly or wrongly, who drafted the response waiting for
sign-off), each role gets exactly the transitions the table lists. A
second test checks the table and the workflow name the same (transition,
state) pairs, and a third that every state can be reached."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from complaints.models import ActionKind, PlanStatus, ResolutionCode, ServiceRequest
from complaints.routes import CLOSED, Labels, spec_for
from complaints.services.transitions import available_transitions
from phso.models import PhsoDetails
from phso.workflow import PhsoSR, S
from sla.services import meet_clock, start_clock
from tests.factories import (
    CaseEventFactory,
    PlanActionFactory,
    PlanReasonFactory,
    ResolutionPlanFactory,
    ServiceRequestFactory,
)

from .helpers import LONDON, MON_2_NOV_2026

pytestmark = pytest.mark.django_db

ROLES = ("owner", "colleague", "tl", "senior", "hcr", "manager", "outsider")
W = {"withdraw"}
R = {"reallocate"}
Q = {"adhoc_query"}


def row(owner: set[str] = frozenset(), *, tl: set[str] | None = None, senior: set[str] | None = None,
        hcr: set[str] = frozenset(), manager: set[str] = frozenset(), realloc: bool = True) -> dict[str, set[str]]:
    """The owner's transitions; a team leader gets the same plus reallocate
    unless told otherwise; the senior (G7) what the TL gets unless told
    otherwise; the Head of Complaints Review and the manager (G7) only
    what is named. Colleagues and outsiders get nothing anywhere."""
    tl_set = set(owner) | (R if realloc else set()) if tl is None else set(tl)
    return {"owner": set(owner), "tl": tl_set, "senior": tl_set if senior is None else set(senior),
            "hcr": set(hcr), "manager": set(manager)}


DECIDE = {"approve_plan", "reject_plan"}
# The Head of Complaints Review may decide on plans too (DESIGN §8), with
# no approval limit of their own grade here: they can only reject or refer.
HCR_PLAN = {"reject_plan", "refer_plan"}

MATRIX: dict[tuple[str, str], dict[str, set[str]]] = {
    (S.INITIAL_REQUEST, "typical"): row({"information_sent"} | W),
    (S.WITH_PHSO, "typical"): row({"not_taken_on", "pti_received"} | W),
    (S.GATEWAY_FAILED, "typical"): row({"refer_back", "close_rejected"} | W),
    (S.PTI_RESPONSE, "typical"): row({"convene_pti_panel"} | W),
    (S.PTI_RESPONSE, "panel held"): row({"submit_pti_response"} | W),
    (S.PTI_SIGN_OFF, "typical"): row(W, hcr={"sign_off_pti", "return_pti_response"}),
    (S.PTI_SIGN_OFF, "drafted by HCR"): row(W),
    (S.WITH_PHSO_PTI, "typical"): row({"record_mediation", "recommendations_received", "soc_received"} | Q | W),
    (S.WITH_PHSO_PTI, "query open"): row({"record_mediation", "recommendations_received", "soc_received",
                                          "adhoc_answered"} | Q | W),
    (S.PENDING_ASSIGNMENT, "typical"): row(set(), tl={"allocate"} | W),
    (S.IMPLEMENTING_RECOMMENDATIONS, "typical"): row({"submit_for_approval"} | W),
    (S.IMPLEMENTING_RECOMMENDATIONS, "no redress"): row({"start_actions"} | W),
    (S.IMPLEMENTING_RECOMMENDATIONS, "no plan"): row(W),
    (S.PENDING_TL_APPROVAL, "typical"): row(W, tl=DECIDE | W, hcr=HCR_PLAN),
    (S.PENDING_TL_APPROVAL, "above TL limit"): row(W, tl={"refer_plan", "reject_plan"} | W, senior=DECIDE | W,
                                                   hcr=HCR_PLAN),
    (S.PENDING_TL_APPROVAL, "drafted by TL"): row(W, tl=W, senior=DECIDE | W, hcr=HCR_PLAN),
    (S.PENDING_TL_APPROVAL, "FDL amount wrong"): row(W, tl={"approve_plan", "return_for_correction"} | W,
                                                     hcr={"return_for_correction", "refer_plan"}),
    (S.PENDING_TL_APPROVAL, "FDL amount right"): row(W, tl={"approve_plan"} | W, hcr={"refer_plan"}),
    (S.PENDING_SENIOR_APPROVAL, "typical"): row(W, tl=W, senior=DECIDE | W, manager=DECIDE),
    # Referred up on CSF783 / CSF824: the higher grade, too, can only return
    # a wrong amount, never reject the letter's.
    (S.PENDING_SENIOR_APPROVAL, "FDL amount wrong"): row(W, tl=W, senior={"approve_plan", "return_for_correction"} | W,
                                                         manager={"approve_plan", "return_for_correction"}),
    (S.PLAN_RETURNED, "typical"): row({"submit_for_approval"} | W),
    (S.PLAN_RETURNED, "revised without redress"): row({"start_actions"} | W),
    (S.UNDERTAKING_ACTIONS, "typical"): row({"evidence_sent"} | W),
    (S.UNDERTAKING_ACTIONS, "after FDL"): row({"fdl_evidence_sent"} | W),
    (S.UNDERTAKING_ACTIONS, "actions open"): row(W),
    (S.WITH_PHSO_RESOLUTION, "typical"): row({"close_resolved", "soc_received"} | W),
    (S.SOC_RESPONSE, "typical"): row({"soc_response_sent"} | Q | W),
    (S.SOC_RESPONSE, "query open"): row({"soc_response_sent", "adhoc_answered"} | Q | W),
    (S.WITH_PHSO_INVESTIGATION, "typical"): row({"draft_report_received"} | Q | W),
    (S.WITH_PHSO_INVESTIGATION, "query open"): row({"draft_report_received", "adhoc_answered"} | Q | W),
    (S.DRAFT_REPORT_RESPONSE, "typical"): row({"convene_report_panel"} | Q | W),
    (S.DRAFT_REPORT_RESPONSE, "panel held"): row({"submit_report_response"} | Q | W),
    (S.DRAFT_REPORT_RESPONSE, "query open"): row({"convene_report_panel", "adhoc_answered"} | Q | W),
    (S.REPORT_SIGN_OFF, "typical"): row(W, hcr={"sign_off_report", "return_report_response"}),
    (S.WITH_PHSO_REPORT, "typical"): row({"fdl_received"} | Q | W),
    (S.WITH_PHSO_REPORT, "query open"): row({"fdl_received", "adhoc_answered"} | Q | W),
    (S.FDL_RECEIVED, "typical"): row({"raise_anomalies", "fdl_no_recommendations", "fdl_systemic_only",
                                      "fdl_case_specific", "fdl_case_and_systemic"} | W),
    (S.WITH_PHSO_FINAL, "typical"): row({"close_fdl_resolved"} | W),
    (S.CLOSED, "typical"): row(set(), tl=set()),
}

LOCKED = {S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL}
PLAN_STATUS = {
    S.IMPLEMENTING_RECOMMENDATIONS: PlanStatus.DRAFT, S.PLAN_RETURNED: PlanStatus.REJECTED,
    S.PENDING_TL_APPROVAL: PlanStatus.PENDING_APPROVAL, S.PENDING_SENIOR_APPROVAL: PlanStatus.REFERRED,
    S.UNDERTAKING_ACTIONS: PlanStatus.APPROVED,
}
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)


def make_sr(state: str, situation: str, *, team: Any, client: Any, users: Any) -> ServiceRequest:
    """An SR in `state` with the data the situation implies, written
    straight to the tables (the flows are tested through the services)."""
    owner = users["owner"]
    closed = state == CLOSED
    sr = ServiceRequestFactory(
        route="phso", team=team, client=client, state=state, owner=None if state == S.PENDING_ASSIGNMENT else owner,
        lock_assignment=state in LOCKED, resolution_code=ResolutionCode.NO_ACTION if closed else "",
        closed_at=MON_2_NOV_2026 if closed else None,
    )
    if state == S.PTI_RESPONSE:
        start_clock(sr=sr, rule_code="phso.assessment_panel", actor=owner, now=NOW)
        if situation == "panel held":
            meet_clock(sr=sr, rule_code="phso.assessment_panel", actor=owner, now=NOW)
    if state in (S.PTI_SIGN_OFF, S.REPORT_SIGN_OFF):
        verb = "submit_pti_response" if state == S.PTI_SIGN_OFF else "submit_report_response"
        CaseEventFactory(sr=sr, verb=verb, actor=users["hcr"] if situation == "drafted by HCR" else owner)
    if situation == "query open":
        start_clock(sr=sr, rule_code="ice.adhoc", actor=owner, now=NOW, due_on=date(2026, 11, 20), label="Payments")
    if state == S.DRAFT_REPORT_RESPONSE and situation == "panel held":
        PhsoDetails.objects.create(sr=sr, report_panel_members="Ann", report_panel_on=date(2026, 11, 2))
    if situation in ("FDL amount wrong", "FDL amount right", "after FDL"):
        PhsoDetails.objects.create(sr=sr, fdl_received_on=date(2026, 11, 2), fdl_amount=Decimal("50"))
    if state in PLAN_STATUS and situation != "no plan":
        status = PlanStatus.DRAFT if situation == "revised without redress" else PLAN_STATUS[state]
        plan = ResolutionPlanFactory(sr=sr, drafted_by=users["tl"] if situation == "drafted by TL" else owner,
                                     status=status)
        reason = PlanReasonFactory(plan=plan)
        done = state == S.UNDERTAKING_ACTIONS and situation != "actions open"
        PlanActionFactory(reason=reason, plan=plan, done=done)
        if situation not in ("no redress", "revised without redress"):
            amount = {"above TL limit": "5000", "FDL amount wrong": "40"}.get(situation, "50")
            if state == S.PENDING_SENIOR_APPROVAL:
                amount = "5000"
            PlanActionFactory(reason=reason, plan=plan, kind=ActionKind.FINANCIAL_REDRESS, amount=Decimal(amount),
                              done=done)
    return sr


@pytest.mark.parametrize(("state", "situation"), list(MATRIX), ids=[f"{s}-{v}" for s, v in MATRIX])
def test_phso_matrix(state, situation, pat, colleague, tina, gina, hugh, mona_p, oscar, phso_team, jane):
    users = {"owner": pat, "colleague": colleague, "tl": tina, "senior": gina, "hcr": hugh, "manager": mona_p,
             "outsider": oscar}
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        sr = make_sr(state, situation, team=phso_team, client=jane, users=users)
        for role in ROLES:
            expected = MATRIX[(state, situation)].get(role, set())
            got = {t.name for t in available_transitions(ServiceRequest.objects.get(pk=sr.pk), users[role])}
            assert got == expected, f"{state} ({situation}) / {role}: got {sorted(got)}, table says {sorted(expected)}"


def _declared() -> set[tuple[str, str, str]]:
    states = set(spec_for("phso").labels)
    declared: set[tuple[str, str, str]] = set()
    for t in PhsoSR().get_all_state_transitions():
        sources = states - {CLOSED} if t.source == "*" else {t.source}
        target = t.target
        declared |= {(t.name, s, s if target is None else target) for s in sources}
    return declared


def test_table_and_workflow_name_the_same_transitions():
    states = set(spec_for("phso").labels)
    assert {state for state, _ in MATRIX} == states
    declared = {(name, source) for name, source, _ in _declared()}
    # "*" transitions are open-state only; reallocate needs an owner and is
    # refused while the assignment is locked.
    declared -= {("reallocate", s) for s in LOCKED | {S.PENDING_ASSIGNMENT}}
    tabled = {(name, state) for (state, _), roles in MATRIX.items() for names in roles.values() for name in names}
    assert tabled == declared, (sorted(tabled - declared), sorted(declared - tabled))


def test_every_state_is_reachable_from_the_request_for_information():
    edges: dict[str, set[str]] = {}
    for _, source, target in _declared():
        edges.setdefault(source, set()).add(target)
    seen, todo = {S.INITIAL_REQUEST.value}, [S.INITIAL_REQUEST.value]
    while todo:
        for nxt in edges.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(spec_for("phso").labels)


def test_labels_are_spelled_as_the_seed_spells_them():
    labels = spec_for("phso").labels
    assert labels[S.SOC_RESPONSE] == Labels("In Progress", "Response To Summary", "Response To SoC")
    assert labels[S.DRAFT_REPORT_RESPONSE] == Labels("In Progress", "Response To Report", "Response To Report")
    assert labels[S.IMPLEMENTING_RECOMMENDATIONS] == Labels("In Progress", "Resolution Action",
                                                            "Implement PHSO Recommendations")
    assert labels[S.PENDING_TL_APPROVAL].sub_status == "Pending Approval - TL"
    waits = {labels[s] for s in spec_for("phso").with_body_states}
    assert {(w.status, w.sub_status) for w in waits} == {("Wait", "With PHSO")}
    assert {labels[S.INITIAL_REQUEST].stage, labels[S.WITH_PHSO].stage} == {"Initial Response"}
