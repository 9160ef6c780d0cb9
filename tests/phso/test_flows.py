"""Every path of seed 004 through the real services: the states, clocks,
tasks, e-mails and records each step leaves behind."""

from datetime import date
from decimal import Decimal

import pytest

from complaints.models import CaseEvent, ResolutionCode, ServiceRequest, SRLink
from complaints.plans.models import PlanApproval
from complaints.services.errors import NotAllowedInState, NotPermitted
from letters.models import OutgoingEmail
from phso.models import PhsoDetails
from phso.workflow import S
from sla.models import DeadlineClock, Task
from sla.scan import scan_deadlines

from .helpers import (
    add_plan,
    available,
    finish_actions,
    go,
    new_phso,
    panel,
    reload,
    to_fdl,
    to_pti,
    to_report,
    to_with_phso,
    to_with_phso_pti,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sr(travel, pat, phso_team, jane):
    return new_phso(actor=pat, team=phso_team, client=jane)


def running(sr: ServiceRequest, rule: str) -> list[DeadlineClock]:
    return list(DeadlineClock.objects.running().filter(sr=sr, rule__code=rule))


def open_tasks(sr: ServiceRequest) -> dict[str, Task]:
    return {t.key.partition(":")[0]: t for t in Task.objects.filter(sr=sr, done_at__isnull=True)}


def emails(sr: ServiceRequest) -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(sr=sr).order_by("id"))


def test_request_for_information_waits_with_phso_and_raises_a_chase_task(sr, pat):
    assert sr.owner == pat and sr.state == S.INITIAL_REQUEST
    sr = to_with_phso(sr, pat)
    assert (sr.status, sr.sub_status, sr.stage) == ("Wait", "With PHSO", "Initial Response")
    [clock] = running(sr, "phso.chase")
    assert clock.due_on == date(2026, 12, 14)  # 6 weeks from Monday 2 November
    assert emails(sr)[0].mailbox == "phso"
    # No decision by then: the deadline scan puts a task to chase on Pat's My work.
    assert not Task.objects.filter(sr=sr).exists()
    scan_deadlines(today=date(2026, 12, 14))
    assert not Task.objects.filter(sr=sr).exists()
    scan_deadlines(today=date(2026, 12, 15))
    [task] = Task.objects.filter(sr=sr, done_at__isnull=True)
    assert task.assignee == pat and "Chase the Ombudsman for a decision" in task.title


def test_the_ombudsmans_answer_stops_the_chase(sr, pat):
    sr = to_pti(sr, pat)
    assert not running(sr, "phso.chase")
    scan_deadlines(today=date(2026, 12, 15))
    assert not any("Chase" in t.title for t in Task.objects.filter(sr=sr))


def test_not_taken_on_refers_back_and_closes_rejected(sr, pat, resolution_team_p):
    sr = to_with_phso(sr, pat)
    sr = go(sr, pat, "not_taken_on", note="Ombudsman recommends a fresh resolution look.")
    assert sr.gateway_passed is False and sr.state == S.GATEWAY_FAILED
    assert not running(sr, "phso.chase")
    sr = go(sr, pat, "refer_back", route="resolution", team=resolution_team_p, note="Please look again.")
    raised = ServiceRequest.objects.get(route="resolution", client=sr.client)
    assert SRLink.objects.filter(from_sr=sr, to_sr=raised).exists()
    assert raised.details == sr.details
    sr = go(sr, pat, "close_rejected", actions_done=True, note="")
    assert sr.resolution_code == ResolutionCode.REJECTED and sr.closed_at is not None
    assert emails(sr)[-1].subject.startswith("Resolution action complete")


def test_refer_back_refuses_a_team_of_another_route(sr, pat, phso_team):
    from complaints.services.errors import ServiceError

    sr = go(to_with_phso(sr, pat), pat, "not_taken_on", note="x")
    with pytest.raises(ServiceError):
        go(sr, pat, "refer_back", route="resolution", team=phso_team, note="x")
    assert not ServiceRequest.objects.filter(route="resolution").exists()


