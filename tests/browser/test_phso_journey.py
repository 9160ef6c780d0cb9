"""A PHSO SR in a real browser, from the Ombudsman's request for case
information through the proposal to investigate (assessment panel and the
Head of Complaints Review's sign-off), the summary of complaint, the draft
report (panel and sign-off) and a final decision letter with case-specific
recommendations, to closed Resolved."""

from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Grade
from accounts.roles import Role
from complaints.models import ResolutionCode
from letters.models import OutgoingEmail
from tests.browser import test_accessibility as a11y
from tests.browser.actions import act, add_plan_action, fill_date, open_tab, sign_out, submit
from tests.factories import ClientFactory, TeamFactory, UserFactory
from tests.phso.helpers import new_phso, reload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe_page = a11y.axe_page  # the accessibility tests' page (axe may be injected)


def identity(page: Any) -> str:
    return page.inner_text(".moj-identity-bar")


def test_phso_journey(page, sign_in):
    today = timezone.localdate()
    team = TeamFactory(name="Internal PHSO team", route="phso", phone="0800 171 2399")
    pat = UserFactory(username="pat", first_name="Pat", last_name="Caseworker", roles=[Role.CASEWORKER], teams=[team])
    tina = UserFactory(username="tina", first_name="Tina", last_name="Leader", roles=[Role.TEAM_LEADER], teams=[team])
    tina.grade = Grade.objects.get(code="HEO")
    tina.save(update_fields=["grade"])
    hugh = UserFactory(username="hugh", first_name="Hugh", last_name="Head", roles=[Role.HEAD_OF_COMPLAINTS_REVIEW],
                       teams=[team])
    jane = ClientFactory(name="Jane Smith", case_number="1234567890")
    sr = new_phso(actor=pat, team=team, client=jane)
    case = f"/sr/{sr.reference}/"

    # Pat sends the case information, having checked the MP referred it.
    sign_in(pat)
    page.goto(case)
    act(page, "Case information sent")
    page.fill("#id_parliamentary_contact", "A. Member MP")
    page.check("#id_referred_by_member")
    submit(page, "Case information sent")
    assert "With PHSO" in identity(page) and "Initial Response" in identity(page)

    # The proposal to investigate arrives: panel within 3 days, response within 10.
    act(page, "Proposal to investigate received")
    fill_date(page, "received_on", today)
    page.fill("#id_root_cause", "Late payments")
    submit(page, "Proposal to investigate received")
    assert "Response To PTI" in identity(page)
    assert "Convene the assessment panel by" in page.inner_text(".govuk-notification-banner--success")
    act(page, "Assessment panel convened")
    page.fill("#id_panel_members", "Ann Able\nBob Baker")
    fill_date(page, "panel_on", today)
    page.fill("#id_panel_briefing", "The case history and the resolution actions so far.")
    page.check("#id_sent_to_members")
    submit(page, "Assessment panel convened")
    act(page, "Send the response for sign-off")
    page.fill("#id_pti_response", "The case history, and a further payment we propose.")
    submit(page, "Send the response for sign-off")
    assert "Pending Approval - HCR" in identity(page)
    sign_out(page)

    # The Head of Complaints Review signs it off; the SR waits with PHSO.
    sign_in(hugh)
    page.goto(case)
    act(page, "Sign off and send the response")
    submit(page, "Sign off and send the response")
    assert "With PHSO" in identity(page)
    sign_out(page)

    # Mediation fails: the summary of complaint, then the draft report.
    sign_in(pat)
    page.goto(case)
    act(page, "Record the mediation outcome")
    page.fill("#id_mediation_outcome", "The client did not accept the proposed payment.")
    submit(page, "Record the mediation outcome")
    act(page, "Summary of complaint received")
    fill_date(page, "received_on", today)
    fill_date(page, "target_date", date(today.year + 1, 3, 1))
    submit(page, "Summary of complaint received")
    assert "Response To SoC" in identity(page)
    act(page, "Response to the summary sent")
    submit(page, "Response to the summary sent")
    act(page, "Draft report received")
    fill_date(page, "received_on", today)
    submit(page, "Draft report received")
    assert "Response To Report" in identity(page)
    act(page, "Assessment panel convened")
    page.fill("#id_report_panel_members", "Ann Able")
    fill_date(page, "report_panel_on", today)
    page.check("#id_accuracy_checked")
    submit(page, "Assessment panel convened")
    act(page, "Send the response for sign-off")
    page.fill("#id_report_response", "Two factual corrections to the chronology.")
    submit(page, "Send the response for sign-off")
    sign_out(page)

    sign_in(hugh)
    page.goto(case)
    act(page, "Sign off and send the response")
    submit(page, "Sign off and send the response")
    sign_out(page)

    # The final decision letter: £250 and case-specific recommendations.
    sign_in(pat)
    page.goto(case)
    act(page, "Final decision letter received")
    fill_date(page, "received_on", today)
    page.fill("#id_fdl_amount", "250")
    submit(page, "Final decision letter received")
    act(page, "Case-specific changes: implement them")
    page.check("#id_compared")
    submit(page, "Case-specific changes: implement them")
    assert "Implement PHSO Recommendations" in identity(page)
    due = today.replace(day=1).replace(year=today.year + 1)
    open_tab(page, "plan")
    page.fill("#reason_grounds", "Payments recorded late")
    page.click("button:has-text('Add reason')")
    page.wait_for_selector(".govuk-notification-banner--success")
    for description, kind, amount in (("Apologise to the client", "other", None),
                                      ("Special payment the Ombudsman recommends", "redress", "250.00")):
        add_plan_action(page, reason="Payments recorded late", description=description, kind=kind, due=due,
                        amount=amount)
    act(page, "Send the plan for TL approval")
    submit(page, "Send the plan for TL approval")
    assert "Pending Approval - TL" in identity(page)
    sign_out(page)

    # Tina approves the letter's amount (she could not reject it).
    sign_in(tina)
    page.goto(case)
    page.wait_for_selector("body[data-js-ready]", state="attached")
    assert page.locator("a.moj-button-menu__item:has-text('Reject the plan')").count() == 0
    act(page, "Approve the plan")
    assert page.input_value("#id_amount") == "250.00"
    submit(page, "Approve the plan")
    sign_out(page)

    # Pat completes the actions, sends the evidence and closes it Resolved.
    sign_in(pat)
    page.goto(case)
    for _ in range(2):
        open_tab(page, "plan")
        page.click("#plan button:has-text('Mark done')")
        page.wait_for_selector(".govuk-notification-banner--success")
    act(page, "All recommendations done: send the evidence")
    page.fill("#id_note", "Apology letter and payment confirmation.")
    submit(page, "All recommendations done: send the evidence")
    assert "With PHSO" in identity(page)
    act(page, "Ombudsman agrees: tell the Head of Complaints Review and close")
    page.fill("#id_note", "The Ombudsman e-mailed to agree the complaint can close.")
    submit(page, "Ombudsman agrees: tell the Head of Complaints Review and close")
    assert "Closed" in identity(page)

    sr = reload(sr)
    assert sr.resolution_code == ResolutionCode.RESOLVED
    assert OutgoingEmail.objects.filter(sr=sr, mailbox="head_of_complaints_review").exists()


