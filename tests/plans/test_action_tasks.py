"""The agreed plan's actions are the owner's tasks on My work while the SR
undertakes them: one task per action, due when the action is due, closed
when the action is done (from the plan or from the task), and gone when the
SR leaves that state."""

from decimal import Decimal

import pytest

from complaints.models import ServiceRequest
from complaints.plans.services import current_plan, plan_mark_action_done
from sla.models import Task, TaskKind
from sla.selectors import open_tasks_for
from sla.services import complete_task
from tests.review.helpers import add_plan, go

pytestmark = pytest.mark.django_db


@pytest.fixture
def undertaking(review, caseworker, team_leader):
    """Cara's plan (one action and £150 redress), approved and agreed by the client."""
    sr = go(review, caseworker, "start_plan")
    add_plan(sr, caseworker, redress="150.00")
    sr = go(sr, caseworker, "submit_for_approval")
    sr = go(sr, team_leader, "approve_plan", amount=Decimal("150.00"))
    sr = go(sr, caseworker, "send_plan_to_client")
    return go(sr, caseworker, "client_agrees")


def action_tasks(sr: ServiceRequest) -> list[Task]:
    return list(Task.objects.filter(sr=sr, key__startswith="plan-action:").order_by("id"))


def test_agreeing_the_plan_gives_the_owner_a_task_per_action(undertaking, caseworker):
    actions = list(current_plan(undertaking).actions.order_by("id"))
    tasks = action_tasks(undertaking)
    assert [(t.title, t.due_on, t.assignee, t.kind) for t in tasks] == [
        (f"Plan action: {a.description}", a.due_on, caseworker, TaskKind.ACTION) for a in actions]
    assert set(tasks) <= set(open_tasks_for(caseworker))


def test_doing_the_action_on_the_plan_closes_its_task(undertaking, caseworker):
    action = current_plan(undertaking).actions.order_by("id").first()
    plan_mark_action_done(sr=undertaking, actor=caseworker, action_id=action.pk)
    done, still_open = action_tasks(undertaking)
    assert done.done_at is not None and still_open.done_at is None


def test_marking_the_task_done_marks_the_action_done(undertaking, caseworker):
    from django.utils import timezone

    task = action_tasks(undertaking)[1]
    complete_task(task=task, actor=caseworker, now=timezone.now())
    task.refresh_from_db()
    assert task.done_at is not None
    assert [a.done for a in current_plan(undertaking).actions.order_by("id")] == [False, True]


def test_reopening_the_plan_closes_the_tasks_and_reallocation_moves_them(undertaking, caseworker, team_leader,
                                                                          other_caseworker):
    sr = go(undertaking, team_leader, "reallocate", owner=other_caseworker)
    assert {t.assignee for t in action_tasks(sr)} == {other_caseworker}
    assert not any(t in open_tasks_for(caseworker) for t in action_tasks(sr))
    go(sr, other_caseworker, "reopen_plan", note="The client now needs a fee refund too.")
    assert all(t.done_at is not None for t in action_tasks(sr))