def test_pti_links_earlier_srs_starts_both_clocks_and_goes_on_the_dg_caselist(sr, pat, phso_team, jane):
    earlier = ServiceRequest.objects.create(reference="SR-OLD-1", route="phso", team=phso_team, client=jane,
                                            received_on=date(2026, 1, 5), state="closed",
                                            resolution_code=ResolutionCode.RESOLVED, closed_at=sr.created_at)
    sr = to_pti(sr, pat, earlier=[earlier])
    assert sr.gateway_passed is True and sr.dg_caselist is True
    assert (sr.status, sr.stage) == ("In Progress", "Response To PTI")
    assert running(sr, "phso.pti_response")[0].due_on == date(2026, 11, 16)
    assert running(sr, "phso.assessment_panel")[0].due_on == date(2026, 11, 5)
    assert {"phso-panel", "phso-pti"} <= set(open_tasks(sr))
    assert SRLink.objects.filter(from_sr=sr, to_sr=earlier).exists()
    assert not running(sr, "phso.chase")


def test_panel_records_members_date_and_briefing_and_meets_its_clock(sr, pat):
    sr = panel(to_pti(sr, pat), pat)
    details = PhsoDetails.objects.get(sr=sr)
    assert details.panel_members == "Ann\nBob" and details.panel_on == today()
    assert details.panel_briefing == "The case so far."
    assert not running(sr, "phso.assessment_panel") and "phso-panel" not in open_tasks(sr)


def test_response_cannot_go_for_sign_off_before_the_panel(sr, pat):
    sr = to_pti(sr, pat)
    assert "submit_pti_response" not in available(sr, pat)
    with pytest.raises(NotAllowedInState):
        go(sr, pat, "submit_pti_response", pti_response="Too soon.")


def test_only_the_head_of_complaints_review_signs_off_and_never_the_drafter(sr, pat, tina, gina, hugh, mona_p):
    sr = panel(to_pti(sr, pat), pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="Our response.")
    assert sr.state == S.PTI_SIGN_OFF
    task = open_tasks(sr)["phso-sign-off"]
    assert task.role == "Head of Complaints Review" and task.assignee_id is None
    for user in (pat, tina, gina, mona_p):
        assert not {"sign_off_pti", "return_pti_response"} & available(sr, user)
        with pytest.raises(NotPermitted):
            go(sr, user, "sign_off_pti", note="")
    assert {"sign_off_pti", "return_pti_response"} <= available(sr, hugh)
    sr = go(sr, hugh, "sign_off_pti", note="Fine.")
    assert (sr.status, sr.sub_status) == ("Wait", "With PHSO")
    assert not running(sr, "phso.pti_response") and running(sr, "phso.chase")


def test_the_head_of_complaints_review_cannot_sign_off_a_response_they_drafted(sr, pat, hugh, phso_team):
    sr = panel(to_pti(sr, pat), pat)
    # Hugh takes the SR over and drafts the response himself.
    ServiceRequest.objects.filter(pk=sr.pk).update(owner=hugh)
    sr = go(reload(sr), hugh, "submit_pti_response", pti_response="Hugh's own draft.")
    assert "sign_off_pti" not in available(sr, hugh)
    with pytest.raises(NotPermitted):
        go(sr, hugh, "sign_off_pti", note="")


def test_returned_response_goes_back_with_a_task_and_can_be_sent_again(sr, pat, hugh):
    sr = panel(to_pti(sr, pat), pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="Draft one.")
    sr = go(sr, hugh, "return_pti_response", comments="Add the chronology.")
    assert sr.state == S.PTI_RESPONSE
    assert "Add the chronology." in open_tasks(sr)["phso-returned"].title
    sr = go(sr, pat, "submit_pti_response", pti_response="Draft two.")
    assert "phso-returned" not in open_tasks(sr)
    assert go(sr, hugh, "sign_off_pti", note="").state == S.WITH_PHSO_PTI


