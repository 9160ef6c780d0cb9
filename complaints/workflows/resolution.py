"""Resolution route (the complaints resolution team).

The state table, its (Status, Sub Status, Stage) labels and the @transition
methods, each declaring its steps next to its label (complaints.pipeline
runs them). The response deadline runs from the day the complaint reached
the team, so an SR waiting in the team queue goes overdue like any other.
"""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import transition

from accounts.models import User

from ..models.core import ResolutionCode, Route, ServiceRequest
from ..permissions import tp_allocate, tp_work
from ..plans.services import all_actions_done, plan_ready_without_approval
from ..plans.workflow import REJECTION_TASK, approval_steps
from ..routes import CLOSED, Labels, RouteSpec, register
from ..steps import RECEIVED, CloseTask, CreateSteps, MeetClock, PlanOp, PlanUse, StartClock, declare
from .common import CommonTransitions

RESPONSE_RULE = "resolution.response"
ACKNOWLEDGEMENT_LETTER = "RES-ACK"


class S(models.TextChoices):
    PENDING_ASSIGNMENT = "pending_assignment", "Pending assignment"
    IN_PROGRESS = "in_progress", "In progress"
    DRAFT_ACTION_PLAN = "draft_action_plan", "Draft action plan"
    PLAN_REJECTED = "plan_rejected", "Plan rejected by a team leader"
    PENDING_TL_APPROVAL = "pending_tl_approval", "Pending TL approval"
    PENDING_SENIOR_APPROVAL = "pending_senior_approval", "Referred to a higher grade"
    AWAITING_CLIENT_AGREEMENT = "awaiting_client_agreement", "Awaiting client agreement"
    UNDERTAKING_ACTIONS = "undertaking_actions", "Undertaking actions"
    CLOSED = CLOSED, "Closed"


LABELS = {
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Acknowledge Issue"),
    S.IN_PROGRESS: Labels("In Progress", "In Progress", "Acknowledge Issue"),
    S.DRAFT_ACTION_PLAN: Labels("In Progress", "Draft Action Plan", "Resolution"),
    S.PLAN_REJECTED: Labels("In Progress", "Rejected", "Resolution"),
    S.PENDING_TL_APPROVAL: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    S.PENDING_SENIOR_APPROVAL: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    # Waiting for the client's agreement, whether or not the plan needed
    # approval (a plan without redress was approved by nobody).
    S.AWAITING_CLIENT_AGREEMENT: Labels("Wait", "Wait", "Resolution"),
    S.UNDERTAKING_ACTIONS: Labels("In Progress", "Undertake Actions Prescribed", "Resolution"),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}

FORMS = "complaints.forms"
# Plan approval steps are shared with the Review route (DESIGN §6).
PLAN_FORMS = "complaints.plans.forms"


