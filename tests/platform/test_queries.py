"""List pages issue the same number of SQL queries for 5 rows and 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ClientFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    # Warm up: the first request after sign-in also writes the session.
    client.get(url, {"per_page": 100})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["my-work", "team-queue"])
def test_list_page_query_count_is_constant(client, page, caseworker, team_leader, resolution_team):
    owner = caseworker if page == "my-work" else None
    viewer = caseworker if page == "my-work" else team_leader

    def make(n: int) -> None:
        for _ in range(n):
            ServiceRequestFactory(team=resolution_team, owner=owner, client=ClientFactory(),
                                  state="in_progress" if owner else "pending_assignment")

    client.force_login(viewer)
    make(5)
    five = _count(client, reverse(page))
    make(45)
    fifty = _count(client, reverse(page))
    assert five == fifty
    assert fifty <= 12


def test_my_work_never_counts_the_whole_table(client, caseworker, resolution_team):
    for _ in range(3):
        ServiceRequestFactory(team=resolution_team, owner=caseworker, state="in_progress")
    client.force_login(caseworker)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("my-work"))
    # The only COUNT is the badge's, over the user's open tasks.
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert all('FROM "sla_task"' in sql for sql in counts), counts
