"""New SR: validation in the GOV.UK error-summary pattern, the 14-month rule
with a team-leader override, references, and the audit trail."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from complaints.models import CaseEvent, Client, ServiceRequest
from tests.factories import ServiceRequestFactory
from tests.platform.helpers import intake_form

pytestmark = pytest.mark.django_db

mon_23_nov_2026 = date(2026, 11, 23)




@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_new_sr_is_recorded_with_reference_and_event(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team))
    sr = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/sr/{sr.reference}/")
    assert sr.reference == f"SR-2026-{sr.pk:06d}"
    assert (sr.state, sr.route, sr.client.region) == ("pending_assignment", "resolution", "scotland")
    assert CaseEvent.objects.filter(sr=sr, verb="created", actor=caseworker).exists()


def test_missing_fields_show_error_summary_and_change_nothing(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, client_name="", received_on_month="13",
                                                    details=""))
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body
    assert "Enter the client&#x27;s full name" in body or "Enter the client's full name" in body
    assert "Date received must be a real date" in body and "Describe the complaint" in body
    assert not ServiceRequest.objects.exists() and not Client.objects.exists()


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_fourteen_month_rule_and_team_leader_override(client, caseworker, team_leader, resolution_team):
    held = Client.objects.create(name="Peter Green", address_line_1="1 Road", town="Leeds", postcode="LS1 1AA",
                                 case_number="7770000001", case_closed_on=date(2025, 8, 31))
    earlier = ServiceRequestFactory(client=held, team=resolution_team)  # a complaint of theirs the team works
    client.force_login(caseworker)
    data = intake_form(resolution_team, case_number="7770000001", client_name="", address_line_1="", town="",
                 postcode="", region="")
    response = client.post(reverse("sr-new"), data)
    assert response.status_code == 400
    assert "had to be raised by 31 October 2026 (14 months)" in response.content.decode()
    # A caseworker cannot override: the form comes back with what they typed.
    response = client.post(reverse("sr-new"), {**data, "override_reason": "Client was in hospital"})
    body = response.content.decode()
    assert response.status_code == 400 and ServiceRequest.objects.count() == 1
    assert "Only a team leader can accept a complaint outside its time limit" in body
    assert "Client was in hospital" in body
    client.force_login(team_leader)
    response = client.post(reverse("sr-new"), {**data, "override_reason": "Client was in hospital"})
    sr = ServiceRequest.objects.exclude(pk=earlier.pk).get(client=held)
    assert sr.eligibility_override == "Client was in hospital"
    assert CaseEvent.objects.filter(sr=sr, verb="eligibility_overridden").exists()


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_mp_referral_has_no_time_limit(client, caseworker, resolution_team):
    Client.objects.create(name="Old Case", address_line_1="1 Road", town="Leeds", postcode="LS1 1AA",
                          case_number="7770000002", case_closed_on=date(2020, 1, 1))
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, case_number="7770000002", referrer="mp",
                                                    parliamentary_contact="A. Member MP"))
    assert response.status_code == 302


def test_team_must_work_the_route(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, route="review"))
    assert response.status_code == 400
    assert "works the Resolution route" in response.content.decode()


def test_future_received_date_refused(client, caseworker, resolution_team):
    client.force_login(caseworker)
    response = client.post(reverse("sr-new"), intake_form(resolution_team, received_on_year="2099"))
    assert response.status_code == 400 and "Date received must be today or in the past" in response.content.decode()


@time_machine.travel("2026-11-23 10:00:00+00:00", tick=False)
def test_typed_details_that_differ_from_the_held_client_are_a_question_not_a_swap(
        client, caseworker, resolution_team):
    """A case number on file used to attach the held client and silently
    drop the name and address typed. Now the user is asked which to use."""
    held = Client.objects.create(name="Morag Campbell", address_line_1="22 Byres Road", town="Glasgow",
                                 postcode="G12 8QQ", region="scotland", case_number="5551234567")
    ServiceRequestFactory(client=held, team=resolution_team)
    client.force_login(caseworker)
    moved = intake_form(resolution_team, address_line_1="3 Hyndland Street", postcode="G11 5QE")
    response = client.post(reverse("sr-new"), moved)
    body = response.content.decode()
    assert response.status_code == 400 and ServiceRequest.objects.count() == 1
    assert "We hold different details for this case number" in body
    assert "22 Byres Road" in body and 'value="3 Hyndland Street"' in body  # both, side by side
    # Keep what we hold: the typed address is left out, by choice.
    response = client.post(reverse("sr-new"), {**moved, "client_details": "held"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.address_line_1 == "22 Byres Road"
    # Or update what we hold with what was typed (the client moved).
    response = client.post(reverse("sr-new"), {**moved, "client_details": "typed"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert (held.address_line_1, held.postcode) == ("3 Hyndland Street", "G11 5QE")
    sr = ServiceRequest.objects.order_by("-pk").first()
    assert sr.client_id == held.pk
    event = CaseEvent.objects.get(sr=sr, verb="client_details_updated")
    assert event.details["address_line_1"] == "22 Byres Road → 3 Hyndland Street"
    # Nothing typed, or the same details typed again: no question.
    same = intake_form(resolution_team, address_line_1="3 hyndland street", postcode="g115qe")
    assert client.post(reverse("sr-new"), same).status_code == 302
    assert Client.objects.count() == 1
