"""Transitions every route has: reallocate and withdraw."""

from datetime import datetime
from typing import Any

from django_fsm import transition

from ..models.core import ResolutionCode
from ..permissions import tp_allocate, tp_work
from ..routes import CLOSED


def is_open(sr) -> bool:  # type: ignore[no-untyped-def]
    return sr.state != CLOSED


def can_reallocate(sr) -> bool:  # type: ignore[no-untyped-def]
    # An SR waiting for approval keeps its owner (DESIGN §6).
    return is_open(sr) and sr.owner_id is not None and not sr.lock_assignment


class CommonTransitions:
    """Mixed into each route's proxy model."""

    @transition(
        field="state", source="*", target=None, conditions=[can_reallocate], permission=tp_allocate,
        custom={"label": "Reallocate", "form": "complaints.forms.AllocateForm", "who": "Team Leader",
                "order": 80, "help": "The SR moves to the chosen caseworker's My work."},
    )
    def reallocate(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source="*", target=CLOSED, conditions=[is_open], permission=tp_work,
        custom={"label": "Withdraw complaint", "form": "complaints.forms.WithdrawForm", "who": "Owner or Team Leader",
                "order": 90, "help": "The SR closes with resolution code Complaint Withdrawn. Running deadlines stop."},
    )
    def withdraw(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.resolution_code = ResolutionCode.WITHDRAWN
        self.closed_at = now
        self.lock_assignment = False
