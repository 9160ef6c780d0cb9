"""The Plan tab, the plan edit pages, the approval forms and the Approvals
tab pass axe-core (UI.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from complaints.plans.services import current_plan
from tests.browser.test_accessibility import axe_page, violations  # noqa: F401  (fixture)
from tests.review.helpers import add_plan, closed_resolution_sr, go, new_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ours(found: list[str]) -> list[str]:
    # Reported to the platform, not the Plan tab's: the phase banner outside a
    # landmark (base.html) and the case page having no <h1> (case_detail.html).
    return [v for v in found if "govuk-phase-banner" not in v and not v.startswith("page-has-heading-one")]


def test_plan_and_approval_pages_have_no_axe_violations(axe_page, caseworker, team_leader,  # noqa: F811
                                                         review_team, resolution_team, client_person):
    page = axe_page
    res = closed_resolution_sr(team=resolution_team, client=client_person,
                               closed_on=timezone.localdate() - timedelta(days=40))
    drafting = go(go(new_review(actor=caseworker, team=review_team, client=client_person, related=res),
                     team_leader, "allocate", owner=caseworker), caseworker, "start_plan")
    add_plan(drafting, caseworker, redress="4000.00")
    action = current_plan(drafting).actions.first()
    page.goto("/accounts/login/")
    page.fill("#id_username", caseworker.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-user]")
    ref = drafting.reference
    for url in [f"/sr/{ref}/#plan", f"/sr/{ref}/plan/actions/{action.pk}/edit/", f"/sr/{ref}/plan/actions/",
                f"/sr/{ref}/do/submit_for_approval/"]:
        page.goto(url)
        assert ours(violations(page)) == [], url
    go(drafting, caseworker, "submit_for_approval")
    page.click("button:has-text('Sign out')")
    page.fill("#id_username", team_leader.username)
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Sign in')")
    page.wait_for_selector("[data-testid=signed-in-user]")
    for url in ["/approvals/", f"/sr/{ref}/#plan", f"/sr/{ref}/do/refer_plan/", f"/sr/{ref}/do/reject_plan/"]:
        page.goto(url)
        assert ours(violations(page)) == [], url