def test_mediation_recommendations_plan_approval_and_closed_resolved(sr, pat, tina, hugh):
    sr = to_with_phso_pti(sr, pat, hugh)
    sr = go(sr, pat, "record_mediation", mediation_outcome="The client wants an apology and a payment.")
    assert PhsoDetails.objects.get(sr=sr).mediation_outcome.startswith("The client wants")
    sr = go(sr, pat, "recommendations_received", received_on=today(), note="")
    assert sr.status == "Pending Assignment" and sr.owner is None
    assert running(sr, "phso.recommendations")[0].due_on == date(2026, 11, 30)
    assert "allocate" in available(sr, tina) and "allocate" not in available(sr, pat)
    sr = go(sr, tina, "allocate", owner=pat)
    assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Resolution Action", "Implement PHSO Recommendations")
    add_plan(sr, pat, redress="150")
    sr = go(sr, pat, "submit_for_approval", note="")
    assert (sr.status, sr.sub_status) == ("Pending Approval", "Pending Approval - TL") and sr.lock_assignment
    assert "reject_plan" in available(sr, tina) and "return_for_correction" not in available(sr, tina)
    sr = go(sr, tina, "approve_plan", amount=Decimal("150.00"), comments="")
    assert sr.state == S.UNDERTAKING_ACTIONS
    assert "evidence_sent" not in available(sr, pat)
    finish_actions(sr, pat)
    assert "fdl_evidence_sent" not in available(sr, pat)
    sr = go(sr, pat, "evidence_sent", note="Apology sent, payment made.")
    assert sr.state == S.WITH_PHSO_RESOLUTION and not running(sr, "phso.recommendations")
    sr = go(sr, pat, "close_resolved", note="The Ombudsman e-mailed: the client is satisfied.")
    assert sr.resolution_code == ResolutionCode.RESOLVED


def test_plan_without_redress_needs_no_approval(sr, pat, tina, hugh):
    sr = to_with_phso_pti(sr, pat, hugh)
    sr = go(sr, pat, "recommendations_received", received_on=today(), note="")
    sr = go(sr, tina, "allocate", owner=pat)
    add_plan(sr, pat)
    assert "submit_for_approval" not in available(sr, pat)
    assert go(sr, pat, "start_actions", note="").state == S.UNDERTAKING_ACTIONS


def test_client_not_satisfied_goes_on_to_investigation(sr, pat, tina, hugh):
    sr = to_with_phso_pti(sr, pat, hugh)
    sr = go(sr, pat, "recommendations_received", received_on=today(), note="")
    sr = go(sr, tina, "allocate", owner=pat)
    add_plan(sr, pat)
    sr = go(sr, pat, "start_actions", note="")
    finish_actions(sr, pat)
    sr = go(sr, pat, "evidence_sent", note="Done.")
    sr = go(sr, pat, "soc_received", received_on=today(), target_date=date(2027, 2, 1), note="")
    assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Response To Summary", "Response To SoC")


def test_adhoc_queries_are_clocks_with_the_ombudsmans_dates_several_open(sr, pat, hugh):
    sr = to_with_phso_pti(sr, pat, hugh)
    sr = go(sr, pat, "soc_received", received_on=today(), target_date=date(2027, 2, 1), note="")
    assert running(sr, "phso.target_date")[0].due_on == date(2027, 2, 1)
    assert "adhoc_answered" not in available(sr, pat)
    sr = go(sr, pat, "adhoc_query", question="Payment history", received_on=today(), reply_due_on=date(2026, 11, 9))
    sr = go(sr, pat, "adhoc_query", question="Call recordings", received_on=today(), reply_due_on=date(2026, 11, 20))
    clocks = running(sr, "ice.adhoc")
    assert sorted((c.label, c.due_on) for c in clocks) == [("Call recordings", date(2026, 11, 20)),
                                                           ("Payment history", date(2026, 11, 9))]
    later = next(c for c in clocks if c.label == "Call recordings")
    sr = go(sr, pat, "adhoc_answered", clock=later, note="")
    assert [c.label for c in running(sr, "ice.adhoc")] == ["Payment history"]
    assert sr.state == S.SOC_RESPONSE


