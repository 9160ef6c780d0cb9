"""The gateway criteria: the six months across month ends, the MP's
clearance letter, both autopass reasons, the proposal and the override
that needs a reason — on the form and through the page."""

from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from complaints.models import ServiceRequest, SRLink
from ice.forms import FailGatewayForm, PassGatewayForm
from ice.gateway import check_gateway, six_months_after
from ice.models import IceDetails

from .helpers import MON_2_NOV_2026, closed_sr, go, new_ice, reload


def check(**given: Any):
    args = {"final_response_on": None, "contacted_ice_on": None, "mp_clearance_on": None,
            "referred_by_phso": False, "client_gave_copy": False}
    args.update(given)
    return check_gateway(**args)


@pytest.mark.parametrize(("final", "end"), [
    (date(2026, 8, 31), date(2027, 2, 28)),   # clipped to the end of a shorter month
    (date(2027, 8, 31), date(2028, 2, 29)),   # a leap year's February
    (date(2026, 3, 31), date(2026, 9, 30)),
    (date(2026, 1, 15), date(2026, 7, 15)),
])
def test_six_months_are_calendar_months_clipped_to_the_month_end(final, end):
    assert six_months_after(final) == end


def test_contact_on_the_last_day_of_the_six_months_is_in_time_and_the_next_day_is_not():
    on_time = check(final_response_on=date(2026, 8, 31), contacted_ice_on=date(2027, 2, 28))
    late = check(final_response_on=date(2026, 8, 31), contacted_ice_on=date(2027, 3, 1))
    assert on_time.passes and on_time.proposal == "pass"
    assert "Six months met" in on_time.summary and "Sun 28 Feb 2027" in on_time.summary
    assert not late.passes and late.proposal == "fail"
    assert "Six months not met" in late.summary and "ended Sun 28 Feb 2027" in late.summary


def test_no_final_response_fails_unless_an_mp_clearance_letter_is_within_six_months():
    assert not check(contacted_ice_on=date(2026, 10, 1)).passes
    assert check(mp_clearance_on=date(2026, 4, 30), contacted_ice_on=date(2026, 10, 30)).passes
    assert not check(mp_clearance_on=date(2026, 4, 30), contacted_ice_on=date(2026, 10, 31)).passes


@pytest.mark.parametrize("reason", ["referred_by_phso", "client_gave_copy"])
def test_either_autopass_reason_passes_whatever_the_dates(reason):
    result = check(final_response_on=date(2025, 1, 1), contacted_ice_on=date(2026, 10, 1), **{reason: True})
    assert result.passes and result.autopass and result.summary.startswith("Autopass")


def form_data(sr: ServiceRequest, **extra: Any):
    data = {"version": sr.version, "ice_reference": "ICE/2026/77"}
    data.update(extra)
    return data


def day(prefix: str, d: date) -> dict[str, str]:
    return {f"{prefix}_day": str(d.day), f"{prefix}_month": str(d.month), f"{prefix}_year": str(d.year)}


@pytest.mark.django_db
def test_passing_against_the_criteria_needs_a_reason(ice_team, ice_caseworker, ice_leader, review_team,
                                                     client_person):
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        final = closed_sr(route="review", team=review_team, client=client_person, closed_on=date(2026, 3, 31))
        sr = go(new_ice(actor=ice_leader, team=ice_team, client=client_person), ice_leader, "allocate",
                owner=ice_caseworker)
        late = form_data(sr, final_response_sr=str(final.pk), **day("contacted_ice_on", date(2026, 10, 1)))
        form = PassGatewayForm(late, sr=sr, user=ice_caseworker)
        assert not form.is_valid()
        assert form.errors["override_reason"][0].startswith("The criteria say the gateway is failed: Six months not met")
        form = PassGatewayForm({**late, "override_reason": "ICE's e-mail shows the client wrote in September."},
                               sr=sr, user=ice_caseworker)
        assert form.is_valid(), form.errors
        data = form.transition_data()
        assert data["gateway_proposal"] == "fail" and data["third_party_account"] == "ICE"
        # The final response's date is the date its SR closed unless typed.
        assert data["final_response_on"] == date(2026, 3, 31)
        # Failing when the criteria are met needs a reason too.
        in_time = form_data(sr, final_response_sr=str(final.pk), **day("contacted_ice_on", date(2026, 9, 30)),
                            **day("fig_received_on", date(2026, 11, 2)))
        fail = FailGatewayForm(in_time, sr=sr, user=ice_caseworker)
        assert not fail.is_valid() and "The criteria say the gateway is passed" in fail.errors["override_reason"][0]


@pytest.mark.django_db
def test_the_page_refuses_a_gateway_decision_without_its_reason_and_changes_nothing(
        client, ice_team, ice_caseworker, ice_leader, client_person):
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        sr = go(new_ice(actor=ice_leader, team=ice_team, client=client_person), ice_leader, "allocate",
                owner=ice_caseworker)
        client.force_login(ice_caseworker)
        url = reverse("sr-transition", args=[sr.reference, "pass_gateway"])
        response = client.post(url, form_data(sr, **day("contacted_ice_on", date(2026, 10, 1))))
        assert response.status_code == 400
        page = response.content.decode()
        assert "There is a problem" in page and "The criteria say the gateway is failed" in page
        assert reload(sr).state == "gateway_check" and reload(sr).gateway_passed is None
        assert not IceDetails.objects.filter(sr=sr).exists()


@pytest.mark.django_db
def test_autopass_through_the_page_links_the_final_response_and_sets_the_third_party_account(
        client, ice_team, ice_caseworker, ice_leader, review_team, resolution_team, client_person):
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        final = closed_sr(route="review", team=review_team, client=client_person, closed_on=date(2025, 1, 10))
        earlier = closed_sr(route="resolution", team=resolution_team, client=client_person,
                            closed_on=date(2024, 12, 1))
        sr = go(new_ice(actor=ice_leader, team=ice_team, client=client_person), ice_leader, "allocate",
                owner=ice_caseworker)
        client.force_login(ice_caseworker)
        url = reverse("sr-transition", args=[sr.reference, "pass_gateway"])
        response = client.post(url, form_data(sr, final_response_sr=str(final.pk), referred_by_phso="on",
                                              related_srs=[str(earlier.pk)],
                                              **day("contacted_ice_on", date(2026, 10, 1))))
        assert response.status_code == 302, response.content.decode()
        sr = reload(sr)
        assert sr.state == "with_ice" and sr.gateway_passed is True and sr.dg_caselist
        assert (sr.status, sr.sub_status, sr.stage) == ("Wait", "With ICE", "ICE Investigation")
        details = IceDetails.objects.get(sr=sr)
        assert details.third_party_account == "ICE" and details.referred_by_phso
        assert details.gateway_proposal == "pass" and details.ice_reference == "ICE/2026/77"
        linked = set(SRLink.objects.filter(from_sr=sr).values_list("to_sr_id", flat=True))
        assert linked == {final.pk, earlier.pk}
        page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
        assert "Autopass: the complaint was referred to ICE by the Ombudsman." in page
