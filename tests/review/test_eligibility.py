"""Seed 001 step 6: the 6-month check, the team leader's override, and the
failed-ICE-gateway hook on closing (step 31)."""

from datetime import date
from typing import Any

import pytest

from accounts.roles import Role
from complaints.models import CaseEvent, ResolutionCode, ServiceRequest, SRLink
from complaints.review_selectors import eligibility
from complaints.services.cases import create_service_request
from complaints.services.errors import NotPermitted
from letters.models import OutgoingEmail
from sla.models import DeadlineClock, Task
from tests.factories import ServiceRequestFactory, UserFactory

from .helpers import available, closed_resolution_sr, go, new_review, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_review(travel, caseworker, team_leader, review_team, resolution_team, client_person):
    """The Resolution SR closed on 1 May 2026: 6 months ran out on 1 November."""
    old = closed_resolution_sr(team=resolution_team, client=client_person, closed_on=date(2026, 5, 1))
    sr = new_review(actor=caseworker, team=review_team, client=client_person, related=old)
    return go(sr, team_leader, "allocate", owner=caseworker)


def test_within_six_months_is_eligible(review):
    assert eligibility(review)[0]


def test_six_months_is_clipped_to_month_end(travel, caseworker, review_team, resolution_team, client_person):
    # 31 August + 6 months = 28 February; a review asked for on 1 March is late.
    res = closed_resolution_sr(team=resolution_team, client=client_person, closed_on=date(2025, 8, 31))
    on_time = new_review(actor=caseworker, team=review_team, client=client_person, related=res,
                         received_on=date(2026, 2, 28))
    late = ServiceRequestFactory(route="review", team=review_team, client=client_person, received_on=date(2026, 3, 1))
    from complaints.models import SRLink

    SRLink.objects.create(from_sr=late, to_sr=res, reason="Same issue")
    assert eligibility(on_time)[0] and not eligibility(late)[0]


def test_out_of_time_review_closes_rejected(late_review, caseworker):
    ok, message, _, _ = eligibility(late_review)
    assert not ok and "1 November 2026" in message
    assert "start_plan" not in available(late_review, caseworker)
    sr = go(late_review, caseworker, "reject_out_of_time", note="Outside 6 months: back to the BAU team.")
    assert sr.state == "closed" and sr.resolution_code == ResolutionCode.REJECTED


def test_a_review_with_no_resolution_sr_is_not_eligible(travel, caseworker, team_leader, review_team, client_person):
    sr = go(new_review(actor=caseworker, team=review_team, client=client_person), team_leader, "allocate",
            owner=caseworker)
    assert "No closed Resolution SR" in eligibility(sr)[1]
    assert "reject_out_of_time" in available(sr, caseworker)


def test_team_leader_override_is_recorded_and_the_review_goes_on(late_review, caseworker, team_leader):
    assert "accept_late" not in available(late_review, caseworker)
    with pytest.raises(NotPermitted):
        go(late_review, caseworker, "accept_late", reason="Client was in hospital.")
    sr = go(late_review, team_leader, "accept_late", reason="Client was in hospital for three months.")
    assert sr.eligibility_override == "Client was in hospital for three months."
    event = CaseEvent.objects.filter(sr=sr, verb="eligibility_overridden").get()
    assert event.actor == team_leader and event.details["reason"].startswith("Client was in hospital")
    assert {"start_plan", "no_further_action"} <= available(sr, caseworker)
    assert "reject_out_of_time" not in available(sr, caseworker)


@pytest.fixture
def ice_people(other_team):
    return (UserFactory(username="ivy", first_name="Ivy", last_name="Ice", roles=[Role.CASEWORKER], teams=[other_team]),
            UserFactory(username="ted", first_name="Ted", last_name="Lead", roles=[Role.TEAM_LEADER],
                        teams=[other_team]))


def _fail_gateway(client: Any, ice_people: Any, other_team: Any) -> ServiceRequest:
    ice_caseworker, ice_leader = ice_people
    ice_sr = create_service_request(actor=ice_caseworker, client=client, route="ice", team=other_team,
                                    received_on=date(2026, 11, 2), referrer="ice", details="ICE's referral.")
    ice_sr = go(ice_sr, ice_leader, "allocate", owner=ice_caseworker)
    return go(ice_sr, ice_caseworker, "fail_gateway", fig_received_on=date(2026, 11, 2), letter={})


def _raised(ice_sr: ServiceRequest) -> ServiceRequest:
    return reload(SRLink.objects.get(from_sr=ice_sr, raised_by="ice:fail_gateway").to_sr)


def test_review_raised_from_failed_ice_gateway_notifies_ice_on_closing(travel, caseworker, team_leader, review_team,
                                                                        resolution_team, other_team, client_person,
                                                                        ice_people, mailoutbox):
    # The complaint was at resolution before: the failed gateway raises a Review.
    closed_resolution_sr(team=resolution_team, client=client_person, closed_on=date(2026, 9, 1))
    ice_sr = _fail_gateway(client_person, ice_people, other_team)
    sr = _raised(ice_sr)
    assert sr.route == "review" and sr.team == review_team and sr.details == "ICE's referral."
    task = Task.objects.get(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}")
    assert task.done_at is None
    assert DeadlineClock.objects.get(sr=sr, rule__code="ice.fig_resolution").is_running
    sr = go(sr, team_leader, "allocate", owner=caseworker)
    # Raised by ICE's referral: no Resolution SR needed.
    assert eligibility(sr)[0]
    sr = go(sr, caseworker, "close_enquiry", note="Only an enquiry after all.", feedback_given=True)
    task.refresh_from_db()
    assert task.done_at is not None
    assert DeadlineClock.objects.get(sr=sr, rule__code="ice.fig_resolution").met_on == date(2026, 11, 2)
    email = OutgoingEmail.objects.get(sr=ice_sr, subject__startswith="Complaint closed")
    assert email.mailbox == "ice" and sr.reference in email.body and "No Action Taken" in email.body
    assert CaseEvent.objects.filter(sr=ice_sr, verb="email_sent").exists()


def test_resolution_sr_raised_from_failed_ice_gateway_notifies_ice_on_closing(travel, caseworker, team_leader,
                                                                              resolution_team, other_team,
                                                                              client_person, ice_people):
    # Never at resolution: the failed gateway raises a Resolution SR.
    ice_sr = _fail_gateway(client_person, ice_people, other_team)
    sr = _raised(ice_sr)
    assert sr.route == "resolution" and sr.referrer == "ice"
    task = Task.objects.get(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}")
    sr = go(sr, team_leader, "allocate", owner=caseworker)
    sr = go(sr, caseworker, "close_no_action", letter={"free_text": {"what_we_have_done": "We checked it."}})
    assert sr.state == "closed"
    task.refresh_from_db()
    assert task.done_at is not None
    assert OutgoingEmail.objects.filter(sr=ice_sr, mailbox="ice", body__contains=sr.reference).exists()


def test_withdrawing_the_raised_sr_also_notifies_ice(travel, caseworker, team_leader, resolution_team, other_team,
                                                     client_person, ice_people):
    ice_sr = _fail_gateway(client_person, ice_people, other_team)
    sr = go(_raised(ice_sr), team_leader, "withdraw", note="The client withdrew by phone.")
    assert sr.resolution_code == ResolutionCode.WITHDRAWN
    assert Task.objects.get(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}").done_at is not None
    assert OutgoingEmail.objects.filter(sr=ice_sr, body__contains="Complaint Withdrawn").exists()
