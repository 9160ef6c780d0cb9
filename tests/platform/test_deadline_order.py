"""Lists sorted by next deadline put the most urgent first and SRs with no
running deadline last, on SQLite as on PostgreSQL (SQLite sorts NULLs
first, so on the embedded default they came above the overdue ones). The
test reads the rows the page shows, whatever holds the next deadline."""

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.tables import read
from tests.factories import ServiceRequestFactory
from tests.sla.factories import DeadlineClockFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def four_srs(caseworker, resolution_team):
    """Overdue, due soon, due later and no deadline, created in an order
    that matches none of the expected ones."""
    today = timezone.localdate()
    made = {}
    for label, days in [("none", None), ("later", 20), ("overdue", -10), ("soon", 3)]:
        sr = ServiceRequestFactory(team=resolution_team, owner=caseworker,
                                   state="in_progress", client__name=f"Order Test {label}", dg_caselist=True)
        if days is not None:
            DeadlineClockFactory(sr=sr, due_on=today + timedelta(days=days), started_on=today - timedelta(days=30))
        made[label] = sr.reference
    return made


def _rows(response: Any) -> list[str]:
    # My work's rows are values() rows, the other lists' model instances.
    return [read(row.record, "reference") for row in response.context["table"].paginated_rows]


def _expect(made: dict[str, str], *labels: str) -> list[str]:
    return [made[label] for label in labels]


@pytest.mark.parametrize("page", ["my-work", "search", "sla:dg-caselist"])
def test_most_urgent_first_and_no_deadline_last(client, team_leader, caseworker, four_srs, page):
    client.force_login(caseworker if page != "sla:dg-caselist" else team_leader)
    query = {"q": "Order Test"} if page == "search" else {}
    url = reverse(page)
    if page != "search":  # Search lists the newest first until a column is chosen
        assert _rows(client.get(url, query)) == _expect(four_srs, "overdue", "soon", "later", "none")
    assert _rows(client.get(url, {**query, "sort": "next_due_on"})) == _expect(
        four_srs, "overdue", "soon", "later", "none")
    # Latest first, and still no deadline last.
    assert _rows(client.get(url, {**query, "sort": "-next_due_on"})) == _expect(
        four_srs, "later", "soon", "overdue", "none")


def test_team_queue_most_urgent_first(client, team_leader, resolution_team):
    today = timezone.localdate()
    made = {}
    for label, days in [("none", None), ("later", 20), ("overdue", -10), ("soon", 3)]:
        sr = ServiceRequestFactory(team=resolution_team, state="pending_assignment")
        if days is not None:
            DeadlineClockFactory(sr=sr, due_on=today + timedelta(days=days), started_on=today - timedelta(days=30))
        made[label] = sr.reference
    client.force_login(team_leader)
    assert _rows(client.get(reverse("team-queue"))) == _expect(made, "overdue", "soon", "later", "none")
    assert _rows(client.get(reverse("team-queue"), {"sort": "-next_due_on"})) == _expect(
        made, "later", "soon", "overdue", "none")
