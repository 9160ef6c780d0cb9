from datetime import date

import pytest
import time_machine

from complaints.models import Route
from sla.models import DeadlineClock

from .helpers import MON_2_NOV_2026, closed_sr, gateway_data, go, new_ice

pytestmark = pytest.mark.django_db


def test_pass_then_resolution_reply(ice_team, ice_caseworker, ice_leader, review_team, client_person):
    with time_machine.travel(MON_2_NOV_2026, tick=False):
        final = closed_sr(route="review", team=review_team, client=client_person, closed_on=date(2026, 9, 15))
        sr = new_ice(actor=ice_leader, team=ice_team, client=client_person)
        sr = go(sr, ice_leader, "allocate", owner=ice_caseworker)
        sr = go(sr, ice_caseworker, "pass_gateway", **gateway_data(final, third_party_account="ICE",
                                                                     related_srs=[final]))
        assert sr.state == "with_ice" and sr.gateway_passed is True and sr.dg_caselist
        sr = go(sr, ice_caseworker, "resolution_plan_received", received_on=date(2026, 11, 2),
                chronology_requested=True, note="")
        clock = DeadlineClock.objects.get(sr=sr, rule__code="ice.resolution_reply")
        assert clock.due_on == date(2026, 11, 23)
        assert Route.ICE == sr.route
