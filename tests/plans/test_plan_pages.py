"""The Plan tab and its edit pages (no JavaScript needed), and the
Approvals tab: who sees it, what it lists, in which order, in how many
queries."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints.models import ActionKind, PlanStatus, ServiceRequest
from complaints.plans.services import current_plan
from tests.factories import ClientFactory
from tests.review.helpers import add_plan, closed_resolution_sr, go, new_review, reload

pytestmark = pytest.mark.django_db


def case_url(sr: ServiceRequest) -> str:
    return reverse("case-detail", kwargs={"reference": sr.reference})


@pytest.fixture
def drafting(review, caseworker):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="1250.50")
    return reload(sr)


def test_plan_tab_shows_reasons_actions_amounts_and_total(client, drafting, caseworker):
    client.force_login(caseworker)
    page = client.get(case_url(drafting)).content.decode()
    assert "Reason 1: Payments recorded late" in page
    assert "Correct the payment record" in page and "Pay for the distress caused" in page
    assert "£1,250.50" in page
    assert "Add an action" in page and "Change" in page


def test_add_reason_and_action_through_the_pages(client, review, caseworker, travel):
    sr = go(review, caseworker, "start_plan")
    client.force_login(caseworker)
    r = client.post(reverse("plan-reason-add", args=[sr.reference]), {"grounds": "Letters not answered"})
    assert r.status_code == 302 and r["Location"].endswith("#plan")
    reason = current_plan(sr).reasons.get()
    due = date(2026, 12, 1)
    r = client.post(reverse("plan-action-add", args=[sr.reference]), {
        "reason": reason.pk, "description": "Apologise in writing", "kind": ActionKind.OTHER,
        "due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year,
    })
    assert r.status_code == 302
    assert current_plan(sr).actions.get().description == "Apologise in writing"


def test_an_invalid_action_is_shown_again_with_its_errors(client, drafting, caseworker):
    client.force_login(caseworker)
    reason = current_plan(drafting).reasons.get()
    r = client.post(reverse("plan-action-add", args=[drafting.reference]), {
        "reason": reason.pk, "description": "Pay", "kind": ActionKind.FINANCIAL_REDRESS,
        "due_on_day": "1", "due_on_month": "12", "due_on_year": "2026",
    })
    assert r.status_code == 400
    page = r.content.decode()
    assert "There is a problem" in page and "Enter the redress amount" in page


def test_a_past_due_date_is_refused_with_a_clear_message(client, drafting, caseworker):
    client.force_login(caseworker)
    reason = current_plan(drafting).reasons.get()
    r = client.post(reverse("plan-action-add", args=[drafting.reference]), {
        "reason": reason.pk, "description": "Too late", "kind": ActionKind.OTHER,
        "due_on_day": "1", "due_on_month": "1", "due_on_year": "2026",
    })
    assert r.status_code == 400
    assert list(r.context["form"].errors["due_on"]) == ["Due date agreed with the client must be today or in the future"]


def test_change_and_remove_an_action(client, drafting, caseworker):
    client.force_login(caseworker)
    plan = current_plan(drafting)
    action = plan.actions.get(kind=ActionKind.FINANCIAL_REDRESS)
    url = reverse("plan-action-edit", args=[drafting.reference, action.pk])
    assert "Pay for the distress caused" in client.get(url).content.decode()
    r = client.post(url, {"reason": action.reason_id, "description": "Pay for distress", "kind": "redress",
                          "amount": "99.99", "due_on_day": action.due_on.day, "due_on_month": action.due_on.month,
                          "due_on_year": action.due_on.year})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.amount == Decimal("99.99") and action.description == "Pay for distress"
    r = client.post(reverse("plan-action-remove", args=[drafting.reference, action.pk]))
    assert r.status_code == 302 and not plan.actions.filter(pk=action.pk).exists()


def test_a_reason_with_actions_is_not_removed(client, drafting, caseworker):
    client.force_login(caseworker)
    reason = current_plan(drafting).reasons.get()
    r = client.post(reverse("plan-reason-remove", args=[drafting.reference, reason.pk]), follow=True)
    assert "Remove the actions" in r.content.decode()
    assert current_plan(drafting).reasons.filter(pk=reason.pk).exists()


def test_a_colleague_cannot_change_the_plan(client, drafting, other_caseworker):
    client.force_login(other_caseworker)
    r = client.post(reverse("plan-reason-add", args=[drafting.reference]), {"grounds": "Mine"})
    assert r.status_code == 403


def test_an_outsider_gets_404(client, drafting, outsider):
    client.force_login(outsider)
    assert client.post(reverse("plan-reason-add", args=[drafting.reference]), {"grounds": "x"}).status_code == 404


def test_the_plan_is_locked_while_approval_is_pending(client, drafting, caseworker):
    sr = go(drafting, caseworker, "submit_for_approval")
    client.force_login(caseworker)
    page = client.get(case_url(sr)).content.decode()
    assert "waiting for a decision" in page and "Add a reason" not in page
    r = client.post(reverse("plan-reason-add", args=[sr.reference]), {"grounds": "Sneaky"})
    assert r.status_code == 400 and "waiting for approval" in r.content.decode()


def test_actions_are_done_noted_and_given_child_srs_while_undertaking(client, review, caseworker, review_team):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker)
    sr = go(sr, caseworker, "send_plan_to_client")
    sr = go(sr, caseworker, "client_agrees")
    action = current_plan(sr).actions.get()
    client.force_login(caseworker)
    r = client.post(reverse("plan-action-progress", args=[sr.reference, action.pk]),
                    {"comments": "Record corrected on the system."})
    assert r.status_code == 302
    r = client.post(reverse("plan-action-child", args=[sr.reference, action.pk]),
                    {"team": review_team.pk, "details": "Payment Non Standard for the refund"})
    assert r.status_code == 302
    action.refresh_from_db()
    assert action.comments == "Record corrected on the system."
    child = action.child_sr
    assert child.parent_id == sr.pk and child.client_id == sr.client_id
    r = client.post(reverse("plan-action-done", args=[sr.reference, action.pk]))
    action.refresh_from_db()
    assert action.done and action.done_at is not None
    page = client.get(case_url(sr)).content.decode()
    assert child.reference in page and "Done" in page


def test_approval_form_shows_amount_and_what_happens_next(client, drafting, caseworker, team_leader):
    sr = go(drafting, caseworker, "submit_for_approval")
    client.force_login(team_leader)
    page = client.get(reverse("sr-transition", args=[sr.reference, "approve_plan"])).content.decode()
    assert 'value="1250.50"' in page and "CMSL5801" in page


# --- the Approvals tab ---------------------------------------------------------


def _pending(*, caseworker: Any, team_leader: Any, review_team: Any, resolution_team: Any, amount: str, travel: Any = None):
    person = ClientFactory()
    res = closed_resolution_sr(team=resolution_team, client=person, closed_on=date(2026, 9, 15))
    sr = go(new_review(actor=caseworker, team=review_team, client=person, related=res), team_leader, "allocate",
            owner=caseworker)
    sr = go(sr, caseworker, "start_plan")
    add_plan(sr, caseworker, redress=amount)
    return go(sr, caseworker, "submit_for_approval")


def test_approvals_lists_what_waits_oldest_first(client, travel, caseworker, team_leader, review_team,
                                                 resolution_team, senior_leader):
    first = _pending(caseworker=caseworker, team_leader=team_leader, review_team=review_team,
                     resolution_team=resolution_team, amount="100.00")
    travel.shift(timedelta(hours=2))
    second = _pending(caseworker=caseworker, team_leader=team_leader, review_team=review_team,
                      resolution_team=resolution_team, amount="4000.00")
    client.force_login(team_leader)
    page = client.get(reverse("approvals")).content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    assert "£4,000.00" in page and "Cara Caseworker" in page and "2 Nov 2026 09:00" in page
    # The navigation shows the waiting count.
    assert 'moj-notification-badge">2<' in page
    # Referred up, the £4,000 plan leaves the HEO's list and waits for the G7.
    from accounts.models import Grade

    go(second, team_leader, "refer_plan", grade=Grade.objects.get(code="G7"), form_sent=True)
    assert second.reference not in client.get(reverse("approvals")).content.decode()
    client.force_login(senior_leader)
    assert second.reference in client.get(reverse("approvals")).content.decode()


def test_the_approvals_badge_is_kept_until_something_changes_in_the_teams(client, caseworker, team_leader,
                                                                          review_team, resolution_team):
    """Counted once, read back from the cache on the next pages, and
    counted again as soon as a plan in one of the user's teams moves."""
    make = dict(caseworker=caseworker, team_leader=team_leader, review_team=review_team,
                resolution_team=resolution_team, amount="10.00")
    first = _pending(**make)
    client.force_login(team_leader)
    home = reverse("my-work")

    def badge_and_queries() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(home).content.decode()
        return page.split('Approvals')[1].split("</a>")[0], len(ctx.captured_queries)

    counted, counting = badge_and_queries()
    kept, reading = badge_and_queries()
    assert 'moj-notification-badge">1<' in counted and kept == counted and reading < counting
    _pending(**make)
    again, _ = badge_and_queries()
    assert 'moj-notification-badge">2<' in again
    go(first, team_leader, "approve_plan", amount=Decimal("10.00"), comments="Agreed")
    assert 'moj-notification-badge">1<' in badge_and_queries()[0]


