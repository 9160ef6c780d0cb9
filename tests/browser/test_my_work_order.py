"""My work in a real browser lists the most urgent deadline first, and stays
in that order once the page's JavaScript has run: a client-side sortable
table used to re-sort the rows by their text, which put the overdue ones
last ("Overdue was due…" sorts after "due…")."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ServiceRequestFactory
from tests.sla.factories import DeadlineClockFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_my_work_shows_the_most_urgent_first_and_sorts_on_the_server(page, sign_in, caseworker, resolution_team):
    today = timezone.localdate()
    expected = []
    for days, name in [(-10, "Olive Overdue"), (3, "Sam Soon"), (20, "Larry Later")]:
        sr = ServiceRequestFactory(team=resolution_team, owner=caseworker, state="in_progress", client__name=name)
        DeadlineClockFactory(sr=sr, due_on=today + timedelta(days=days), started_on=today - timedelta(days=30))
        expected.append(sr.reference)
    ServiceRequestFactory(team=resolution_team, owner=caseworker, state="in_progress", client__name="Nina None")

    sign_in(caseworker)
    page.wait_for_selector("body[data-js-ready=true]")
    table = "table:has(th:has-text('Next deadline'))"
    rows = page.locator(f"{table} tbody tr td:first-child").all_inner_texts()
    assert rows[:3] == expected
    assert "Overdue" in page.locator(f"{table} tbody tr").first.inner_text()

    # The column headers sort the whole list on the server.
    page.click(f"{table} th a:has-text('Client')")
    page.wait_for_url("**/my-work/?sort=client*")
    page.wait_for_selector("body[data-js-ready=true]")
    clients = page.locator(f"{table} tbody tr td:nth-child(2)").all_inner_texts()
    assert clients == sorted(clients) == ["Larry Later", "Nina None", "Olive Overdue", "Sam Soon"]
