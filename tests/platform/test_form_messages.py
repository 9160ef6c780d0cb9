"""Forms refuse what they should not accept, with one clear GOV.UK message
per field (a 5000-character name gave two, an amount of -5 gave two, an
11-digit amount said "Enter the redress amount" although one was entered,
"choose a ICE team", a case number "ABC<script>" was accepted)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from complaints.models import ActionKind, Client, ServiceRequest
from complaints.plans.services import current_plan
from tests.platform.helpers import field_errors, intake_form
from tests.review.helpers import add_plan, go, reload

pytestmark = pytest.mark.django_db

TODAY = "2026-11-23 10:00:00+00:00"






@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize("number", ["ABC<script>", "12345", "1234567890123", "²²²²²²²²²²", "-123456789", "   "])
def test_case_number_has_a_format(client, caseworker, resolution_team, number):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, case_number=number))
    assert response.status_code == 400
    assert len(field_errors(response, "case_number")) == 1
    assert "correct format" in field_errors(response, "case_number")[0] or number.strip() == ""
    assert not Client.objects.exists() and not ServiceRequest.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_case_number_typed_with_spaces_is_stored_without(client, caseworker, resolution_team):
    client.force_login(caseworker)
    assert client.post(reverse("sr-new"), intake_form(resolution_team, case_number="5551 234 567")).status_code == 302
    assert Client.objects.get().case_number == "5551234567"


@time_machine.travel(TODAY, tick=False)
def test_an_overlong_name_gets_one_message(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, client_name="x" * 5000))
    assert field_errors(response, "client_name") == ["Client's full name must be 200 characters or fewer"]


@time_machine.travel(TODAY, tick=False)
def test_wrong_team_for_the_route_reads_well(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, route="ice"))
    assert field_errors(response, "team") == [
        "Complaints resolution team works the Resolution route: choose a team that works the ICE route"]


@time_machine.travel(TODAY, tick=False)
def test_no_django_default_messages_on_intake(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), {"team": "²", "route": "-5", "referrer": "٣", "region": "x"})
    body = response.content.decode()
    assert "This field is required" not in body and "Select a valid choice" not in body
    assert field_errors(response, "team") == ["Choose the team that will work it"] or \
        field_errors(response, "team") == ["Choose team from the list"]
    assert field_errors(response, "referrer") == ["Choose who raised it from the list"]
    assert all(len(messages) == 1 for messages in response.context["form"].errors.values())


@pytest.fixture
def drafting(review, caseworker):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    return reload(sr)


@pytest.mark.parametrize(("amount", "message"), [
    ("-5", "Enter an amount more than £0"),
    ("0", "Enter an amount more than £0"),
    ("12345678901", "Enter an amount of £99,999,999.99 or less"),
    ("100000000", "Enter an amount of £99,999,999.99 or less"),
    ("1.234", "Enter the amount in pounds and pence, like 125.50"),
    ("٣٠", "Enter the amount in pounds, like 125.50"),
    ("²", "Enter the amount in pounds, like 125.50"),
    ("NaN", "Enter the amount in pounds, like 125.50"),
    ("", "Enter the redress amount"),
])
def test_a_redress_amount_gets_one_message(client, drafting, caseworker, amount, message):
    client.force_login(caseworker)
    reason = current_plan(drafting).reasons.get()
    due = timezone.localdate() + timedelta(days=10)
    response = client.post(reverse("plan-action-add", args=[drafting.reference]), {
        "reason": reason.pk, "description": "Pay", "kind": ActionKind.FINANCIAL_REDRESS, "amount": amount,
        "due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year,
    })
    assert response.status_code == 400
    assert field_errors(response, "amount") == [message]
    assert current_plan(drafting).actions.count() == 1


def test_a_transition_posted_with_a_bad_version_is_refused(client, review, caseworker):
    client.force_login(caseworker)
    for version in ("٣", "²", "-1", "99999999999999999999", ""):
        response = client.post(reverse("sr-transition", args=[review.reference, "start_plan"]),
                               {"version": version})
        assert response.status_code == 400
        assert field_errors(response, "version") == ["The page was out of date. Reload it and try again"]
    assert reload(review).state == "in_progress"


def test_an_action_due_date_too_far_ahead_is_refused(client, drafting, caseworker):
    client.force_login(caseworker)
    reason = current_plan(drafting).reasons.get()
    response = client.post(reverse("plan-action-add", args=[drafting.reference]), {
        "reason": reason.pk, "description": "Pay", "kind": ActionKind.OTHER,
        "due_on_day": "1", "due_on_month": "1", "due_on_year": "2080",
    })
    assert field_errors(response, "due_on") == [
        "Due date agreed with the client must be the same as or before 31 December 2074"]
    assert date(2080, 1, 1) not in current_plan(drafting).actions.values_list("due_on", flat=True)