def test_draft_report_panel_sign_off_and_with_phso(sr, pat, hugh):
    sr = to_report(sr, pat, hugh)
    assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Response To Report", "Response To Report")
    assert running(sr, "phso.draft_report")[0].due_on == date(2026, 11, 16)
    assert "submit_report_response" not in available(sr, pat)
    sr = go(sr, pat, "convene_report_panel", report_panel_members="Ann", report_panel_on=today(), accuracy_checked=True)
    sr = go(sr, pat, "submit_report_response", report_response="Corrections.")
    assert "sign_off_report" not in available(sr, pat)
    sr = go(sr, hugh, "sign_off_report", note="")
    assert (sr.status, sr.sub_status, sr.stage) == ("Wait", "With PHSO", "Response To Report")
    assert not running(sr, "phso.draft_report")


# --- the final decision letter's branches ------------------------------------------


def test_fdl_anomalies_go_to_the_head_of_complaints_review(sr, pat, hugh):
    sr = to_fdl(sr, pat, hugh)
    assert not running(sr, "phso.target_date")
    sr = go(sr, pat, "raise_anomalies", fdl_anomalies="The final report drops our correction on page 3.")
    task = open_tasks(sr)["phso-anomalies"]
    assert task.role == "Head of Complaints Review" and "page 3" in task.title
    assert emails(sr)[-1].mailbox == "head_of_complaints_review"


def test_fdl_no_recommendations_closes_no_action_taken(sr, pat, hugh):
    sr = go(to_fdl(sr, pat, hugh), pat, "fdl_no_recommendations", compared=True, note="")
    assert sr.resolution_code == ResolutionCode.NO_ACTION and sr.closed_at


def test_fdl_systemic_only_emails_client_and_government_relations_and_closes(sr, pat, hugh):
    sr = go(to_fdl(sr, pat, hugh), pat, "fdl_systemic_only", compared=True,
            systemic_recommendations="Review the payment scheduling guidance.")
    assert sr.resolution_code == ResolutionCode.NO_ACTION
    last = emails(sr)[-1]
    assert last.mailbox == "client_government_relations" and "payment scheduling guidance" in last.body


def test_fdl_case_and_systemic_emails_both_and_implements(sr, pat, hugh):
    sr = go(to_fdl(sr, pat, hugh), pat, "fdl_case_and_systemic", compared=True,
            systemic_recommendations="Review the guidance.")
    assert sr.state == S.IMPLEMENTING_RECOMMENDATIONS
    assert [e.mailbox for e in emails(sr)[-2:]] == ["client_government_relations", "dg_operations"]
    assert running(sr, "phso.recommendations")[0].due_on == date(2026, 11, 30)


def test_fdl_case_specific_to_closed_resolved_with_hcr_told(sr, pat, tina, hugh):
    sr = go(to_fdl(sr, pat, hugh, amount="250"), pat, "fdl_case_specific", compared=True, note="")
    assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Resolution Action", "Implement PHSO Recommendations")
    assert emails(sr)[-1].mailbox == "dg_operations"
    add_plan(sr, pat, redress="250")
    sr = go(sr, pat, "submit_for_approval", note="")
    sr = go(sr, tina, "approve_plan", amount=Decimal("250.00"), comments="")
    finish_actions(sr, pat)
    assert "evidence_sent" not in available(sr, pat)
    sr = go(sr, pat, "fdl_evidence_sent", note="Payment made on 10 November.")
    assert sr.state == S.WITH_PHSO_FINAL
    assert "close_resolved" not in available(sr, pat)
    sr = go(sr, pat, "close_fdl_resolved", note="The Ombudsman agreed.")
    assert sr.resolution_code == ResolutionCode.RESOLVED
    assert emails(sr)[-1].mailbox == "head_of_complaints_review"


def test_tl_cannot_reject_the_fdl_amount_but_returns_a_wrong_one(sr, pat, tina, hugh):
    sr = go(to_fdl(sr, pat, hugh, amount="250"), pat, "fdl_case_specific", compared=True, note="")
    add_plan(sr, pat, redress="25")  # typed wrongly: the letter says £250
    sr = go(sr, pat, "submit_for_approval", note="")
    assert "reject_plan" not in available(sr, tina)
    assert "return_for_correction" in available(sr, tina)
    with pytest.raises(NotAllowedInState):
        go(sr, tina, "reject_plan", comments="I do not agree with the Ombudsman.")
    sr = go(sr, tina, "return_for_correction", comments="The letter says £250.")
    assert sr.state == S.PLAN_RETURNED and not sr.lock_assignment
    assert "£250" in open_tasks(sr)["plan-rejected"].title


