"""Every main page passes axe-core with no violations (UI.md)."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from accounts.roles import Role
from sla.models import TaskKind
from tests.platform.helpers import allocate, new_sr
from tests.sla.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"


def violations(page: Any) -> list[str]:
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


def test_letter_admin_pages_and_letter_previews_have_no_axe_violations(axe_page, caseworker, review_team):
    """The admin pages a letter admin works in (the letter library, a
    template with its parts, paragraphs) and the HTML letter previews, for
    admins and for caseworkers. Letters go to clients who may use screen
    readers; the admin pages are the letter admins' daily work."""
    from letters.models import LetterTemplate, Paragraph
    from tests.factories import ServiceRequestFactory, UserFactory

    UserFactory(username="lena", first_name="Lena", last_name="Letters", roles=[Role.LETTER_ADMIN], is_staff=True)
    template = LetterTemplate.objects.get(code="CMSL5807")
    english = Paragraph.objects.get(code="TM_09172")
    page = axe_page
    page.goto("/accounts/login/")
    page.fill("#id_username", "lena")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/admin/letters/")
    found = {}
    for url in ["/admin/letters/", "/admin/letters/lettertemplate/",
                f"/admin/letters/lettertemplate/{template.pk}/change/",
                f"/admin/letters/lettertemplate/{template.pk}/preview/",
                f"/admin/letters/lettertemplate/{template.pk}/preview/?language=cy",
                "/admin/letters/paragraph/", f"/admin/letters/paragraph/{english.pk}/change/",
                f"/admin/letters/paragraph/{english.welsh.pk}/change/", "/admin/letters/paragraph/add/"]:
        page.goto(url)
        found[url] = violations(page)
    assert {url: v for url, v in found.items() if v} == {}, "\n".join(f"{url}: {v}" for url, v in found.items() if v)

    # A caseworker's preview of the letter they are writing.
    sr = ServiceRequestFactory(route="review", team=review_team, owner=caseworker, state="awaiting_client_reply")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", caseworker.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-user]")
    page.goto(f"/letters/sr/{sr.reference}/send/?template=CMSL5800")
    page.fill("#id_letter-text_update", "We have corrected the date your payments were recorded.")
    with page.expect_popup() as popup_info:
        page.click("button:has-text('Preview letter')")
    preview = popup_info.value
    preview.wait_for_load_state()
    assert violations(preview) == []


def test_ice_pages_have_no_axe_violations(axe_page, review_team, client_person):
    """The ICE team's queue, an ICE case page with its ICE tab, and the
    gateway form with its errors showing."""
    from datetime import date

    from tests.factories import TeamFactory, UserFactory
    from tests.ice.helpers import closed_sr, gateway_data, go

    page = axe_page
    ice_team = TeamFactory(name="Internal ICE team", route="ice")
    ian = UserFactory(username="ian", first_name="Ian", last_name="Examiner", roles=[Role.CASEWORKER],
                      teams=[ice_team])
    tina = UserFactory(username="tina", first_name="Tina", last_name="Leader", roles=[Role.TEAM_LEADER],
                       teams=[ice_team])
    closed_sr(route="review", team=review_team, client=client_person, closed_on=date(2026, 9, 15))
    checking = allocate(new_sr(actor=ian, team=ice_team, client=client_person, route="ice", referrer="ice"),
                        tl=tina, owner=ian)
    waiting = go(allocate(new_sr(actor=ian, team=ice_team, client=client_person, route="ice", referrer="ice"),
                          tl=tina, owner=ian), ian, "pass_gateway", **gateway_data(client_gave_copy=True))
    page.goto("/accounts/login/")
    page.fill("#id_username", ian.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-user]")
    for url in ["/ice/", f"/sr/{waiting.reference}/", f"/sr/{checking.reference}/do/pass_gateway/",
                f"/sr/{checking.reference}/do/fail_gateway/", f"/sr/{waiting.reference}/do/adhoc_question/",
                f"/sr/{waiting.reference}/do/resolution_plan_received/"]:
        page.goto(url)
        assert violations(page) == [], url
    page.goto(f"/sr/{checking.reference}/do/pass_gateway/")
    page.click("form button.govuk-button:has-text('Gateway passed')")
    page.wait_for_selector(".govuk-error-summary")
    assert violations(page) == []
