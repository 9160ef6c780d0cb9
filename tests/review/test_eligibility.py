"""Seed 001 step 6: the 6-month check, the team leader's override, and the
failed-ICE-gateway hook on closing (step 31)."""

from datetime import date

import pytest

from complaints.models import CaseEvent, ResolutionCode
from complaints.review_selectors import eligibility
from complaints.services.cases import create_service_request
from complaints.services.errors import NotPermitted
from sla.models import DeadlineClock, Task
from sla.services import create_task, start_clock
from tests.factories import ServiceRequestFactory

from .helpers import MON_2_NOV_2026, available, closed_resolution_sr, go, new_review

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


def test_review_raised_from_failed_ice_gateway_notifies_ice_on_closing(travel, caseworker, team_leader,
                                                                        review_team, other_team, client_person):
    ice_sr = ServiceRequestFactory(route="ice", team=other_team, client=client_person, state="closed",
                                   gateway_passed=False, resolution_code=ResolutionCode.REJECTED,
                                   closed_at=MON_2_NOV_2026)
    task = create_task(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}", title="Notify ICE of complaint closure",
                       actor=team_leader, now=MON_2_NOV_2026)
    sr = new_review(actor=caseworker, team=review_team, client=client_person, related=ice_sr)
    start_clock(sr=sr, rule_code="ice.fig_resolution", actor=team_leader, now=MON_2_NOV_2026)
    sr = go(sr, team_leader, "allocate", owner=caseworker)
    # Raised by ICE's referral: no Resolution SR needed.
    assert eligibility(sr)[0]
    sr = go(sr, caseworker, "close_enquiry", note="Only an enquiry after all.", feedback_given=True)
    task.refresh_from_db()
    assert task.done_at is not None
    assert DeadlineClock.objects.get(sr=sr, rule__code="ice.fig_resolution").met_on == date(2026, 11, 2)
    assert CaseEvent.objects.filter(sr=ice_sr, verb="ice_notified_of_closure").exists()
    assert not Task.objects.filter(key=f"fig-notify:{ice_sr.pk}", done_at__isnull=True).exists()


def test_resolution_sr_raised_from_failed_ice_gateway_notifies_ice_on_closing(travel, caseworker, team_leader,
                                                                              resolution_team, other_team,
                                                                              client_person):
    ice_sr = ServiceRequestFactory(route="ice", team=other_team, client=client_person, state="closed",
                                   gateway_passed=False, resolution_code=ResolutionCode.REJECTED,
                                   closed_at=MON_2_NOV_2026)
    task = create_task(sr=ice_sr, key=f"fig-notify:{ice_sr.pk}", title="Notify ICE of complaint closure",
                       actor=team_leader, now=MON_2_NOV_2026)
    sr = create_service_request(actor=caseworker, client=client_person, route="resolution", team=resolution_team,
                                received_on=date(2026, 11, 2), referrer="ice", details="From ICE's referral.",
                                related_sr=ice_sr, related_reason="ICE gateway failed")
    sr = go(sr, team_leader, "allocate", owner=caseworker)
    sr = go(sr, caseworker, "close_no_action", letter={"free_text": {"what_we_have_done": "We checked it."}})
    assert sr.state == "closed"
    task.refresh_from_db()
    assert task.done_at is not None
    assert CaseEvent.objects.filter(sr=ice_sr, verb="ice_notified_of_closure",
                                    details__other=sr.reference).exists()