def test_approvals_leaves_out_plans_the_user_drafted(client, review, team_leader):
    sr = go(review, team_leader, "start_plan")
    add_plan(sr, team_leader, redress="10.00")
    go(sr, team_leader, "submit_for_approval")
    client.force_login(team_leader)
    assert sr.reference not in client.get(reverse("approvals")).content.decode()


def test_approvals_is_for_team_leaders_only(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("approvals")).status_code == 403
    assert "Approvals" not in client.get(reverse("my-work")).content.decode()


def test_approvals_query_count_is_constant(client, travel, caseworker, team_leader, review_team, resolution_team):
    def count() -> int:
        cache.clear()  # the badge counted, not read back (complaints.generations)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("approvals")).status_code == 200
        return len(ctx.captured_queries)

    make = dict(caseworker=caseworker, team_leader=team_leader, review_team=review_team,
                resolution_team=resolution_team, amount="10.00")
    _pending(**make)
    client.force_login(team_leader)
    count()  # warm the per-process caches (content types, permissions)
    one = count()
    for _ in range(4):
        _pending(**make)
    assert count() == one
    assert one <= 12


def test_plan_status_after_approval_is_shown(client, drafting, caseworker, team_leader):
    sr = go(drafting, caseworker, "submit_for_approval")
    go(sr, team_leader, "approve_plan", amount=Decimal("1250.50"), comments="Agreed")
    assert current_plan(sr).status == PlanStatus.APPROVED
    client.force_login(caseworker)
    page = client.get(case_url(sr)).content.decode()
    assert "Approvals and decisions" in page and "Tom Leader" in page