class ResolutionSR(CommonTransitions, ServiceRequest):
    ROUTE = Route.RESOLUTION

    class Meta:
        proxy = True
        verbose_name = "Resolution SR"

    # The plan-approval steps, between this route's states.
    submit_for_approval, approve_plan, reject_plan, refer_plan = approval_steps(
        drafting=S.DRAFT_ACTION_PLAN, pending=S.PENDING_TL_APPROVAL, referred=S.PENDING_SENIOR_APPROVAL,
        approved=S.AWAITING_CLIENT_AGREEMENT, rejected=S.PLAN_REJECTED, approve_clocks=[MeetClock(RESPONSE_RULE)],
        approve_help="The plan and its redress are approved (within your grade's limit); the caseworker agrees it with "
                     "the client. The assignment is unlocked.",
    )

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.IN_PROGRESS, permission=tp_allocate,
        custom=declare(label="Allocate", form=f"{FORMS}.AllocateForm", who="Team Leader", order=1,
                letter=ACKNOWLEDGEMENT_LETTER, clocks=[StartClock(RESPONSE_RULE, start=RECEIVED)],
                message="Allocated to {owner}. Acknowledgement letter issued; response due {due[resolution.response]}.",
                help="The caseworker is told, the client is sent the acknowledgement letter straight away, "
                     "and the 15 working day response deadline (running since the date received) is now theirs."),
    )
    def allocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.DRAFT_ACTION_PLAN, permission=tp_work,
        custom=declare(label="Start a resolution plan", form=f"{FORMS}.ConfirmForm", who="Owner", order=10,
                help="Sub Status becomes Draft Action Plan. Add the reasons for the complaint and the actions "
                     "that resolve them on the Plan tab."),
    )
    def start_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.IN_PROGRESS, target=CLOSED, permission=tp_work,
        custom=declare(label="Close: no action taken", form=f"{FORMS}.ConfirmForm", who="Owner", order=30,
                letter="RES-OUTCOME",
                clocks=[MeetClock(RESPONSE_RULE)], message="Closed: No Action Taken. The outcome letter was issued.",
                help="The outcome letter goes to the client, signposting the Review team. The SR closes "
                     "with resolution code No Action Taken."),
    )
    def close_no_action(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.resolution_code = ResolutionCode.NO_ACTION
        self.closed_at = now

    @transition(
        field="state", source=[S.DRAFT_ACTION_PLAN, S.PLAN_REJECTED], target=S.AWAITING_CLIENT_AGREEMENT,
        conditions=[plan_ready_without_approval], permission=tp_work,
        custom=declare(label="Submit the plan", form=f"{FORMS}.ConfirmForm", who="Owner", order=10,
                       plan=PlanOp.SUBMIT, clocks=[MeetClock(RESPONSE_RULE)], tasks=[CloseTask(REJECTION_TASK)],
                       message="Plan final: agree it with the client.",
                       help="The plan has no financial redress, so it needs no approval: it is final and goes "
                            "to the client. A rejected plan may go again as it is, or changed."),
    )
    def submit_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.UNDERTAKING_ACTIONS, permission=tp_work,
        custom=declare(label="Client agrees the plan", form=f"{FORMS}.ConfirmForm", who="Owner", order=1,
                plan=PlanOp.CLIENT_AGREED,
                help="Sub Status becomes Undertake Actions Prescribed: carry out each action and mark it done."),
    )
    def client_agrees(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.DRAFT_ACTION_PLAN, permission=tp_work,
        custom=declare(label="Client disagrees: revise the plan", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=2, plan=PlanOp.CLIENT_DISAGREED_REVISE,
                help="The plan returns to Draft Action Plan for revision."),
    )
    def client_disagrees(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.UNDERTAKING_ACTIONS, target=CLOSED, conditions=[all_actions_done],
        permission=tp_work,
        custom=declare(label="Close: resolved", form=f"{FORMS}.ConfirmForm", who="Owner", order=10,
                letter="RES-OUTCOME",
                message="Closed: Resolved. The outcome letter was issued.",
                help="Every action is done. The outcome letter goes to the client, signposting the Review "
                     "team, and the SR closes with resolution code Resolved."),
    )
    def close_resolved(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.resolution_code = ResolutionCode.RESOLVED
        self.closed_at = now


register(RouteSpec(
    route=Route.RESOLUTION,
    proxy=ResolutionSR,
    labels=LABELS, names=dict(S.choices),
    title="Complaint resolution (the complaints resolution team)",
    # The response clock starts when the complaint is referred to the team,
    # not when a team leader gets round to allocating it.
    on_create=CreateSteps(clocks=(StartClock(RESPONSE_RULE, start=RECEIVED),)),
    plans=PlanUse(
        edit_states=(S.DRAFT_ACTION_PLAN, S.PLAN_REJECTED), action_states=(S.UNDERTAKING_ACTIONS,),
        waiting_states=(S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL),
        senior_state=S.PENDING_SENIOR_APPROVAL, rejected_state=S.PLAN_REJECTED,
    ),
))
