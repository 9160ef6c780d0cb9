"""The case page and intake say what is true of the SR: who has a new SR,
whether a letter may be sent, whether the route has a plan, whether the
gateway was decided."""

from typing import Any

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import Referrer
from tests.factories import TeamFactory, UserFactory

from .helpers import allocate, new_sr, reload

pytestmark = pytest.mark.django_db


def _intake(team: Any, route: str, **overrides: Any) -> dict:
    data = {
        "case_number": "5551234567", "client_name": "Morag Campbell", "address_line_1": "22 Byres Road",
        "town": "Glasgow", "postcode": "G12 8QQ", "region": "scotland", "language": "en", "route": route,
        "team": team.pk, "received_on_day": "2", "received_on_month": "11", "received_on_year": "2026",
        "referrer": "phso" if route == "phso" else "client", "details": "Payments missing from the statement.",
    }
    data.update(overrides)
    return data


def test_a_new_phso_sr_is_its_recorders_not_the_queues(client):
    team = TeamFactory(name="Internal PHSO team", route="phso")
    pat = UserFactory(username="pat", first_name="Pat", last_name="Lee", roles=[Role.CASEWORKER], teams=[team])
    client.force_login(pat)
    page = client.post(reverse("sr-new"), _intake(team, "phso"), follow=True).content.decode()
    assert "It is yours: it is on your My work." in page
    assert "waits in the team queue" not in page


def test_a_new_resolution_sr_waits_in_the_queue(client, caseworker, resolution_team):
    client.force_login(caseworker)
    page = client.post(reverse("sr-new"), _intake(resolution_team, "resolution"), follow=True).content.decode()
    assert "It waits in the team queue for allocation." in page


def test_send_a_letter_only_where_a_letter_may_be_sent(client, caseworker, team_leader, resolution_team,
                                                      client_person):
    client.force_login(caseworker)
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    sr = allocate(sr, tl=team_leader, owner=caseworker)
    # In progress: the acknowledgement may be sent again.
    assert "Send a letter" in client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    # Undertaking actions: no Resolution letter is allowed in that state.
    from complaints.models import ServiceRequest

    ServiceRequest.objects.filter(pk=sr.pk).update(state="undertaking_actions")
    assert "Send a letter" not in client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    # A team leader of the team may send letters; a manager may not.
    client.force_login(team_leader)
    ServiceRequest.objects.filter(pk=sr.pk).update(state="in_progress")
    assert "Send a letter" in client.get(reverse("case-detail", args=[reload(sr).reference])).content.decode()


def test_ice_case_page_has_no_gateway_answer_before_the_decision(client, other_team, client_person):
    ice_cw = UserFactory(username="ian", first_name="Ian", last_name="Murray", roles=[Role.CASEWORKER],
                         teams=[other_team])
    ice_tl = UserFactory(username="tess", first_name="Tess", last_name="Walker", roles=[Role.TEAM_LEADER],
                         teams=[other_team])
    sr = allocate(new_sr(actor=ice_cw, team=other_team, client=client_person, route="ice",
                         referrer=Referrer.ICE), tl=ice_tl, owner=ice_cw)
    client.force_login(ice_cw)
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    # ICE SRs use plans (implementing ICE's recommendations), so the tab is there.
    assert 'href="#plan"' in page
    assert "Gateway Passed" not in page
    client.post(reverse("sr-transition", args=[sr.reference, "pass_gateway"]),
                {"version": reload(sr).version, "ice_reference": "ICE-1", "client_gave_copy": "on"})
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    assert "Gateway Passed" in page and ">Y<" in page


def test_resolution_case_page_has_a_plan_tab(client, caseworker, resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    client.force_login(caseworker)
    assert 'href="#plan"' in client.get(reverse("case-detail", args=[sr.reference])).content.decode()

