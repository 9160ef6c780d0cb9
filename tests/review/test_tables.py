"""complaints.tables.GovukTable renders body cells from a plan made once
per table; every cell must be exactly what django-tables2 itself renders."""

from datetime import date
from typing import Any

import pytest

from complaints import selectors
from complaints.plans.selectors import approvals_waiting_for
from complaints.plans.tables import ApprovalsTable
from complaints.tables import GovukTable, ServiceRequestTable, TeamQueueTable
from sla.models import DeadlineClock, TaskKind
from sla.selectors import open_tasks_for
from sla.services import start_clock
from sla.tables import ClockTable, TaskTable
from tests.factories import ClientFactory, ServiceRequestFactory
from tests.review.helpers import add_plan, go
from tests.sla.factories import TaskFactory

pytestmark = pytest.mark.django_db


def assert_same_cells(table: Any) -> None:
    ours = [[cell for _, cell in row] for row in table.body_rows()]
    theirs = [[cell for _, cell in row.items()] for row in table.paginated_rows]
    assert ours, "the table has no rows to compare"
    assert [[str(c) for c in row] for row in ours] == [[str(c) for c in row] for row in theirs]


def test_service_request_tables_render_as_django_tables2(caseworker, team_leader, resolution_team, travel):
    for n, region in enumerate(["england-and-wales", "scotland", "northern-ireland"]):
        sr = ServiceRequestFactory(team=resolution_team, owner=caseworker, state="in_progress",
                                   client=ClientFactory(region=region, name=f"O'Brien & <Sons> {n}"),
                                   received_on=date(2026, 10, 20 + n))
        if n:  # one SR without a running deadline
            start_clock(sr=sr, rule_code="resolution.response", actor=caseworker, now=sr.created_at,
                        started_on=sr.received_on)
    ServiceRequestFactory(team=resolution_team, owner=None, state="pending_assignment", lock_assignment=True)
    clocks = DeadlineClock.objects.select_related("sr__client", "sr__owner", "rule", "team")
    for table in (ServiceRequestTable(selectors.my_work(caseworker)),
                  TeamQueueTable(selectors.team_queue(team_leader)), ClockTable(clocks)):
        table.paginate(per_page=25)
        assert_same_cells(table)
        # My work writes each row as one string: the same HTML as from its cells.
        assert table.body_html() == GovukTable.body_html(table)


def test_task_table_renders_as_django_tables2(caseworker, resolution_team):
    sr = ServiceRequestFactory(team=resolution_team, owner=caseworker)
    TaskFactory(sr=sr, assignee=caseworker, kind=TaskKind.OVERDUE, title="Overdue: <Response>")
    TaskFactory(sr=sr, assignee=caseworker, kind=TaskKind.DUE_SOON, due_on=date(2027, 1, 8))
    table = TaskTable(list(open_tasks_for(caseworker)), csrf_token="t", next_url="/my-work/?a=1&b=2")
    assert_same_cells(table)
    html = table.body_html()
    assert "Overdue: &lt;Response&gt;" in html and "/my-work/?a=1&amp;b=2" in html


def test_approvals_table_renders_as_django_tables2(review, caseworker, team_leader):
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    go(sr, caseworker, "submit_for_approval")
    table = ApprovalsTable(approvals_waiting_for(team_leader))
    table.paginate(per_page=25)
    assert_same_cells(table)
