"""Every path of the Review procedure (seed 001) through the real services:
the right letter at each step, the right wait, the right Resolution Code."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from complaints.models import ClientApproval, PlanApproval, PlanStatus, ResolutionCode, ServiceRequest
from complaints.plans.services import current_plan, plan_mark_action_done
from letters.models import IssuedLetter
from sla.models import DeadlineClock, Task

from .helpers import add_plan, available, go, reload

pytestmark = pytest.mark.django_db


def letters(sr: ServiceRequest) -> list[str]:
    return list(IssuedLetter.objects.filter(sr=sr).order_by("issued_at", "pk").values_list("template_code", flat=True))


def clock(sr: ServiceRequest, code: str) -> DeadlineClock:
    return DeadlineClock.objects.filter(sr=sr, rule__code=code).latest("pk")


def finish_actions(sr: ServiceRequest, actor: User) -> None:
    for action in current_plan(sr).actions.all():
        plan_mark_action_done(sr=sr, actor=actor, action_id=action.pk)


def test_allocation_labels_and_no_letter(review, caseworker):
    assert review.state == "in_progress"
    assert (review.status, review.sub_status, review.stage) == ("In Progress", "In Progress", "Acknowledge Issue")
    assert review.owner == caseworker
    assert letters(review) == []


def test_no_further_action_cmsl5800_then_seven_day_wait_then_closed(review, caseworker, travel):
    sr = go(review, caseworker, "no_further_action")
    assert (sr.status, sr.sub_status) == ("Wait", "Wait")
    assert letters(sr) == ["CMSL5800"]
    wait = clock(sr, "review.client_reply")
    assert wait.rule.is_wait and wait.due_on == date(2026, 11, 9)  # 7 calendar days
    # Before the wait ends only a reply closes it.
    assert "no_reply_close" not in available(sr, caseworker)
    travel.shift(timedelta(days=8))
    assert {"reply_close", "no_reply_close"} <= available(sr, caseworker)
    sr = go(sr, caseworker, "no_reply_close")
    assert sr.state == "closed" and sr.resolution_code == ResolutionCode.NO_ACTION
    assert clock(sr, "review.client_reply").met_on == date(2026, 11, 10)


def test_client_reply_closes_with_a_note(review, caseworker):
    sr = go(review, caseworker, "no_further_action")
    sr = go(sr, caseworker, "reply_close", note="Client rang; understood the decision.")
    assert sr.resolution_code == ResolutionCode.NO_ACTION
    assert clock(sr, "review.client_reply").met_on == date(2026, 11, 2)


def test_client_not_reached_starts_acknowledgement_clock_and_task_then_cmsl5829_meets_it(review, caseworker):
    sr = go(review, caseworker, "client_not_reached", note="Tried at 9am and 1pm.")
    ack = clock(sr, "review.acknowledge")
    assert ack.started_on == date(2026, 11, 2) and ack.due_on == date(2026, 11, 4)  # 2 working days
    task = Task.objects.get(key=f"review-ack:{sr.pk}")
    assert task.assignee == caseworker and task.due_on == date(2026, 11, 4) and task.done_at is None
    # CMSL5829 first: the review cannot move on until the client has it.
    assert available(sr, caseworker) == {"send_acknowledgement", "close_enquiry", "withdraw"}
    sr = go(sr, caseworker, "send_acknowledgement")
    assert sr.state == "in_progress"
    assert letters(sr) == ["CMSL5829"]
    assert clock(sr, "review.acknowledge").met_on == date(2026, 11, 2)
    assert Task.objects.get(key=f"review-ack:{sr.pk}").done_at is not None
    assert {"no_further_action", "start_plan"} <= available(sr, caseworker)
    assert "send_acknowledgement" not in available(sr, caseworker)


def test_enquiry_only_closes_no_action_taken(review, caseworker):
    sr = go(review, caseworker, "close_enquiry", note="Asked when the next payment is due.", feedback_given=True)
    assert sr.state == "closed" and sr.resolution_code == ResolutionCode.NO_ACTION
    assert letters(sr) == []


def test_redress_plan_disagreement_go_ahead_and_client_ok_closure(review, caseworker, team_leader, travel):
    sr = go(review, caseworker, "start_plan")
    assert sr.sub_status == "Draft Action Plan"
    add_plan(sr, caseworker, redress="150.00")
    assert "send_plan_to_client" not in available(sr, caseworker)  # redress needs approval first
    sr = go(sr, caseworker, "submit_for_approval")
    assert (sr.status, sr.sub_status) == ("Pending Approval", "Pending TL Approval")
    assert sr.lock_assignment
    sr = go(sr, team_leader, "approve_plan", amount=Decimal("150.00"), comments="Fair.")
    assert sr.sub_status == "Approved" and not sr.lock_assignment
    approval = PlanApproval.objects.get(plan__sr=sr)
    assert (approval.decided_by, approval.amount, approval.decision) == (team_leader, Decimal("150.00"), "approved")
    sr = go(sr, caseworker, "send_plan_to_client")
    assert letters(sr) == ["CMSL5801"] and sr.sub_status == "Wait"
    assert clock(sr, "review.client_reply").due_on == date(2026, 11, 9)
    sr = go(sr, caseworker, "client_disagrees", note="Wants £500.")
    assert sr.state == "pending_tl_decision" and sr.lock_assignment
    assert current_plan(sr).client_approved == ClientApproval.NO
    assert clock(sr, "review.client_reply").met_on is not None
    sr = go(sr, team_leader, "go_ahead", comments="The amount follows the guidance.")
    assert sr.sub_status == "Undertake Actions Prescribed" and not sr.lock_assignment
    assert letters(sr) == ["CMSL5801", "CMSL5803"]
    assert PlanApproval.objects.filter(plan__sr=sr, decision="go_ahead").exists()
    assert "close_client_ok" not in available(sr, caseworker)  # actions still open
    finish_actions(sr, caseworker)
    sr = go(reload(sr), caseworker, "close_client_ok")
    assert sr.state == "closed" and sr.resolution_code == ResolutionCode.COMPLETE_CLIENT_OK
    assert (sr.status, sr.sub_status) == ("Closed", "Complete")
    assert letters(sr)[-1] == "CMSL5806"


def test_plan_without_redress_goes_straight_to_the_client(review, caseworker):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    assert "submit_for_approval" not in available(sr, caseworker)
    sr = go(sr, caseworker, "send_plan_to_client")
    assert current_plan(sr).status == PlanStatus.FINAL
    sr = go(sr, caseworker, "client_agrees")
    assert current_plan(sr).client_approved == ClientApproval.YES
    assert sr.state == "undertaking_actions"


def test_no_reply_to_cmsl5801_goes_ahead_after_the_wait(review, caseworker, travel):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    sr = go(sr, caseworker, "send_plan_to_client")
    assert "no_reply_go_ahead" not in available(sr, caseworker)
    travel.shift(timedelta(days=8))
    sr = go(sr, caseworker, "no_reply_go_ahead")
    assert sr.state == "undertaking_actions"


def test_revise_after_disagreement_cmsl5804_back_to_draft(review, caseworker, team_leader):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    sr = go(sr, caseworker, "send_plan_to_client")
    sr = go(sr, caseworker, "client_disagrees", note="Wants the fee refunded too.")
    sr = go(sr, team_leader, "revise_plan", comments="Add the fee refund.")
    assert sr.sub_status == "Draft Action Plan"
    assert letters(sr) == ["CMSL5801", "CMSL5804"]
    assert current_plan(sr).status == PlanStatus.REJECTED
    # Nothing to send until the plan is changed: the next edit starts revision 2.
    assert available(sr, caseworker) == {"withdraw"}
    add_plan(sr, caseworker)
    assert current_plan(sr).revision == 2
    assert "send_plan_to_client" in available(sr, caseworker)


def test_no_phone_contact_cmsl5805_fourteen_day_wait_then_client_not_ok(review, caseworker):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    sr = go(sr, caseworker, "send_plan_to_client")
    sr = go(sr, caseworker, "client_agrees")
    finish_actions(sr, caseworker)
    sr = go(reload(sr), caseworker, "send_closure_letter")
    assert sr.state == "awaiting_closure_agreement" and sr.sub_status == "Wait"
    assert clock(sr, "review.closure_reply").due_on == date(2026, 11, 16)  # 14 calendar days
    sr = go(sr, caseworker, "close_client_not_ok")
    assert sr.resolution_code == ResolutionCode.COMPLETE_CLIENT_NOT_OK
    letter = IssuedLetter.objects.filter(sr=sr).latest("pk")
    assert letter.template_code == "CMSL5807"
    # The leaflet goes with it.
    assert "CMSB0011" in letter.html
    assert clock(sr, "review.closure_reply").met_on == date(2026, 11, 2)


def test_closure_wait_over_closes_client_ok_without_a_letter(review, caseworker, travel):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    sr = go(sr, caseworker, "send_plan_to_client")
    sr = go(sr, caseworker, "client_agrees")
    finish_actions(sr, caseworker)
    sr = go(reload(sr), caseworker, "send_closure_letter")
    assert "closure_no_reply" not in available(sr, caseworker)
    travel.shift(timedelta(days=15))
    sr = go(sr, caseworker, "closure_no_reply")
    assert sr.resolution_code == ResolutionCode.COMPLETE_CLIENT_OK
    assert letters(sr)[-1] == "CMSL5805"


def test_withdraw_from_an_open_state_stops_the_wait(review, caseworker):
    sr = go(review, caseworker, "no_further_action")
    sr = go(sr, caseworker, "withdraw", note="Client rang to withdraw.")
    assert sr.resolution_code == ResolutionCode.WITHDRAWN
    assert clock(sr, "review.client_reply").cancelled_at is not None
