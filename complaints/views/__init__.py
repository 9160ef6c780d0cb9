"""Views parse input, call a service or selector and render; no business rules."""

from .cases import (
    case_detail,
    link_add,
    my_work,
    new_service_request,
    note_add,
    search,
    team_queue,
    transition,
)
from .plans import plan_action_add, plan_action_done, plan_reason_add

__all__ = [
    "case_detail", "link_add", "my_work", "new_service_request", "note_add", "plan_action_add",
    "plan_action_done", "plan_reason_add", "search", "team_queue", "transition",
]
