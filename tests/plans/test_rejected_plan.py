"""After a team leader rejects a plan the SR shows Sub Status Rejected
(seed's Review sub statuses), the caseworker gets a task with the team
leader's notes, and may send the plan again as it is or revised. Before,
the SR went back to Draft Action Plan with no task, "Submit the plan"
disappeared until something changed, and its address gave a 409."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import User
from complaints.models import PlanStatus
from complaints.plans.services import current_plan
from complaints.workflows.resolution import S as ResolutionState
from sla.selectors import open_tasks_for
from tests.platform.helpers import allocate, new_sr
from tests.review.helpers import add_plan, available, go, reload

pytestmark = pytest.mark.django_db

NOTES = "The distress payment needs a reason on the plan."


@pytest.fixture
def rejected(review, caseworker, team_leader):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    sr = go(sr, caseworker, "submit_for_approval")
    return go(sr, team_leader, "reject_plan", comments=NOTES)


def _tasks(user: User) -> list[str]:
    return [task.title for task in open_tasks_for(user)]


def test_a_rejected_plan_shows_rejected_and_is_a_task_with_the_notes(client, rejected, caseworker):
    assert (rejected.status, rejected.sub_status) == ("In Progress", "Rejected")
    assert [title for title in _tasks(caseworker) if "rejected" in title] == [
        f"Revise the plan and submit it again. Tom Leader rejected it: {NOTES}"]
    client.force_login(caseworker)
    page = client.get(reverse("my-work")).content.decode()
    assert NOTES in page
    case = client.get(reverse("case-detail", args=[rejected.reference])).content.decode()
    assert "Rejected" in case and "Send the plan for TL approval" in case


def test_it_may_be_sent_again_unchanged(client, rejected, caseworker):
    assert "submit_for_approval" in available(rejected, caseworker)
    client.force_login(caseworker)
    url = reverse("sr-transition", args=[rejected.reference, "submit_for_approval"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"version": reload(rejected).version}).status_code == 302
    sr = reload(rejected)
    assert sr.sub_status == "Pending TL Approval"
    # A new revision goes for approval; the rejected one stays as the TL saw it.
    plan = current_plan(sr)
    assert (plan.revision, plan.status, plan.redress_total) == (2, PlanStatus.PENDING_APPROVAL, Decimal("150.00"))
    assert sr.plans.get(revision=1).status == PlanStatus.REJECTED
    assert not [title for title in _tasks(caseworker) if "rejected" in title]


def test_it_may_be_revised_and_sent_again(rejected, caseworker, team_leader):
    add_plan(rejected, caseworker, redress="20.00")
    sr = reload(rejected)
    assert current_plan(sr).revision == 2 and current_plan(sr).status == PlanStatus.DRAFT
    sr = go(sr, caseworker, "submit_for_approval")
    assert current_plan(sr).redress_total == Decimal("170.00")
    sr = go(sr, team_leader, "approve_plan", amount=Decimal("170.00"))
    assert sr.sub_status == "Approved"


def test_withdrawing_a_rejected_plan_closes_its_task(rejected, caseworker):
    go(rejected, caseworker, "withdraw", note="The client withdrew.")
    assert not [title for title in _tasks(caseworker) if "rejected" in title]


def test_resolution_route_likewise(caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    sr = go(sr, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    sr = go(sr, caseworker, "submit_for_approval")
    sr = go(sr, team_leader, "reject_plan", comments=NOTES)
    assert sr.state == ResolutionState.PLAN_REJECTED and sr.sub_status == "Rejected"
    assert any(NOTES in title for title in _tasks(caseworker))
    sr = go(sr, caseworker, "submit_for_approval")
    assert sr.state == ResolutionState.PENDING_TL_APPROVAL


def test_resolution_plan_wording(client, caseworker, team_leader, resolution_team, client_person):
    """No redress: nobody approved it, so it is not "Approved" or "Final
    (no redress, no approval needed)"; waiting for the client is not "Not
    asked"; sent back after the client disagreed it is not "Final"."""
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    sr = go(sr, caseworker, "start_plan")
    add_plan(sr, caseworker)
    sr = go(sr, caseworker, "submit_plan")
    assert (sr.status, sr.sub_status) == ("Wait", "Wait")
    client.force_login(caseworker)

    def plan_rows() -> dict[str, str]:
        tab = client.get(reverse("case-detail", args=[sr.reference])).context["plan_tab"]
        return {"Plan": tab.status_label, "Client Approved": tab.client_approved_label}

    assert plan_rows() == {"Plan": "Ready: no approval needed", "Client Approved": "Waiting for the client's reply"}
    sr = go(sr, caseworker, "client_disagrees")
    assert sr.sub_status == "Draft Action Plan"
    assert plan_rows() == {"Plan": "The client disagreed: revise it", "Client Approved": "No"}
    page = client.get(reverse("case-detail", args=[sr.reference])).content.decode()
    summary = page.split('data-testid="plan-summary"', 1)[1].split("</dl>", 1)[0]
    assert "The client disagreed: revise it" in summary and "Final" not in summary
