"""An ICE SR in a real browser, from ICE's e-mail to closed Resolved: the
e-mail logged, the gateway criteria recorded and passed, ICE's resolution
plan answered, the closure letter's recommendations implemented with a
plan whose redress a team leader approves, ICE told, and ICE's
confirmation closing the SR."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Grade
from accounts.roles import Role
from complaints.models import ResolutionCode, ServiceRequest
from ice.models import IceDetails
from letters.models import OutgoingEmail
from tests.browser.actions import act, add_plan_action, fill_date, open_tab, sign_out, submit
from tests.factories import TeamFactory, UserFactory
from tests.ice.helpers import closed_sr

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ice_journey(page, sign_in, review_team, client_person):
    today = timezone.localdate()
    ice_team = TeamFactory(name="Internal ICE team", route="ice", phone="0800 171 2347")
    ian = UserFactory(username="ian", first_name="Ian", last_name="Examiner", roles=[Role.CASEWORKER],
                      teams=[ice_team])
    tina = UserFactory(username="tina", first_name="Tina", last_name="Leader", roles=[Role.TEAM_LEADER],
                       teams=[ice_team])
    tina.grade = Grade.objects.get(code="HEO")
    tina.save(update_fields=["grade"])
    # The client came to ICE before, too early (a failed gateway, so the ICE
    # team knows them); the review team has since sent its final response.
    closed_sr(route="ice", team=ice_team, client=client_person, closed_on=today - timedelta(days=120))
    final = closed_sr(route="review", team=review_team, client=client_person, closed_on=today - timedelta(days=40))

    # ICE's e-mail arrives: Ian logs it as an ICE SR.
    sign_in(ian)
    page.goto("/sr/new/")
    page.fill("#id_case_number", client_person.case_number)
    page.check("input[name=route][value=ice]")
    page.select_option("#id_team", label="Internal ICE team")
    fill_date(page, "received_on", today)
    page.check("input[name=referrer][value=ice]")
    page.fill("#id_details", "ICE's e-mail: the client is unhappy with the review team's final response.")
    page.click("form button.govuk-button:has-text('Record SR')")
    page.wait_for_selector(".govuk-notification-banner--success")
    sr = ServiceRequest.objects.get(route="ice", client=client_person, closed_at__isnull=True)
    case = f"/sr/{sr.reference}/"
    sign_out(page)

    # Tina allocates it to Ian.
    sign_in(tina)
    page.goto(case)
    act(page, "Allocate")
    page.select_option("#id_owner", label="Ian Examiner")
    submit(page, "Allocate")
    sign_out(page)

    # Ian records the gateway criteria: the final response and ICE contacted within six months.
    sign_in(ian)
    page.goto(case)
    assert "Gateway Passed" not in page.inner_text("#summary")
    act(page, "Gateway passed")
    page.fill("#id_ice_reference", "ICE/2026/4411")
    page.select_option("#id_final_response_sr", value=str(final.pk))
    fill_date(page, "contacted_ice_on", today - timedelta(days=5))
    submit(page, "Gateway passed")
    assert "Gateway Passed: Y. Six months met" in page.inner_text(".govuk-notification-banner--success")
    assert "With ICE" in page.inner_text(".moj-identity-bar")

    # ICE's resolution plan, answered.
    act(page, "ICE sent a resolution plan")
    fill_date(page, "received_on", today)
    submit(page, "ICE sent a resolution plan")
    assert "Reply due" in page.inner_text(".govuk-notification-banner--success")
    act(page, "Reply sent to ICE")
    page.fill("#id_reply", "Our answers to your questions: the payments were recorded late in August.")
    submit(page, "Reply sent to ICE")

    # ICE's closure letter: its recommendations in a plan with redress.
    act(page, "ICE sent a closure letter")
    fill_date(page, "received_on", today)
    submit(page, "ICE sent a closure letter")
    assert "Implement ICE Recommendations" in page.inner_text(".moj-identity-bar")
    open_tab(page, "plan")
    page.fill("#reason_grounds", "Payments recorded late")
    page.click("button:has-text('Add reason')")
    page.wait_for_selector(".govuk-notification-banner--success")
    due = today + timedelta(days=20)
    for description, kind, amount in (("Correct the payment record", "other", None),
                                      ("Special payment for the delay", "redress", "120.00")):
        add_plan_action(page, reason="Payments recorded late", description=description, kind=kind, due=due,
                        amount=amount)
    act(page, "Send the plan for TL approval")
    submit(page, "Send the plan for TL approval")
    assert "Pending Approval -TL" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Tina approves the redress from her Approvals tab.
    sign_in(tina)
    page.click(".govuk-service-navigation__link:has-text('Approvals')")
    page.click(f"a:has-text('{sr.reference}')")
    act(page, "Approve the plan")
    page.fill("#id_comments", "In line with ICE's recommendation.")
    submit(page, "Approve the plan")
    assert "Implement ICE Recommendations" in page.inner_text(".moj-identity-bar")
    sign_out(page)

    # Ian does the actions, tells ICE, and ICE confirms the case is finished.
    sign_in(ian)
    page.goto(case)
    for _ in range(2):
        open_tab(page, "plan")
        page.click("#plan button:has-text('Mark done')")
        page.wait_for_selector(".govuk-notification-banner--success")
    act(page, "All actions done: tell ICE")
    page.fill("#id_reply", "The payment record is corrected and £120 was paid.")
    submit(page, "All actions done: tell ICE")
    act(page, "ICE confirms: close resolved")
    fill_date(page, "received_on", today)
    page.check("input[name=ice_outcome][value=upheld]")
    submit(page, "ICE confirms: close resolved")
    assert "Closed" in page.inner_text(".moj-identity-bar")

    sr = ServiceRequest.objects.get(pk=sr.pk)
    assert sr.resolution_code == ResolutionCode.RESOLVED and sr.gateway_passed is True
    assert IceDetails.objects.get(sr=sr).ice_outcome == "upheld"
    assert list(OutgoingEmail.objects.filter(sr=sr).order_by("pk").values_list("subject", flat=True)) == [
        "Gateway passed: your reference ICE/2026/4411",
        f"Our reply to your resolution plan: {sr.reference}",
        f"Recommended actions completed: {sr.reference}",
    ]
