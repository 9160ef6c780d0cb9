"""The case page's Deadlines tab and My work's tasks panel, registered with
the core (SlaConfig.ready)."""

from typing import Any

from accounts.http import SignedInRequest, page_csrf_token
from complaints.models import ServiceRequest
from complaints.panels import CasePanel, MyWorkSection, register_case_panel, register_my_work_section

from .selectors import clocks_for_sr, most_urgent_tasks
from .tables import TaskTable

TASKS_SHOWN = 25


def deadlines_context(request: SignedInRequest, sr: ServiceRequest) -> dict[str, Any]:
    return {"clocks": clocks_for_sr(sr)}


def tasks_context(request: SignedInRequest) -> dict[str, Any]:
    # The 25 most urgent and one more, to tell whether there are more:
    # never a COUNT over a team leader's thousands of alerts.
    tasks = most_urgent_tasks(request.user, TASKS_SHOWN + 1)
    table = TaskTable(tasks[:TASKS_SHOWN], csrf_token=page_csrf_token(request), next_url=request.get_full_path())
    return {"task_table": table, "tasks_more": len(tasks) > TASKS_SHOWN}


register_case_panel(CasePanel(key="deadlines", title="Deadlines", template="sla/_sr_deadlines.html", order=20,
                              context=deadlines_context))
register_my_work_section(MyWorkSection(template="sla/_tasks_panel.html", order=10, context=tasks_context))
