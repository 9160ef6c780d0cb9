"""The ICE team's queue: the ICE stage, working days with ICE, the next
deadline with the ad-hoc questions counted, the client's other SRs, and a
query count that does not grow with the page."""

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .helpers import LONDON, closed_sr, gateway_data, go, new_ice

pytestmark = pytest.mark.django_db


def passed(ice_team: Any, ice_leader: Any, ice_caseworker: Any, client: Any):
    sr = go(new_ice(actor=ice_leader, team=ice_team, client=client), ice_leader, "allocate", owner=ice_caseworker)
    return go(sr, ice_caseworker, "pass_gateway", **gateway_data(client_gave_copy=True))


def test_the_queue_shows_stage_days_with_ice_next_clock_and_the_clients_other_srs(
        client, ice_team, ice_caseworker, ice_leader, review_team, client_person):
    earlier = closed_sr(route="review", team=review_team, client=client_person, closed_on=date(2026, 9, 15))
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False):
        sr = passed(ice_team, ice_leader, ice_caseworker, client_person)
        for question, due in (("Who took the call?", date(2026, 11, 20)), ("When was it paid?", date(2026, 11, 18))):
            go(sr, ice_caseworker, "adhoc_question", question=question, received_on=date(2026, 11, 2),
               reply_due_on=due, note="")
    # With ICE since Mon 2 Nov; on Mon 9 Nov ICE sends a resolution plan.
    with time_machine.travel(datetime(2026, 11, 9, 9, 0, tzinfo=LONDON), tick=False):
        go(sr, ice_caseworker, "resolution_plan_received", received_on=date(2026, 11, 9), note="")
    with time_machine.travel(datetime(2026, 11, 12, 9, 0, tzinfo=LONDON), tick=False):
        client.force_login(ice_caseworker)
        page = client.get(reverse("ice:queue")).content.decode()
    row = page.split(sr.reference, 1)[1].split("</tr>", 1)[0]
    assert "Resolution" in row  # the ICE stage
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">5</td>' in row  # 2 → 9 Nov
    assert "Wed 18 Nov 2026" in row  # a question, due before the reply (Mon 23 Nov)
    assert "2 ad-hoc questions, the earliest due Wed 18 Nov 2026" in row
    assert earlier.reference in row and "Review" in row
    assert 'href="/ice/"' in page  # "ICE cases" in the navigation


def test_the_queue_costs_the_same_queries_for_one_sr_or_many(client, ice_team, ice_caseworker, ice_leader,
                                                            client_person):
    with time_machine.travel(datetime(2026, 11, 2, 9, 0, tzinfo=LONDON), tick=False):
        passed(ice_team, ice_leader, ice_caseworker, client_person)
        client.force_login(ice_caseworker)
        with CaptureQueriesContext(connection) as one:
            assert client.get(reverse("ice:queue")).status_code == 200
        for _ in range(4):
            passed(ice_team, ice_leader, ice_caseworker, client_person)
        with CaptureQueriesContext(connection) as five:
            assert client.get(reverse("ice:queue")).status_code == 200
    # The session's own bookkeeping (refreshed now and then) is not the page's.
    assert page_queries(five) == page_queries(one)


def page_queries(captured: CaptureQueriesContext) -> int:
    return sum(1 for q in captured.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"])


def test_only_the_ice_team_has_the_queue(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("ice:queue")).status_code == 403
    assert 'href="/ice/"' not in client.get(reverse("my-work")).content.decode()
