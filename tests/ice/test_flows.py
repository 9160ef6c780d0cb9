"""ICE SRs moved through the real services: the failed gateway flowing back
into Resolution or Review, ICE's documents with their clocks, ad-hoc
questions, the plan and its approval, the e-mails to ICE, and CMSL5844."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core import mail

from accounts.models import User
from complaints.models import ActionKind, PlanStatus, ResolutionCode, ServiceRequest, SRLink
from complaints.plans.services import current_plan, plan_add_action, plan_add_reason, plan_mark_action_done
from complaints.services.errors import ServiceError
from ice.models import IceDetails
from letters.emails import send_queued_email
from letters.models import IssuedLetter, OutgoingEmail
from letters.selectors import templates_for
from letters.services import issue_letter
from sla.models import DeadlineClock, Task

from .helpers import LONDON, MON_2_NOV_2026, available, closed_sr, gateway_data, go, new_ice, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel():
    with time_machine.travel(MON_2_NOV_2026, tick=False) as traveller:
        yield traveller


def allocated(ice_team: Any, ice_leader: Any, ice_caseworker: Any, client: Any):
    return go(new_ice(actor=ice_leader, team=ice_team, client=client), ice_leader, "allocate", owner=ice_caseworker)


def with_ice(ice_team: Any, ice_leader: Any, ice_caseworker: Any, client: Any, **extra: Any):
    sr = allocated(ice_team, ice_leader, ice_caseworker, client)
    return go(sr, ice_caseworker, "pass_gateway", **gateway_data(client_gave_copy=True, third_party_account="ICE",
                                                                 **extra))


def fail(sr: ServiceRequest, actor: User):
    return go(sr, actor, "fail_gateway", **gateway_data(gateway_proposal="fail", fig_received_on=date(2026, 11, 2)))


def raised_from(ice_sr: ServiceRequest) -> ServiceRequest:
    return reload(SRLink.objects.get(from_sr=ice_sr, raised_by="ice:fail_gateway").to_sr)


def clock(sr: ServiceRequest, rule: str) -> DeadlineClock:
    return DeadlineClock.objects.filter(sr=sr, rule__code=rule).latest("id")


# --- the failed gateway ------------------------------------------------------------


def test_fig_never_at_resolution_raises_a_resolution_sr_and_the_notify_task_closes_with_it(
        travel, ice_team, ice_caseworker, ice_leader, resolution_team, caseworker, team_leader, client_person):
    ice_sr = fail(allocated(ice_team, ice_leader, ice_caseworker, client_person), ice_caseworker)
    assert (ice_sr.state, ice_sr.resolution_code, ice_sr.gateway_passed) == ("closed", ResolutionCode.REJECTED, False)
    assert clock(ice_sr, "ice.gateway").met_on == date(2026, 11, 2)
    raised = raised_from(ice_sr)
    assert raised.route == "resolution" and raised.referrer == "ice" and raised.details == ice_sr.details
    assert SRLink.objects.filter(from_sr=ice_sr, to_sr=raised).exists()
    fig = clock(raised, "ice.fig_resolution")
    assert (fig.started_on, fig.due_on) == (date(2026, 11, 2), date(2026, 12, 29))  # 8 weeks on: Mon 28 Dec is a bank holiday
    task = Task.objects.get(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}")
    assert task.done_at is None and raised.reference in task.title
    assert IssuedLetter.objects.filter(sr=ice_sr, template_code="ICE-FIG-ACK").exists()
    assert IceDetails.objects.get(sr=ice_sr).fig_received_on == date(2026, 11, 2)
    subjects = list(OutgoingEmail.objects.filter(sr=ice_sr).values_list("subject", flat=True))
    assert subjects == ["Failed gateway logged: your reference ICE-123"]

    # The Resolution team closes it: ICE is told and the notify task closes itself.
    resolution = go(raised, team_leader, "allocate", owner=caseworker)
    go(resolution, caseworker, "close_no_action", letter={"free_text": {"what_we_have_done": "We checked."}})
    assert Task.objects.get(pk=task.pk).done_at is not None
    assert clock(raised, "ice.fig_resolution").met_on == date(2026, 11, 2)
    closed_mail = OutgoingEmail.objects.filter(sr=ice_sr).latest("id")
    assert closed_mail.subject == f"Complaint closed: {ice_sr.reference}" and raised.reference in closed_mail.body


def test_fig_after_resolution_raises_a_review_and_withdrawal_also_notifies_ice(
        travel, ice_team, ice_caseworker, ice_leader, resolution_team, review_team, team_leader, client_person):
    closed_sr(route="resolution", team=resolution_team, client=client_person, closed_on=date(2026, 9, 1))
    ice_sr = fail(allocated(ice_team, ice_leader, ice_caseworker, client_person), ice_caseworker)
    raised = raised_from(ice_sr)
    assert raised.route == "review" and raised.team == review_team
    go(raised, team_leader, "withdraw", note="The client withdrew by phone.")
    assert Task.objects.get(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}").done_at is not None
    assert OutgoingEmail.objects.filter(sr=ice_sr, subject=f"Complaint closed: {ice_sr.reference}").exists()


def test_a_complaint_presented_again_is_a_new_ice_sr_linked_to_the_first(
        travel, ice_team, ice_caseworker, ice_leader, resolution_team, client_person):
    first = fail(allocated(ice_team, ice_leader, ice_caseworker, client_person), ice_caseworker)
    go(first, ice_caseworker, "presented_again", note="")
    second = reload(SRLink.objects.get(from_sr=first, raised_by="ice:presented_again").to_sr)
    assert second.route == "ice" and second.state == "pending_assignment" and second.team == ice_team
    assert clock(second, "ice.gateway").due_on == date(2026, 11, 5)


# --- ICE's documents and their clocks ------------------------------------------------


@pytest.mark.parametrize(("chronology", "due"), [(False, date(2026, 11, 16)), (True, date(2026, 11, 23))])
def test_resolution_plan_reply_is_due_in_10_working_days_or_15_with_a_chronology(
        travel, chronology, due, ice_team, ice_caseworker, ice_leader, client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    sr = go(sr, ice_caseworker, "resolution_plan_received", received_on=date(2026, 11, 2),
            chronology_requested=chronology, note="")
    assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Resolution", "Resolution")
    reply = clock(sr, "ice.resolution_reply")
    assert (reply.started_on, reply.due_on) == (date(2026, 11, 2), due)
    assert Task.objects.get(sr=sr, key=f"ice-reply:{sr.pk}").due_on == due
    sr = go(sr, ice_caseworker, "resolution_reply_sent", reply="Answers to your five questions.", note="")
    assert sr.state == "with_ice" and clock(sr, "ice.resolution_reply").met_on == date(2026, 11, 2)
    assert Task.objects.get(sr=sr, key=f"ice-reply:{sr.pk}").done_at is not None
    email = OutgoingEmail.objects.filter(sr=sr).latest("id")
    assert email.body == "Answers to your five questions." and email.mailbox == "ice"


def test_record_of_evidence_is_due_in_25_working_days_across_christmas(ice_team, ice_caseworker, ice_leader,
                                                                       client_person):
    with time_machine.travel(datetime(2026, 12, 14, 9, 0, tzinfo=LONDON), tick=False):
        sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
        sr = go(sr, ice_caseworker, "roe_requested", received_on=date(2026, 12, 14), note="")
        assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Record Of Evidence", "Record Of Evidence")
        # 25, 28 Dec and 1 Jan are bank holidays in England and Wales.
        assert clock(sr, "ice.record_of_evidence").due_on == date(2027, 1, 21)
        sr = go(sr, ice_caseworker, "roe_sent", reply="The ROE form is attached; the evidence follows by courier.")
        assert sr.state == "with_ice" and clock(sr, "ice.record_of_evidence").met_on == date(2026, 12, 14)


def test_draft_report_response_is_due_in_10_working_days(travel, ice_team, ice_caseworker, ice_leader,
                                                         client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    sr = go(sr, ice_caseworker, "draft_report_received", received_on=date(2026, 10, 30), note="")
    assert (sr.sub_status, sr.stage) == ("Investigation", "ICE Investigation")
    assert clock(sr, "ice.draft_report").due_on == date(2026, 11, 13)


def test_several_ad_hoc_questions_run_at_once_each_with_icés_date(travel, ice_team, ice_caseworker, ice_leader,
                                                                   client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    sr = go(sr, ice_caseworker, "adhoc_question", question="When was the August payment recorded?",
            received_on=date(2026, 11, 2), reply_due_on=date(2026, 11, 6), note="")
    sr = go(sr, ice_caseworker, "resolution_plan_received", received_on=date(2026, 11, 2), note="")
    sr = go(sr, ice_caseworker, "adhoc_question", question="Who took the call on 3 July?",
            received_on=date(2026, 11, 2), reply_due_on=date(2026, 11, 4), note="")
    running = DeadlineClock.objects.running().filter(sr=sr, rule__code="ice.adhoc").order_by("due_on")
    assert [(c.label, c.due_on) for c in running] == [("Who took the call on 3 July?", date(2026, 11, 4)),
                                                      ("When was the August payment recorded?", date(2026, 11, 6))]
    august = running.get(label__startswith="When")
    sr = go(sr, ice_caseworker, "adhoc_answered", question_clock_id=august.pk, question=august.label,
            reply="It was recorded on 14 August.", note="")
    assert sr.state == "resolution_reply"  # answering does not move the SR
    still = DeadlineClock.objects.running().filter(sr=sr, rule__code="ice.adhoc")
    assert [c.label for c in still] == ["Who took the call on 3 July?"]
    assert OutgoingEmail.objects.filter(sr=sr, subject__endswith="When was the August payment recorded?").exists()


# --- implementing with a plan and the team leader's approval ---------------------------


def add_plan(sr: ServiceRequest, actor: User, redress: str | None = None) -> None:
    reason = plan_add_reason(sr=sr, actor=actor, grounds="Payments recorded late", comments="ICE's recommendation 1.")
    plan_add_action(sr=sr, actor=actor, reason_id=reason.pk, description="Correct the payment record",
                    kind=ActionKind.OTHER, due_on=date(2026, 12, 1))
    if redress:
        plan_add_action(sr=sr, actor=actor, reason_id=reason.pk, description="Special payment for the delay",
                        kind=ActionKind.FINANCIAL_REDRESS, due_on=date(2026, 12, 1), amount=Decimal(redress))


def finish_actions(sr: ServiceRequest, actor: User) -> None:
    for action in current_plan(sr).actions.filter(done=False):
        plan_mark_action_done(sr=sr, actor=actor, action_id=action.pk)


def test_closure_letter_plan_with_redress_needs_tl_approval_then_ice_confirms(
        travel, ice_team, ice_caseworker, ice_leader, client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    assert "close_resolved" not in available(sr, ice_caseworker)  # not straight after the gateway
    sr = go(sr, ice_caseworker, "closure_letter_received", received_on=date(2026, 11, 2), note="")
    assert (sr.status, sr.sub_status, sr.stage) == ("In Progress", "Resolution", "Implement ICE Recommendations")
    assert clock(sr, "ice.recommendations").due_on == date(2026, 12, 29)
    add_plan(sr, ice_caseworker, redress="120")
    assert available(sr, ice_caseworker) == {"submit_for_approval", "adhoc_question", "withdraw"}
    sr = go(sr, ice_caseworker, "submit_for_approval", note="")
    assert (sr.status, sr.sub_status) == ("Pending Approval", "Pending Approval -TL") and sr.lock_assignment
    sr = go(sr, ice_leader, "approve_plan", amount=Decimal("120.00"), comments="Fair for the delay.")
    # Back to the state it left, the plan approved, the assignment unlocked.
    assert sr.state == "implementing_recommendations" and not sr.lock_assignment
    assert current_plan(sr).status == PlanStatus.APPROVED
    assert "actions_done" not in available(sr, ice_caseworker)
    finish_actions(sr, ice_caseworker)
    sr = go(sr, ice_caseworker, "actions_done", reply="Record corrected and £120 paid on 2 November.", note="")
    assert sr.state == "with_ice" and clock(sr, "ice.recommendations").met_on == date(2026, 11, 2)
    assert {"close_resolved", "not_satisfied"} <= available(sr, ice_caseworker)
    sr = go(sr, ice_caseworker, "close_resolved", received_on=date(2026, 11, 2), ice_outcome="partly_upheld",
            note="ICE e-mailed: the case is finished.")
    assert (sr.state, sr.resolution_code) == ("closed", ResolutionCode.RESOLVED)
    assert IceDetails.objects.get(sr=sr).get_ice_outcome_display() == "Partly upheld"


def test_a_settlement_plan_rejected_by_the_tl_comes_back_to_settlement(travel, ice_team, ice_caseworker,
                                                                     ice_leader, client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    sr = go(sr, ice_caseworker, "settlement_referred", received_on=date(2026, 11, 2), note="")
    add_plan(sr, ice_caseworker, redress="75")
    sr = go(sr, ice_caseworker, "submit_for_approval", note="")
    sr = go(sr, ice_leader, "reject_plan", comments="Add the apology letter as an action.")
    assert (sr.state, sr.sub_status, sr.stage) == ("settlement", "Settlement", "Implement ICE Recommendations")
    assert Task.objects.filter(sr=sr, key__startswith="plan-rejected", done_at__isnull=True).exists()


def test_ice_not_satisfied_goes_to_investigation_and_the_final_report_is_implemented(
        travel, ice_team, ice_caseworker, ice_leader, client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    sr = go(sr, ice_caseworker, "closure_letter_received", received_on=date(2026, 11, 2), note="")
    add_plan(sr, ice_caseworker)
    finish_actions(sr, ice_caseworker)
    sr = go(sr, ice_caseworker, "actions_done", reply="Done.", note="")
    sr = go(sr, ice_caseworker, "not_satisfied", received_on=date(2026, 11, 2), note="The client is not happy.")
    assert sr.state == "with_ice" and "close_resolved" not in available(sr, ice_caseworker)
    sr = go(sr, ice_caseworker, "final_report_received", received_on=date(2026, 11, 2), note="")
    assert (sr.sub_status, sr.stage) == ("Investigation", "Implement ICE Recommendations")
    # The earlier plan's actions are done, but nothing was added for the final report yet.
    assert "actions_done" not in available(sr, ice_caseworker)
    reason = current_plan(sr).reasons.first()
    plan_add_action(sr=sr, actor=ice_caseworker, reason_id=reason.pk, description="Apologise in writing",
                    kind=ActionKind.OTHER, due_on=date(2026, 12, 1))
    finish_actions(sr, ice_caseworker)
    assert "actions_done" in available(sr, ice_caseworker)


# --- e-mails and letters ------------------------------------------------------------


def test_the_emails_to_ice_go_from_the_outbox_through_djangos_backend(travel, ice_team, ice_caseworker, ice_leader,
                                                                      client_person):
    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    email = OutgoingEmail.objects.get(sr=sr)
    assert email.subject == "Gateway passed: your reference ICE-123"
    assert email.to_address == "casework@ice.example.gov.uk"
    mail.outbox.clear()
    assert send_queued_email(email.pk) is True
    assert send_queued_email(email.pk) is False  # exactly once
    assert [m.subject for m in mail.outbox] == ["Gateway passed: your reference ICE-123"]
    assert reload(sr).events.filter(verb="email_sent", details__subject=email.subject).exists()


def test_cmsl5844_only_once_the_third_party_account_is_ice(travel, ice_team, ice_caseworker, ice_leader,
                                                           client_person):
    sr = allocated(ice_team, ice_leader, ice_caseworker, client_person)
    assert "CMSL5844" not in {t.code for t in templates_for(sr)}
    with pytest.raises(ServiceError, match="3rd Party Account is ICE"):
        issue_letter(sr=sr, actor=ice_caseworker, template_code="CMSL5844",
                     composition={"free_text": {"letter_text": "Your complaint is with ICE."}}, now=MON_2_NOV_2026)
    sr = go(sr, ice_caseworker, "pass_gateway", **gateway_data(client_gave_copy=True, third_party_account="ICE"))
    assert "CMSL5844" in {t.code for t in templates_for(sr)}
    issue_letter(sr=sr, actor=ice_caseworker, template_code="CMSL5844",
                 composition={"free_text": {"letter_text": "Your complaint is with ICE."}}, now=MON_2_NOV_2026)


def test_answering_a_question_through_the_page_names_the_question_not_its_id(
        travel, client, ice_team, ice_caseworker, ice_leader, client_person):
    from django.urls import reverse

    sr = with_ice(ice_team, ice_leader, ice_caseworker, client_person)
    sr = go(sr, ice_caseworker, "adhoc_question", question="Who took the call on 3 July?",
            received_on=date(2026, 11, 2), reply_due_on=date(2026, 11, 6), note="")
    question = DeadlineClock.objects.get(sr=sr, rule__code="ice.adhoc")
    client.force_login(ice_caseworker)
    response = client.post(reverse("sr-transition", args=[sr.reference, "adhoc_answered"]),
                           {"version": reload(sr).version, "question_clock": str(question.pk),
                            "reply": "Our adviser Sam took the call."})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DeadlineClock.objects.get(pk=question.pk).met_on == date(2026, 11, 2)
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    timeline = page.split('id="timeline"', 1)[1]
    assert "Who took the call on 3 July?" in timeline and "Our adviser Sam took the call." in timeline
    assert str(question) not in page and "Received on: 2 Nov 2026" in timeline


def test_a_northern_ireland_clients_fig_letter_names_nicms(travel, ice_team, ice_caseworker, ice_leader,
                                                           resolution_team):
    from accounts.models import Region
    from tests.factories import ClientFactory

    ni_client = ClientFactory(name="Aoife Byrne", case_number="9876543210", region=Region.NORTHERN_IRELAND)
    ice_sr = fail(allocated(ice_team, ice_leader, ice_caseworker, ni_client), ice_caseworker)
    letter = IssuedLetter.objects.get(sr=ice_sr, template_code="ICE-FIG-ACK")
    assert "Northern Ireland Child Maintenance Service" in letter.html and "Child Maintenance Group" not in letter.html
    # ICE's labels name neither CMG nor PHSO: the same for Northern Ireland.
    assert (ice_sr.status, ice_sr.sub_status, ice_sr.stage) == ("Closed", "Complete", "Closed")
