"""Views parse input, call a service or selector and render; no business rules."""

from .cases import (
    case_detail,
    home,
    link_add,
    my_work,
    new_service_request,
    note_add,
    search,
    team_queue,
    transition,
)

__all__ = [
    "case_detail", "home", "link_add", "my_work", "new_service_request", "note_add", "search", "team_queue",
    "transition",
]
