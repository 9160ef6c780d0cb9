"""A caseworker in a real browser: sign in, open an SR from My work, add a
note and run a transition."""

import pytest

from tests.browser.actions import choose_action, open_tab
from tests.platform.helpers import allocate, new_sr, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_opens_sr_adds_note_and_runs_transition(page, sign_in, caseworker, team_leader,
                                                           resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person),
                  tl=team_leader, owner=caseworker)
    sign_in(caseworker)
    assert page.url.endswith("/my-work/")
    assert page.inner_text("[data-testid=signed-in-user]") == "Cara Caseworker"

    page.click(f"a:has-text('{sr.reference}')")
    page.wait_for_url(f"**/sr/{sr.reference}/")
    assert "In Progress" in page.inner_text(".moj-identity-bar")

    open_tab(page, "notes")
    page.fill("#id_text", "Called the client: the payments will be checked this week.")
    page.click("button:has-text('Add note')")
    page.wait_for_selector(".govuk-notification-banner--success")
    open_tab(page, "notes")
    assert "Called the client: the payments will be checked this week." in page.inner_text("#notes")

    choose_action(page, "Start a resolution plan")
    page.wait_for_url(f"**/sr/{sr.reference}/do/start_plan/")
    page.click("form button.govuk-button:has-text('Start a resolution plan')")
    page.wait_for_selector(".govuk-notification-banner--success")
    assert "Draft Action Plan" in page.inner_text(".moj-identity-bar")
    assert reload(sr).state == "draft_action_plan"
