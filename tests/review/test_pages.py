"""The Review route's transition pages: each asks only for what its step
needs, says what happens next, and composes the letter the step requires."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from complaints.models import ServiceRequest
from letters.models import IssuedLetter

from .helpers import add_plan, go, reload

pytestmark = pytest.mark.django_db


def page_for(client: Any, sr: ServiceRequest, name: str) -> str:
    r = client.get(reverse("sr-transition", args=[sr.reference, name]))
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_no_further_action_page_composes_cmsl5800_and_explains_the_wait(client, review, caseworker):
    client.force_login(caseworker)
    page = page_for(client, review, "no_further_action")
    assert "7 days" in page and "CMSL5800" in page and "An update" in page
    r = client.post(reverse("sr-transition", args=[review.reference, "no_further_action"]), {
        "version": review.version, "letter-language": "en",
        "letter-text_update": "We checked the payment record again.",
    })
    assert r.status_code == 302, r.content.decode()[:3000]
    sr = reload(review)
    assert sr.state == "awaiting_client_reply"
    letter = IssuedLetter.objects.get(sr=sr)
    assert letter.template_code == "CMSL5800" and "We checked the payment record again." in letter.html


def test_a_letter_without_its_text_is_refused_and_nothing_changes(client, review, caseworker):
    client.force_login(caseworker)
    r = client.post(reverse("sr-transition", args=[review.reference, "no_further_action"]), {
        "version": review.version, "letter-language": "en", "letter-text_update": "",
    })
    assert r.status_code == 400 and "There is a problem" in r.content.decode()
    assert reload(review).state == "in_progress" and not IssuedLetter.objects.filter(sr=review).exists()


def test_enquiry_page_asks_for_the_enquiry_and_the_feedback(client, review, caseworker):
    client.force_login(caseworker)
    page = page_for(client, review, "close_enquiry")
    assert "No Action Taken" in page and "operational team leader" in page
    r = client.post(reverse("sr-transition", args=[review.reference, "close_enquiry"]),
                    {"version": review.version, "note": "Asked about dates."})
    assert r.status_code == 400 and "Give feedback to the operational team leader first" in r.content.decode()


def test_refer_page_offers_only_grades_that_cover_the_total(client, review, caseworker, team_leader):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="4000.00")
    sr = go(sr, caseworker, "submit_for_approval")
    client.force_login(team_leader)
    page = page_for(client, sr, "refer_plan")
    assert "CMSF5551" in page and "Grade 7 (G7)" in page and "Higher Executive Officer" not in page
    # Approving above the limit is not offered, and a forced post is refused.
    r = client.post(reverse("sr-transition", args=[sr.reference, "approve_plan"]),
                    {"version": sr.version, "amount": "4000.00"})
    assert r.status_code == 403


def test_go_ahead_page_is_the_team_leaders_and_composes_cmsl5803(client, review, caseworker, team_leader):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="20.00")
    sr = go(sr, caseworker, "submit_for_approval")
    sr = go(sr, team_leader, "approve_plan", amount=Decimal("20.00"))
    sr = go(sr, caseworker, "send_plan_to_client")
    sr = go(sr, caseworker, "client_disagrees", note="Wants more.")
    client.force_login(caseworker)
    assert client.get(reverse("sr-transition", args=[sr.reference, "go_ahead"])).status_code == 403
    client.force_login(team_leader)
    page = page_for(client, sr, "go_ahead")
    assert "CMSL5803" in page and "Sub Status Approved" in page


def test_the_case_page_lists_only_allowed_steps(client, review, caseworker):
    client.force_login(caseworker)
    page = client.get(reverse("case-detail", args=[review.reference])).content.decode()
    assert "No further action: send CMSL5800" in page
    assert "Close: outside the 6-month limit" not in page
    assert "Approve the plan" not in page
