"""Every main page passes axe-core with no violations (UI.md)."""

from pathlib import Path

import pytest
from django.conf import settings

from sla.models import TaskKind
from tests.platform.helpers import allocate, new_sr
from tests.sla.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"


def violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['html'][:120]})"
            for v in result["violations"]]


@pytest.fixture
def axe_page(_browser, live_server):
    # Our CSP forbids injected scripts; axe is injected by the test only.
    context = _browser.new_context(base_url=live_server.url, bypass_csp=True)
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


def test_main_pages_have_no_axe_violations(axe_page, caseworker, team_leader, resolution_team, client_person):
    page = axe_page
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    new_sr(actor=caseworker, team=resolution_team, client=client_person)
    # The tasks panel on My work, with an overdue alert in it.
    TaskFactory(sr=sr, assignee=team_leader, kind=TaskKind.OVERDUE_TL, title="Overdue: Response to the complaint")
    page.goto("/accounts/login/")
    assert violations(page) == []
    page.fill("#id_username", team_leader.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-user]")
    for url in ["/my-work/", "/team-queue/", f"/sr/{sr.reference}/", f"/sr/{sr.reference}/do/reallocate/",
                "/sr/new/", f"/search/?q={client_person.name}", "/deadlines/dashboard/",
                "/deadlines/list/?bucket=open", "/deadlines/dg-caselist/"]:
        page.goto(url)
        found = violations(page)
        assert found == [], f"{url}: {found}"
