"""bench.pages divides My work's time by a hand-written renderer that must
produce the product's bytes (bench/handwritten.py). Here on a small world,
so a change to My work's markup that the renderer does not follow fails in
CI rather than at the next bench run."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client

from accounts.roles import Role
from bench import handwritten
from sla.models import TaskKind
from sla.services import start_clock
from tests.factories import ClientFactory, ServiceRequestFactory, TeamFactory, UserFactory
from tests.sla.factories import TaskFactory


@pytest.mark.django_db(transaction=True)  # the renderer reads through a connection of its own
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the renderer replays statements through psycopg")
def test_the_hand_written_my_work_is_the_products_bytes() -> None:
    team = TeamFactory(name="Renderer team", route="resolution")
    user = UserFactory(username="rena", first_name="Rena", last_name="O'Renderer", roles=[Role.CASEWORKER],
                       teams=[team])
    for n, region in enumerate(["england-and-wales", "scotland", "northern-ireland"]):
        sr = ServiceRequestFactory(team=team, owner=user, state="in_progress", lock_assignment=n == 2,
                                   client=ClientFactory(name=f"Client <{n}> & Co", region=region),
                                   received_on=date(2026, 10, 20 + n))
        if n:  # one SR without a running deadline
            start_clock(sr=sr, rule_code="resolution.response", actor=user, now=sr.created_at,
                        started_on=sr.received_on)
        TaskFactory(sr=sr, assignee=user, kind=TaskKind.DUE_SOON if n else TaskKind.ACTION,
                    title=f"Step <{n}>", due_on=date(2026, 12, 1 + n))
    browser = Client()
    browser.force_login(user)
    url = "/my-work/?per_page=100"
    browser.get(url)
    page, statements = handwritten.capture(browser, url)
    raw = handwritten.raw_connection()
    try:
        renderer = handwritten.MyWork(raw, statements, page, url)
        assert handwritten.same_bytes(lambda: browser.get(url).content.decode(), renderer)
        assert "Client &lt;1&gt; &amp; Co" in renderer.render()
    finally:
        raw.close()