def test_phso_pages_and_the_mi_export_have_no_axe_violations(axe_page):
    from tests.phso.helpers import go, panel, to_pti

    violations = a11y.violations

    page = axe_page
    team = TeamFactory(name="Internal PHSO team", route="phso", phone="0800 171 2399")
    pat = UserFactory(username="pat", first_name="Pat", last_name="Caseworker", roles=[Role.CASEWORKER], teams=[team])
    hugh = UserFactory(username="hugh", first_name="Hugh", last_name="Head", roles=[Role.HEAD_OF_COMPLAINTS_REVIEW],
                       teams=[team])
    tina = UserFactory(username="tina", first_name="Tina", last_name="Leader", roles=[Role.TEAM_LEADER], teams=[team])
    sr = panel(to_pti(new_phso(actor=pat, team=team, client=ClientFactory(name="Niamh Kelly", region="northern-ireland",
                                                                          case_number="9876543210")), pat), pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="Our response.")
    for user, urls in ((hugh, ["/approvals/", f"/sr/{sr.reference}/", f"/sr/{sr.reference}/do/sign_off_pti/"]),
                       (tina, ["/deadlines/mi/", "/deadlines/mi/?start_day=1&start_month=1&start_year=2026",
                               "/deadlines/mi/?start_day=31&start_month=2&start_year=2026",
                               f"/sr/{sr.reference}/do/reallocate/"])):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", "correct-horse-battery")
        page.click("button:has-text('Sign in')")
        page.wait_for_selector("[data-testid=signed-in-user]")
        for url in urls:
            page.goto(url)
            found = violations(page)
            assert found == [], f"{url}: {found}"
        page.click("button:has-text('Sign out')")
        page.wait_for_url("**/accounts/login/**")
