"""Every grade on the approval ladder can decide what is referred to it,
end to end in a real browser: a team leader whose limit is below the
plan's redress refers it up (CMSF5551) to the next grade, and a holder of
that grade — a team leader for EO to SEO, a manager for G7 and above —
finds it on Approvals and approves it. (Managers lacked the approval
permission: plans referred to G7 and above could never be approved.)"""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Grade
from accounts.roles import Role
from complaints.models import PlanApproval
from complaints.plans.services import current_plan
from tests.browser.actions import choose_action
from tests.factories import UserFactory
from tests.review.helpers import add_plan, closed_resolution_sr, go, new_review, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# rung -> (the grade below it, which refers; the decider's role)
LADDER = {
    "EO": ("AO", Role.TEAM_LEADER),
    "HEO": ("EO", Role.TEAM_LEADER),
    "SEO": ("HEO", Role.TEAM_LEADER),
    "G7": ("SEO", Role.MANAGER),
    "G6": ("G7", Role.TEAM_LEADER),  # a team leader of a senior grade refers too
    "SCS1": ("G6", Role.MANAGER),
}


def test_the_ladder_covers_every_grade_that_may_approve():
    approving = set(Grade.objects.filter(approval_limit__gt=0).values_list("code", flat=True))
    assert approving == set(LADDER)


def act(page: Any, label: str) -> None:
    choose_action(page, label)
    page.wait_for_selector("h1.govuk-heading-l")


def submit(page: Any, label: str) -> None:
    page.click(f"form button.govuk-button:has-text('{label}')")
    page.wait_for_selector(".govuk-notification-banner--success")


def sign_out(page: Any) -> None:
    page.click("button:has-text('Sign out')")
    page.wait_for_url("**/accounts/login/**")


@pytest.mark.parametrize("rung", list(LADDER))
def test_each_grade_decides_what_is_referred_to_it(page, sign_in, rung, caseworker, review_team,
                                                  resolution_team, client_person):
    below, role = LADDER[rung]
    grade, lower = Grade.objects.get(code=rung), Grade.objects.get(code=below)
    referrer = UserFactory(username=f"ref-{below.lower()}", first_name="Rita", last_name=f"Referrer {below}",
                           roles=[Role.TEAM_LEADER], teams=[review_team], grade=lower)
    decider = UserFactory(username=f"dec-{rung.lower()}", first_name="Dev", last_name=f"Decider {rung}",
                          roles=[role], teams=[review_team], grade=grade)
    # Just above what the grade below may approve, within this grade's limit.
    amount = lower.approval_limit + Decimal("50.00")
    assert amount <= grade.approval_limit
    today = timezone.localdate()
    resolution = closed_resolution_sr(team=resolution_team, client=client_person, closed_on=today - timedelta(days=40))
    sr = go(new_review(actor=caseworker, team=review_team, client=client_person, related=resolution),
            referrer, "allocate", owner=caseworker)
    sr = go(sr, caseworker, "start_plan")
    add_plan(sr, caseworker, redress=str(amount))
    sr = go(sr, caseworker, "submit_for_approval")
    case = f"/sr/{sr.reference}/"

    # The team leader of the grade below cannot approve it: they refer it up.
    sign_in(referrer)
    page.goto(case)
    act(page, "Refer to a higher grade (CMSF5551)")
    page.select_option("#id_grade", label=str(grade))
    page.check("#id_form_sent")
    submit(page, "Refer to a higher grade (CMSF5551)")
    assert reload(sr).state == "pending_senior_approval"
    sign_out(page)

    # The holder of the grade finds it on Approvals and approves it.
    sign_in(decider)
    page.click(".govuk-service-navigation__link:has-text('Approvals')")
    page.click(f"a:has-text('{sr.reference}')")
    act(page, "Approve the plan")
    assert page.input_value("#id_amount") == f"{amount:.2f}"
    page.fill("#id_comments", f"Approved at {rung}.")
    submit(page, "Approve the plan")
    assert "Approved" in page.inner_text(".moj-identity-bar")

    sr = reload(sr)
    approval = PlanApproval.objects.get(plan=current_plan(sr), decision="approved")
    assert (approval.decided_by, approval.amount, sr.lock_assignment) == (decider, amount, False)
