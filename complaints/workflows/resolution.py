"""Resolution route (complaints resolution team; overview seed, DESIGN §5)."""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import RETURN_VALUE, transition

from ..models.core import ResolutionCode, Route, ServiceRequest
from ..permissions import tp_allocate, tp_work
from ..permissions_plans import tp_approve_plan, tp_refer_plan, tp_reject_plan
from ..routes import CLOSED, Labels
from ..services.plans import all_actions_done, plan_needs_approval, plan_ready
from .common import CommonTransitions


class S(models.TextChoices):
    PENDING_ASSIGNMENT = "pending_assignment", "Pending assignment"
    IN_PROGRESS = "in_progress", "In progress"
    DRAFT_ACTION_PLAN = "draft_action_plan", "Draft action plan"
    PENDING_TL_APPROVAL = "pending_tl_approval", "Pending TL approval"
    PENDING_SENIOR_APPROVAL = "pending_senior_approval", "Referred to a higher grade"
    AWAITING_CLIENT_AGREEMENT = "awaiting_client_agreement", "Awaiting client agreement"
    UNDERTAKING_ACTIONS = "undertaking_actions", "Undertaking actions"
    CLOSED = CLOSED, "Closed"


LABELS = {
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Acknowledge Issue"),
    S.IN_PROGRESS: Labels("In Progress", "In Progress", "Acknowledge Issue"),
    S.DRAFT_ACTION_PLAN: Labels("In Progress", "Draft Action Plan", "Resolution"),
    S.PENDING_TL_APPROVAL: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    S.PENDING_SENIOR_APPROVAL: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    S.AWAITING_CLIENT_AGREEMENT: Labels("Wait", "Approved", "Resolution"),
    S.UNDERTAKING_ACTIONS: Labels("In Progress", "Undertake Actions Prescribed", "Resolution"),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}

FORMS = "complaints.forms"
# Plan approval steps are shared with the Review route (DESIGN §6).
PLAN_FORMS = "complaints.forms_plans"


class ResolutionSR(CommonTransitions, ServiceRequest):
    ROUTE = Route.RESOLUTION
    PLAN_EDITABLE_STATES = (S.DRAFT_ACTION_PLAN,)
    ACTION_STATES = (S.UNDERTAKING_ACTIONS,)

    class Meta:
        proxy = True
        verbose_name = "Resolution SR"

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.IN_PROGRESS, permission=tp_allocate,
        custom={"label": "Allocate", "form": f"{FORMS}.AllocateForm", "who": "Team Leader", "order": 1,
                "help": "The caseworker is told, the client is sent the acknowledgement letter straight away, "
                        "and the 15 working day response deadline (running since the date received) is now theirs."},
    )
    def allocate(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.DRAFT_ACTION_PLAN, permission=tp_work,
        custom={"label": "Start a resolution plan", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 10,
                "help": "Sub Status becomes Draft Action Plan. Add the reasons for the complaint and the actions "
                        "that resolve them on the Plan tab."},
    )
    def start_plan(self, *, actor: Any, now: datetime, data: dict) -> None:
        pass

    @transition(
        field="state", source=S.IN_PROGRESS, target=CLOSED, permission=tp_work,
        custom={"label": "Close: no action taken", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 30,
                "letter": "RES-OUTCOME",
                "help": "The outcome letter goes to the client, signposting the Review team. The SR closes "
                        "with resolution code No Action Taken."},
    )
    def close_no_action(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.resolution_code = ResolutionCode.NO_ACTION
        self.closed_at = now

    @transition(
        field="state", source=S.DRAFT_ACTION_PLAN,
        target=RETURN_VALUE(S.PENDING_TL_APPROVAL, S.AWAITING_CLIENT_AGREEMENT),
        conditions=[plan_ready], permission=tp_work,
        custom={"label": "Submit the plan", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 10,
                "help": "A plan with financial redress goes to a team leader for approval and the SR's "
                        "assignment is locked until they decide. A plan without redress goes to the client."},
    )
    def submit_plan(self, *, actor: Any, now: datetime, data: dict) -> str:
        if plan_needs_approval(self):
            self.lock_assignment = True
            return S.PENDING_TL_APPROVAL
        return S.AWAITING_CLIENT_AGREEMENT

    @transition(
        field="state", source=[S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL], target=S.AWAITING_CLIENT_AGREEMENT,
        permission=tp_approve_plan,
        custom={"label": "Approve the plan", "form": f"{PLAN_FORMS}.ApprovePlanForm", "who": "Team Leader",
                "order": 1,
                "help": "The plan and its redress are approved (within your grade's limit); the caseworker "
                        "agrees it with the client. The assignment is unlocked."},
    )
    def approve_plan(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.lock_assignment = False

    @transition(
        field="state", source=[S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL], target=S.DRAFT_ACTION_PLAN,
        permission=tp_reject_plan,
        custom={"label": "Reject the plan", "form": f"{PLAN_FORMS}.RejectPlanForm", "who": "Team Leader",
                "order": 2, "help": "The plan goes back to the caseworker with your notes to revise it."},
    )
    def reject_plan(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.lock_assignment = False

    @transition(
        field="state", source=S.PENDING_TL_APPROVAL, target=S.PENDING_SENIOR_APPROVAL, permission=tp_refer_plan,
        custom={"label": "Refer to a higher grade (CMSF5551)", "form": f"{PLAN_FORMS}.ReferPlanForm",
                "who": "Team Leader", "order": 3,
                "help": "The redress is above your grade's approval limit. Send form CMSF5551 with the case "
                        "documents to a manager of the chosen grade; the plan waits on the Approvals tab of "
                        "those who may approve it. The assignment stays locked."},
    )
    def refer_plan(self, *, actor: Any, now: datetime, data: dict) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.UNDERTAKING_ACTIONS, permission=tp_work,
        custom={"label": "Client agrees the plan", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 1,
                "help": "Sub Status becomes Undertake Actions Prescribed: carry out each action and mark it done."},
    )
    def client_agrees(self, *, actor: Any, now: datetime, data: dict) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.DRAFT_ACTION_PLAN, permission=tp_work,
        custom={"label": "Client disagrees: revise the plan", "form": f"{FORMS}.ConfirmForm", "who": "Owner",
                "order": 2, "help": "The plan returns to Draft Action Plan for revision."},
    )
    def client_disagrees(self, *, actor: Any, now: datetime, data: dict) -> None:
        pass

    @transition(
        field="state", source=S.UNDERTAKING_ACTIONS, target=CLOSED, conditions=[all_actions_done],
        permission=tp_work,
        custom={"label": "Close: resolved", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 10,
                "letter": "RES-OUTCOME",
                "help": "Every action is done. The outcome letter goes to the client, signposting the Review "
                        "team, and the SR closes with resolution code Resolved."},
    )
    def close_resolved(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.resolution_code = ResolutionCode.RESOLVED
        self.closed_at = now