def test_tl_can_neither_reject_nor_return_the_fdl_amount_when_it_is_right(sr, pat, tina, hugh):
    sr = go(to_fdl(sr, pat, hugh, amount="250"), pat, "fdl_case_specific", compared=True, note="")
    add_plan(sr, pat, redress="250")
    sr = go(sr, pat, "submit_for_approval", note="")
    got = available(sr, tina)
    assert "approve_plan" in got and not {"reject_plan", "return_for_correction"} & got


@pytest.mark.parametrize(("form", "kind"), [("CSF783", "reimbursement"), ("CSF824", "special payment")])
def test_payment_above_the_tl_limit_is_referred_on_csf783_or_csf824(sr, pat, tina, gina, hugh, form, kind):
    sr = go(to_fdl(sr, pat, hugh, amount="5000"), pat, "fdl_case_specific", compared=True, note="")
    add_plan(sr, pat, redress="5000")
    sr = go(sr, pat, "submit_for_approval", note="")
    assert "approve_plan" not in available(sr, tina) and "refer_plan" in available(sr, tina)
    from accounts.models import Grade

    sr = go(sr, tina, "refer_plan", grade=Grade.objects.get(code="G7"), form_reference=form, form_sent=True,
            comments=kind)
    assert sr.state == S.PENDING_SENIOR_APPROVAL
    approval = PlanApproval.objects.get(decision=PlanApproval.Decision.REFERRED)
    assert approval.form_reference == form
    assert "approve_plan" in available(sr, gina) and "reject_plan" not in available(sr, gina)
    sr = go(sr, gina, "approve_plan", amount=Decimal("5000.00"), comments="")
    assert sr.state == S.UNDERTAKING_ACTIONS


def test_withdraw_at_any_stage(sr, pat, hugh):
    sr = to_report(sr, pat, hugh)
    sr = go(sr, pat, "withdraw", note="The client withdrew through their MP.")
    assert sr.resolution_code == ResolutionCode.WITHDRAWN
    assert not DeadlineClock.objects.running().filter(sr=sr).exists()
    assert CaseEvent.objects.filter(sr=sr, verb="withdraw").exists()


def test_after_mediation_actions_the_fdl_gets_a_new_plan_revision(sr, pat, tina, hugh):
    """Recommendations carried out after mediation, the client still not
    satisfied, then the final decision letter: its recommendations go in a
    new revision of the plan, approved afresh."""
    sr = to_with_phso_pti(sr, pat, hugh)
    sr = go(sr, pat, "recommendations_received", received_on=today(), note="")
    sr = go(sr, tina, "allocate", owner=pat)
    add_plan(sr, pat)
    sr = go(sr, pat, "start_actions", note="")
    finish_actions(sr, pat)
    sr = go(sr, pat, "evidence_sent", note="Apology sent.")
    sr = go(sr, pat, "soc_received", received_on=today(), target_date=date(2027, 2, 1), note="")
    sr = go(sr, pat, "soc_response_sent", note="")
    sr = go(sr, pat, "draft_report_received", received_on=today(), note="")
    sr = go(sr, pat, "convene_report_panel", report_panel_members="Ann", report_panel_on=today(), accuracy_checked=True)
    sr = go(sr, pat, "submit_report_response", report_response="Corrections.")
    sr = go(sr, hugh, "sign_off_report", note="")
    sr = go(sr, pat, "fdl_received", received_on=today(), fdl_amount=Decimal("300"), note="")
    sr = go(sr, pat, "fdl_case_specific", compared=True, note="")
    add_plan(sr, pat, redress="300")
    sr = go(sr, pat, "submit_for_approval", note="")
    sr = go(sr, tina, "approve_plan", amount=Decimal("300.00"), comments="")
    finish_actions(sr, pat)
    sr = go(sr, pat, "fdl_evidence_sent", note="Paid.")
    assert go(sr, pat, "close_fdl_resolved", note="Agreed.").resolution_code == ResolutionCode.RESOLVED
