"""The MI export: every stage of ICE, PHSO and parliamentary-contact SRs,
from the audit trail, checked against working days counted by hand."""

import csv
import io
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from complaints.services.cases import create_service_request
from sla import mi
from tests.factories import TeamFactory

from .helpers import LONDON, go, new_phso, panel, to_pti, to_with_phso

pytestmark = pytest.mark.django_db


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)


@pytest.fixture
def history(travel, pat, hugh, phso_team, jane):
    """A PHSO SR through four stages (England and Wales calendar):
    Initial Response   Mon 2 Nov 2026 -> Mon 9 Nov:  5 working days
    Response To PTI    Mon 9 Nov      -> Tue 24 Nov: 11
    Response To SoC    Tue 24 Nov     -> Tue 22 Dec: 20
    Response To Report Tue 22 Dec     -> Tue 5 Jan 2027 (withdrawn): 7 —
    25 Dec, 28 Dec (Boxing Day's substitute) and 1 Jan are bank holidays."""
    sr = new_phso(actor=pat, team=phso_team, client=jane)
    sr = to_with_phso(sr, pat)
    travel.move_to(at(date(2026, 11, 9)))
    sr = go(sr, pat, "pti_received", received_on=date(2026, 11, 9), addressee="", root_cause="",
            parliamentary_contact="A. Member MP", details="Details.", earlier=[])
    travel.move_to(at(date(2026, 11, 13)))
    sr = panel(sr, pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="Response.")
    sr = go(sr, hugh, "sign_off_pti", note="")
    travel.move_to(at(date(2026, 11, 24)))
    sr = go(sr, pat, "soc_received", received_on=date(2026, 11, 24), target_date=date(2027, 3, 1), note="")
    sr = go(sr, pat, "soc_response_sent", note="")
    travel.move_to(at(date(2026, 12, 22)))
    sr = go(sr, pat, "draft_report_received", received_on=date(2026, 12, 22), note="")
    travel.move_to(at(date(2027, 1, 5)))
    sr = go(sr, pat, "withdraw", note="Withdrawn through the MP.")
    return sr


def rows(user: User, **kw: Any):
    return list(mi.stage_rows(mi.mi_service_requests(user), user, **kw))


def test_stages_and_working_days_match_the_hand_count(history, tina):
    got = [(r.stage, r.entered, r.left, r.working_days) for r in rows(tina)]
    assert got == [
        ("Initial Response", date(2026, 11, 2), date(2026, 11, 9), 5),
        ("Response To PTI", date(2026, 11, 9), date(2026, 11, 24), 11),
        ("Response To SoC", date(2026, 11, 24), date(2026, 12, 22), 20),
        ("Response To Report", date(2026, 12, 22), date(2027, 1, 5), 7),
    ]


def test_aggregated_by_month_and_team(history, tina):
    figures = mi.by_month_and_team(rows(tina))
    got = [(f.month_name, f.team, f.route, f.stage, f.completed, f.working_days) for f in figures]
    assert got == [
        ("November 2026", "Internal PHSO team", "PHSO", "Initial Response", 1, 5),
        ("November 2026", "Internal PHSO team", "PHSO", "Response To PTI", 1, 11),
        ("December 2026", "Internal PHSO team", "PHSO", "Response To SoC", 1, 20),
        ("January 2027", "Internal PHSO team", "PHSO", "Response To Report", 1, 7),
    ]


def test_a_stage_still_open_counts_working_days_to_today(travel, pat, phso_team, jane, tina):
    sr = to_pti(new_phso(actor=pat, team=phso_team, client=jane), pat)
    travel.move_to(at(date(2026, 11, 6)))
    [first, second] = rows(tina)
    assert (second.stage, second.left, second.working_days) == ("Response To PTI", None, 4)
    assert mi.by_month_and_team([first, second])[0].completed == 1  # only the stage that was left
    assert sr.reference == first.reference


def test_date_range_cuts_stages_and_months(history, tina):
    start, end = date(2026, 12, 1), date(2026, 12, 31)
    got = [r.stage for r in rows(tina, start=start, end=end)]
    assert got == ["Response To SoC", "Response To Report"]
    figures = mi.by_month_and_team(rows(tina, start=start, end=end), start=start, end=end)
    assert [(f.stage, f.working_days) for f in figures] == [("Response To SoC", 20)]


def test_parliamentary_contact_srs_of_any_route_are_included_and_others_are_not(travel, pat, tina, jane):
    review = TeamFactory(name="Complaints review team", route="review")
    tina.memberships.create(team=review)
    with_mp = create_service_request(actor=pat, client=jane, route="review", team=review,
                                     received_on=date(2026, 11, 2), referrer="mp", parliamentary_contact="A. MP",
                                     details="x")
    create_service_request(actor=pat, client=jane, route="review", team=review, received_on=date(2026, 11, 2),
                           referrer="client", details="y")
    refs = {r.reference for r in rows(tina)}
    assert refs == {with_mp.reference}


def test_page_and_csv_for_team_leaders_and_managers_only(history, client, tina, mona_p, pat):
    client.force_login(pat)
    assert client.get(reverse("sla:mi")).status_code == 403
    client.force_login(mona_p)
    page = client.get(reverse("sla:mi"), {"kind": "phso"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Response To SoC" in html and "November 2026" in html
    client.force_login(tina)
    response = client.get(reverse("sla:mi"), {"export": "csv", "kind": "phso"})
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert lines[0] == mi.SR_CSV_HEADER
    assert lines[1][5:] == ["Initial Response", "2 Nov 2026", "9 Nov 2026", "5"]
    summary = client.get(reverse("sla:mi"), {"export": "summary"})
    sums = list(csv.reader(io.StringIO(b"".join(summary.streaming_content).decode())))
    assert sums[1] == ["November 2026", "Internal PHSO team", "PHSO", "Initial Response", "1", "5", "5.0", "5"]


def test_bad_dates_get_a_message_not_an_error(history, client, tina):
    client.force_login(tina)
    page = client.get(reverse("sla:mi"), {"start_day": "31", "start_month": "2", "start_year": "2026",
                                          "end_day": "1", "end_month": "1", "end_year": "2026"})
    assert page.status_code == 200
    assert "must be a real date" in page.content.decode()


def test_constant_query_count(travel, pat, phso_team, jane, client, tina):
    def count() -> int:
        client.force_login(tina)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("sla:mi")).status_code == 200
        return len(queries)

    to_pti(new_phso(actor=pat, team=phso_team, client=jane), pat)
    one = count()
    for _ in range(4):
        to_pti(new_phso(actor=pat, team=phso_team, client=jane), pat)
    travel.shift(timedelta(days=1))
    assert count() == one
