"""Transitions every route has: reallocate and withdraw."""

from datetime import datetime
from typing import Any

from django_fsm import transition

from accounts.models import User

from ..models.core import ResolutionCode, ServiceRequest
from ..permissions import fsm_condition, tp_allocate, tp_work
from ..routes import CLOSED
from ..steps import declare


@fsm_condition
def is_open(sr: ServiceRequest) -> bool:
    return sr.state != CLOSED


@fsm_condition
def can_reallocate(sr: ServiceRequest) -> bool:
    # An SR waiting for approval keeps its owner (DESIGN §6).
    return is_open(sr) and sr.owner_id is not None and not sr.lock_assignment


class CommonTransitions:
    """Mixed into each route's proxy model."""

    owner: User | None
    resolution_code: str
    closed_at: datetime | None
    lock_assignment: bool

    @transition(
        field="state", source="*", target=None, conditions=[can_reallocate], permission=tp_allocate,
        custom=declare(label="Reallocate", form="complaints.forms.AllocateForm", who="Team Leader", order=80,
                       message="Reallocated to {owner}.",
                       help="The SR moves to the chosen caseworker's My work, with its open tasks."),
    )
    def reallocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source="*", target=CLOSED, conditions=[is_open], permission=tp_work,
        custom=declare(label="Withdraw complaint", form="complaints.forms.WithdrawForm", who="Owner or Team Leader",
                       order=90, message="Closed: Complaint Withdrawn.",
                       help="The SR closes with resolution code Complaint Withdrawn. Running deadlines stop."),
    )
    def withdraw(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.resolution_code = ResolutionCode.WITHDRAWN
        self.closed_at = now
        self.lock_assignment = False
