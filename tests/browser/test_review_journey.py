"""A Review SR from allocation to closure in a real browser: a redress
plan, team leader approval, the client disagrees, the team leader goes
ahead, the actions are done and the SR closes Actions Complete – Client OK."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from complaints.models import ResolutionCode
from letters.models import IssuedLetter
from tests.browser.actions import act, add_plan_action, open_tab, sign_out, submit
from tests.review.helpers import closed_resolution_sr, new_review, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_plan_tab(page: Any) -> None:
    open_tab(page, "plan")


def test_review_journey(page, sign_in, caseworker, team_leader, review_team, resolution_team, client_person):
    today = timezone.localdate()
    resolution = closed_resolution_sr(team=resolution_team, client=client_person, closed_on=today - timedelta(days=40))
    sr = new_review(actor=caseworker, team=review_team, client=client_person, related=resolution)
    case = f"/sr/{sr.reference}/"
    due = today + timedelta(days=30)

    # The team leader allocates the review to Cara.
    sign_in(team_leader)
    page.goto(case)
    act(page, "Allocate")
    page.select_option("#id_owner", label="Cara Caseworker")
    submit(page, "Allocate")
    assert "In Progress" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Cara decides further action is needed and drafts a plan with redress.
    sign_in(caseworker)
    page.goto(case)
    act(page, "Further action: draft an action plan")
    submit(page, "Further action: draft an action plan")
    assert "Draft Action Plan" in page.inner_text(".moj-identity-bar")
    open_plan_tab(page)
    page.fill("#reason_grounds", "Payments recorded late")
    page.click("button:has-text('Add reason')")
    page.wait_for_selector(".govuk-notification-banner--success")
    for description, kind, amount in (("Correct the payment record", "other", None),
                                      ("Pay for the distress caused", "redress", "150.00")):
        add_plan_action(page, reason="Payments recorded late", description=description, kind=kind, due=due,
                        amount=amount)
    open_plan_tab(page)
    assert "£150.00" in page.inner_text("[data-testid=plan-total]")
    act(page, "Send the plan for TL approval")
    submit(page, "Send the plan for TL approval")
    assert "Pending TL Approval" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Tom finds it on his Approvals tab and approves it.
    sign_in(team_leader)
    page.click(".govuk-service-navigation__link:has-text('Approvals')")
    page.click(f"a:has-text('{sr.reference}')")
    act(page, "Approve the plan")
    assert page.input_value("#id_amount") == "150.00"
    page.fill("#id_comments", "Within the guidance for distress.")
    submit(page, "Approve the plan")
    assert "Approved" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Cara sends the plan (CMSL5801); the client disagrees.
    sign_in(caseworker)
    page.goto(case)
    act(page, "Send the plan to the client (CMSL5801)")
    page.fill("#id_letter-text_plan", "Your payments were recorded late; we will correct them and pay £150.")
    submit(page, "Send the plan to the client (CMSL5801)")
    assert "7-day wait" in page.inner_text(".govuk-notification-banner--success")
    act(page, "Client disagrees with the plan")
    page.fill("#id_note", "The client wants £500.")
    submit(page, "Client disagrees with the plan")
    assert "Pending TL Approval" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Tom goes ahead without the client's agreement (CMSL5803).
    sign_in(team_leader)
    page.goto(case)
    act(page, "Go ahead with the plan (CMSL5803)")
    page.fill("#id_comments", "£150 follows the guidance.")
    page.fill("#id_letter-text_update", "A senior team leader reviewed the plan with the reasons you gave.")
    submit(page, "Go ahead with the plan (CMSL5803)")
    assert "Undertake Actions Prescribed" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Cara does the actions and closes with the client's agreement (CMSL5806).
    sign_in(caseworker)
    page.goto(case)
    for _ in range(2):
        open_plan_tab(page)
        page.click("#plan button:has-text('Mark done')")
        page.wait_for_selector(".govuk-notification-banner--success")
    act(page, "Client agrees to closure (CMSL5806)")
    page.fill("#id_letter-text_what_this_means", "Your record is corrected and £150 has been paid.")
    submit(page, "Client agrees to closure (CMSL5806)")
    assert "Closed" in page.inner_text(".moj-identity-bar")

    sr = reload(sr)
    assert sr.resolution_code == ResolutionCode.COMPLETE_CLIENT_OK
    assert list(IssuedLetter.objects.filter(sr=sr).order_by("pk").values_list("template_code", flat=True)) == [
        "CMSL5801", "CMSL5803", "CMSL5806"]
