"""The DG caselist (UI.md "DG caselist, MI"): open high-profile SRs of the
manager's teams with their next deadline, filters and a CSV."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Region
from sla.services import extend_clock
from tests.factories import ClientFactory, ServiceRequestFactory, TeamFactory

from .conftest import at
from .factories import DeadlineClockFactory

pytestmark = pytest.mark.django_db

wed_13_jan_2027 = date(2027, 1, 13)


@pytest.fixture
def listed(team, cara):
    sr = ServiceRequestFactory(team=team, owner=cara, dg_caselist=True, route="phso", state="awaiting_pti",
                               parliamentary_contact="Jo Bloggs MP",
                               client=ClientFactory(name="=cmd|' /C calc'!A0", region=Region.ENGLAND_AND_WALES))
    DeadlineClockFactory(sr=sr, rule_code="phso.pti_response", started_on=date(2027, 1, 4),
                         due_on=date(2027, 1, 18))
    return sr


def test_managers_see_their_teams_open_caselist_srs_with_the_next_deadline(client, freeze, team, mona, cara,
                                                                           listed):
    freeze(wed_13_jan_2027)
    ServiceRequestFactory(team=team, dg_caselist=False, reference="SR-2026-NOT-LISTED")
    ServiceRequestFactory(team=TeamFactory(name="Not Mona's"), dg_caselist=True, reference="SR-2026-OTHER-TEAM")
    ServiceRequestFactory(team=team, dg_caselist=True, confidential=True, reference="SR-2026-CONFIDENTIAL")
    client.force_login(mona)
    page = client.get(reverse("sla:dg-caselist")).content.decode()
    assert listed.reference in page and "Jo Bloggs MP" in page
    assert "due Mon 18 Jan 2027 — 3 working days left" in page
    for hidden in ("SR-2026-NOT-LISTED", "SR-2026-OTHER-TEAM", "SR-2026-CONFIDENTIAL"):
        assert hidden not in page
    assert 'href="/deadlines/dg-caselist/"' in client.get(reverse("sla:dashboard")).content.decode()
    client.force_login(cara)
    assert client.get(reverse("sla:dg-caselist")).status_code == 403


def test_an_extension_shows_on_the_caselist_and_in_its_csv(client, freeze, team, tom, mona, listed):
    freeze(wed_13_jan_2027)
    extend_clock(sr=listed, rule_code="phso.pti_response", actor=tom, now=at(wed_13_jan_2027),
                 extended_to=date(2027, 2, 1), reason="PHSO agreed a later date")
    client.force_login(mona)
    assert "due Mon 1 Feb 2027" in client.get(reverse("sla:dg-caselist")).content.decode()
    response = client.get(reverse("sla:dg-caselist"), {"export": "csv", "route": "phso"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "SR" and rows[0][-1] == "Working days left (negative: overdue)"
    (row,) = rows[1:]
    assert row[0] == listed.reference and row[1].startswith("'=")  # kept as text, not a formula
    assert row[-2:] == ["1 Feb 2027", "13"]
    # A filter that matches nothing gives an empty list, not an error.
    assert len(list(csv.reader(io.StringIO(b"".join(client.get(
        reverse("sla:dg-caselist"), {"export": "csv", "route": "ice"}).streaming_content).decode())))) == 1


def test_the_caselist_issues_the_same_queries_for_5_rows_and_50(client, freeze, team, cara, mona):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        client.get(reverse("sla:dg-caselist"), {"per_page": 100})  # the first request also saves the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("sla:dg-caselist"), {"per_page": 100}).status_code == 200
        return len(ctx.captured_queries)

    def make(n: int) -> None:
        for i in range(n):
            sr = ServiceRequestFactory(team=team, owner=cara if i % 2 else None, dg_caselist=True)
            DeadlineClockFactory(sr=sr, started_on=date(2027, 1, 4))

    freeze(wed_13_jan_2027)
    client.force_login(mona)
    make(5)
    five = count()
    make(45)
    assert count() == five <= 12
