"""List pages issue the same number of SQL queries for 5 rows and 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ClientFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    # Warm up: the first request after sign-in also writes the session.
    client.get(url, {"per_page": 100})
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"per_page": 100})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["my-work", "team-queue"])
def test_list_page_query_count_is_constant(client, page, caseworker, team_leader, resolution_team):
    owner = caseworker if page == "my-work" else None
    viewer = caseworker if page == "my-work" else team_leader

    def make(n: int) -> None:
        for _ in range(n):
            ServiceRequestFactory(team=resolution_team, owner=owner, client=ClientFactory(),
                                  state="in_progress" if owner else "pending_assignment")

    client.force_login(viewer)
    make(5)
    five = _count(client, reverse(page))
    make(45)
    fifty = _count(client, reverse(page))
    assert five == fifty
    assert fifty <= 12


def test_my_work_never_counts_the_whole_table(client, caseworker, resolution_team):
    for _ in range(3):
        ServiceRequestFactory(team=resolution_team, owner=caseworker, state="in_progress")
    client.force_login(caseworker)
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("my-work"))
    # The only COUNT is the badge's, over the user's open tasks.
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert all('FROM "sla_task"' in sql for sql in counts), counts


def _case_page_with_more(client, user, sr, add) -> list[tuple[str, int]]:
    """The case page and its statement count with one of each item, then
    with three more (`add(n)` adds n)."""
    client.force_login(user)
    url = reverse("case-detail", args=[sr.reference])
    add(1)
    client.get(url)  # the first request of a session writes it
    pages = []
    for n in (None, 3):
        if n:
            add(n)
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(url).content.decode()
        pages.append((html, len(ctx.captured_queries)))
    return pages


def test_case_page_reads_each_kind_of_item_once(client, caseworker, team_leader, resolution_team):
    """A case with every kind of item — a parent, a child, links both ways,
    notes, a plan in its second revision (a reason with actions, one
    without, a child SR on an action, an approval of the first revision) —
    shows them all in the same number of statements with more of each: 12,
    and one more for the approvals, read only when a revision has been
    decided on."""
    from complaints.models import ActionKind, PlanStatus
    from tests.factories import (
        CaseEventFactory,
        NoteFactory,
        PlanActionFactory,
        PlanApprovalFactory,
        PlanReasonFactory,
        ResolutionPlanFactory,
        SRLinkFactory,
    )

    parent = ServiceRequestFactory(team=resolution_team, client=ClientFactory())
    sr = ServiceRequestFactory(team=resolution_team, owner=caseworker, state="in_progress", parent=parent)
    first = ResolutionPlanFactory(sr=sr, revision=1, drafted_by=caseworker, status=PlanStatus.REJECTED)
    PlanApprovalFactory(plan=first, decided_by=team_leader, decision="rejected", comments="Too little")
    PlanActionFactory(reason=PlanReasonFactory(plan=first, grounds="Old ground"), description="Old step")
    plan = ResolutionPlanFactory(sr=sr, revision=2, drafted_by=caseworker)

    def add(n: int) -> None:
        for i in range(n):
            other = ServiceRequestFactory(team=resolution_team, client=ClientFactory())
            SRLinkFactory(from_sr=sr, to_sr=other, reason=f"Link out {other.reference}")
            SRLinkFactory(from_sr=ServiceRequestFactory(team=resolution_team), to_sr=sr, reason=f"Link in {i}")
            ServiceRequestFactory(team=resolution_team, parent=sr, reference=f"SR-CHILD-{other.pk}")
            NoteFactory(sr=sr, author=caseworker, text=f"Note {other.pk}")
            CaseEventFactory(sr=sr, actor=caseworker, verb="note_added")
            reason = PlanReasonFactory(plan=plan, grounds=f"Ground {other.pk}")
            PlanActionFactory(reason=reason, description=f"Step {other.pk}", kind=ActionKind.OTHER,
                              child_sr=other)
            PlanReasonFactory(plan=plan, grounds=f"Empty ground {other.pk}")

    (one, n_one), (more, n_more) = _case_page_with_more(client, caseworker, sr, add)
    assert n_one == n_more <= 13
    assert f'href="/sr/{parent.reference}/">{parent.reference}</a>' in one
    for text in ("Link out", "Link in 0", "SR-CHILD-", "Note ", "Ground ", "Empty ground", "No actions for this reason yet",
                 "Step ", "Child SR <a", "Revision 1: Rejected", "Old step", "Too little"):
        assert text in more, text
    assert more.count("Link in ") == 4 and more.count('<h3 class="moj-timeline__title">Note</h3>') == 4


def test_case_page_of_a_plan_being_drafted_reads_it_once(client, caseworker, resolution_team):
    """While a caseworker drafts a plan, the case page offers the plan's
    reasons in the add-action form and the buttons to send it (conditions on
    its actions and redress): all from the Plan tab's one read of the plan,
    12 statements at most, however many reasons and actions."""
    from complaints.models import ActionKind
    from tests.factories import PlanActionFactory, PlanReasonFactory, ResolutionPlanFactory

    sr = ServiceRequestFactory(team=resolution_team, owner=caseworker, state="draft_action_plan")
    plan = ResolutionPlanFactory(sr=sr, revision=1, drafted_by=caseworker)

    def add(n: int) -> None:
        for i in range(n):
            reason = PlanReasonFactory(plan=plan, grounds=f"Ground {plan.reasons.count()}")
            PlanActionFactory(reason=reason, description=f"Step {i}", kind=ActionKind.OTHER)

    def add_with_redress(n: int) -> None:
        add(n)
        if n > 1:  # the second page's plan needs the team leader's approval
            PlanActionFactory(reason=plan.reasons.first(), description="Pay", kind=ActionKind.FINANCIAL_REDRESS,
                              amount=50)

    (one, n_one), (more, n_more) = _case_page_with_more(client, caseworker, sr, add_with_redress)
    assert n_one == n_more <= 12
    assert '<option value="">Choose a reason</option>' in more
    for reason in plan.reasons.all():
        assert f'<option value="{reason.pk}">{reason.grounds}</option>' in more
    # No redress: submitted as final; with redress: sent to the team leader.
    assert "Submit the plan" in one and "Send the plan for TL approval" not in one
    assert "Send the plan for TL approval" in more and "Submit the plan" not in more
