"""Review route (complaint review team; seed 001 steps 1–31, DESIGN §5).

The state table, its (Status, Sub Status, Stage) labels and the @transition
methods, each declaring its steps (clocks, tasks, plan, letter) next to its
label: complaints.pipeline runs them in the transition's transaction.
Methods change only their own row. docs/workflows.md shows the route as a
table generated from these declarations.

    pending_assignment -[TL] allocate-> in_progress
    in_progress: 6-month check fails -> reject_out_of_time -> closed Rejected
                 (or [TL] accept_late, with the reason recorded)
                 enquiry only -> close_enquiry -> closed No Action Taken
                 client not reached by phone -> client_not_reached (clock
                 review.acknowledge) -> send_acknowledgement (CMSL5829)
                 no further action -> no_further_action (CMSL5800, 7-day
                 wait) -> awaiting_client_reply -> closed No Action Taken
                 further action -> start_plan -> draft_action_plan
    draft_action_plan: redress -> submit_for_approval -> pending_tl_approval
                 (assignment locked) -[TL] approve_plan -> plan_approved
                 | reject_plan -> plan_rejected (Sub Status Rejected; the plan
                 is revised there and submitted again, or sent again as it is)
                 | refer_plan (CMSF5551) -> pending_senior_approval
                 -[higher grade] approve_plan / reject_plan
                 no redress (or approved) -> send_plan_to_client (CMSL5801,
                 7-day wait) -> awaiting_client_agreement
    awaiting_client_agreement: agrees / no reply -> undertaking_actions;
                 disagrees -> pending_tl_decision -[TL] go_ahead (CMSL5803)
                 -> undertaking_actions | revise_plan (CMSL5804) -> draft
    undertaking_actions: all done -> close_client_ok (CMSL5806)
                 | close_client_not_ok (CMSL5807 + CMSB0011)
                 | send_closure_letter (CMSL5805, 14-day wait)
                 -> awaiting_closure_agreement -> the two closures, or
                 closure_no_reply once the wait is over
"""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import transition

from accounts.models import User

from ..facts import clock_facts, letters_issued
from ..models.core import ResolutionCode, Route, ServiceRequest
from ..permissions import fsm_condition, tp_allocate, tp_work
from ..pipeline import StepContext
from ..plans.permissions import (
    tp_decide,
    tp_override_time_limit,
)
from ..plans.services import all_actions_done, plan_ready_for_client
from ..plans.workflow import REJECTION_TASK, approval_steps
from ..review_selectors import (
    ACKNOWLEDGE_RULE,
    ACKNOWLEDGEMENT_LETTER,
    CLIENT_REPLY_RULE,
    CLOSURE_REPLY_RULE,
    eligibility,
    forget_review_facts,
    review_facts,
    wait_over,
)
from ..routes import CLOSED, Labels, RouteSpec, register
from ..services.audit import record_event
from ..steps import (
    ClockDue,
    CloseTask,
    EventDate,
    MeetClock,
    PlanOp,
    PlanUse,
    RaiseTask,
    StartClock,
    declare,
)
from .common import CommonTransitions


class S(models.TextChoices):
    PENDING_ASSIGNMENT = "pending_assignment", "Pending assignment"
    IN_PROGRESS = "in_progress", "In progress"
    AWAITING_CLIENT_REPLY = "awaiting_client_reply", "Awaiting client reply (no further action)"
    DRAFT_ACTION_PLAN = "draft_action_plan", "Draft action plan"
    PLAN_REJECTED = "plan_rejected", "Plan rejected by a team leader"
    PENDING_TL_APPROVAL = "pending_tl_approval", "Pending TL approval"
    PENDING_SENIOR_APPROVAL = "pending_senior_approval", "Referred to a higher grade"
    PLAN_APPROVED = "plan_approved", "Plan approved"
    AWAITING_CLIENT_AGREEMENT = "awaiting_client_agreement", "Awaiting client agreement"
    PENDING_TL_DECISION = "pending_tl_decision", "Client disagrees: TL decision"
    UNDERTAKING_ACTIONS = "undertaking_actions", "Undertaking actions"
    AWAITING_CLOSURE_AGREEMENT = "awaiting_closure_agreement", "Awaiting closure agreement"
    CLOSED = CLOSED, "Closed"


# Spelled as the seed spells them: caseworkers search for these.
LABELS = {
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Acknowledge Issue"),
    S.IN_PROGRESS: Labels("In Progress", "In Progress", "Acknowledge Issue"),
    S.AWAITING_CLIENT_REPLY: Labels("Wait", "Wait", "Resolution"),
    S.DRAFT_ACTION_PLAN: Labels("In Progress", "Draft Action Plan", "Resolution"),
    S.PLAN_REJECTED: Labels("In Progress", "Rejected", "Resolution"),
    S.PENDING_TL_APPROVAL: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    S.PENDING_SENIOR_APPROVAL: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    S.PLAN_APPROVED: Labels("In Progress", "Approved", "Resolution"),
    S.AWAITING_CLIENT_AGREEMENT: Labels("Wait", "Wait", "Resolution"),
    S.PENDING_TL_DECISION: Labels("Pending Approval", "Pending TL Approval", "Resolution"),
    S.UNDERTAKING_ACTIONS: Labels("In Progress", "Undertake Actions Prescribed", "Resolution"),
    S.AWAITING_CLOSURE_AGREEMENT: Labels("Wait", "Wait", "Resolution"),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}

FORMS = "complaints.forms"
PLAN_FORMS = "complaints.plans.forms"


ACK_TASK = "review-ack"
# The acknowledgement deadline counts from allocation (2 working days).
ALLOCATED = EventDate("allocate", "the day the SR was allocated")


# --- conditions (reads only) --------------------------------------------------

def eligible(sr: ServiceRequest) -> bool:
    return review_facts(sr).eligible


@fsm_condition
def not_eligible(sr: ServiceRequest) -> bool:
    return not review_facts(sr).eligible


def acknowledged(sr: ServiceRequest) -> bool:
    return ACKNOWLEDGEMENT_LETTER in letters_issued(sr)


@fsm_condition
def can_acknowledge(sr: ServiceRequest) -> bool:
    """CMSL5829 not yet sent."""
    return eligible(sr) and not acknowledged(sr)


@fsm_condition
def acknowledgement_not_started(sr: ServiceRequest) -> bool:
    return can_acknowledge(sr) and ACKNOWLEDGE_RULE not in clock_facts(sr).started


@fsm_condition
def ready_to_proceed(sr: ServiceRequest) -> bool:
    """Eligible, and if the client could not be reached, CMSL5829 sent
    first (within 2 working days)."""
    return eligible(sr) and ACKNOWLEDGE_RULE not in clock_facts(sr).running_due


@fsm_condition
def client_reply_wait_over(sr: ServiceRequest) -> bool:
    return wait_over(sr, CLIENT_REPLY_RULE)


@fsm_condition
def closure_wait_over(sr: ServiceRequest) -> bool:
    return wait_over(sr, CLOSURE_REPLY_RULE)


def _close(sr: ServiceRequest, code: str, now: datetime) -> None:
    sr.resolution_code = code
    sr.closed_at = now
    sr.lock_assignment = False


# --- hand-written effects -----------------------------------------------------


def note_eligibility(ctx: StepContext) -> str:
    """Allocation tells the team leader the outcome of the 6-month check,
    which is computed from the related Resolution SR, not declared."""
    ok, message, _, _ = eligibility(ctx.sr)
    return "" if ok else f"Note: {message}"


def record_override(ctx: StepContext) -> str:
    """Every override of a time limit is in the audit trail under one name,
    whether accepted at intake or later, with the rule it overrode."""
    forget_review_facts(ctx.sr)
    record_event(sr=ctx.sr, actor=ctx.actor, verb="eligibility_overridden", now=ctx.now,
                 reason=ctx.sr.eligibility_override, rule="Review: Resolution SR closed within 6 months")
    return ""


class ReviewSR(CommonTransitions, ServiceRequest):
    ROUTE = Route.REVIEW

    class Meta:
        proxy = True
        verbose_name = "Review SR"

    # The plan-approval steps, between this route's states.
    submit_for_approval, approve_plan, reject_plan, refer_plan = approval_steps(
        drafting=S.DRAFT_ACTION_PLAN, pending=S.PENDING_TL_APPROVAL, referred=S.PENDING_SENIOR_APPROVAL,
        approved=S.PLAN_APPROVED, rejected=S.PLAN_REJECTED,
        submit_help="The plan has financial redress, so a team leader must approve it. The SR's assignment is locked "
                    "until they decide and the plan cannot be changed meanwhile. No letter yet: CMSL5801 goes to the "
                    "client once the plan is approved.",
        approve_help="You approve the plan and its redress (within your grade's limit). The assignment is unlocked and "
                     "the caseworker sends the plan to the client with CMSL5801.",
        approved_message="Plan approved. The caseworker now agrees it with the client and sends CMSL5801.",
    )

    # --- allocation and the first call (seed steps 5–6) ---------------------

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.IN_PROGRESS, permission=tp_allocate,
        custom=declare(label="Allocate", form=f"{FORMS}.AllocateForm", who="Team Leader", order=1,
                effect=note_eligibility, message="Allocated to {owner}.",
                help="The caseworker checks the 6-month limit, then calls the client to introduce themselves "
                     "and discuss the complaint. If the client cannot be reached by phone, CMSL5829 must go "
                     "out within 2 working days."),
    )
    def allocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.IN_PROGRESS, target=CLOSED, conditions=[not_eligible], permission=tp_work,
        custom=declare(label="Close: outside the 6-month limit", form=f"{FORMS}.OutOfTimeForm",
                who="Owner", order=5,
                message="Closed Rejected: outside the 6-month limit. The case returns to the owning team.",
                help="The complaint was not dealt with at Resolution within the last 6 months. The SR closes "
                     "with Resolution Code Rejected and the case returns to the owning (BAU) team. No letter "
                     "is sent from here."),
    )
    def reject_out_of_time(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.REJECTED, now)

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.IN_PROGRESS, conditions=[not_eligible],
        permission=tp_override_time_limit,
        custom=declare(label="Accept outside the 6-month limit", form=f"{FORMS}.OverrideTimeLimitForm",
                who="Team Leader", order=6,
                record=[("eligibility_override", "reason")], effect=record_override,
                message="Accepted outside the 6-month limit; your reason is recorded. The review carries on.",
                help="Your reason is recorded on the SR and its timeline. The caseworker then carries on "
                     "with the review as normal."),
    )
    def accept_late(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.IN_PROGRESS, target=CLOSED, permission=tp_work,
        custom=declare(label="Close: enquiry only", form=f"{FORMS}.EnquiryForm", who="Owner", order=40,
                message="Closed No Action Taken (enquiry only). The case returns to the owning team.",
                help="The client was only enquiring. Deal with the enquiry (create an Enquiry SR if needed). "
                     "This SR closes with Resolution Code No Action Taken and returns to the owning team. "
                     "No letter is sent."),
    )
    def close_enquiry(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.NO_ACTION, now)

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.IN_PROGRESS, conditions=[acknowledgement_not_started],
        permission=tp_work,
        custom=declare(label="Could not reach the client by phone", form=f"{FORMS}.ClientNotReachedForm",
                who="Owner", order=10,
                clocks=[StartClock(ACKNOWLEDGE_RULE, start=ALLOCATED)],
                tasks=[RaiseTask(ACK_TASK, "Send CMSL5829 to {client}: not reachable by phone", due=ClockDue(ACKNOWLEDGE_RULE))],
                message="Send CMSL5829 by {due[review.acknowledge]} (2 working days from allocation).",
                help="Starts the 2 working day deadline to send CMSL5829 (counted from allocation) and puts "
                     "a task on your My work. Send CMSL5829 before taking the next step."),
    )
    def client_not_reached(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.IN_PROGRESS, conditions=[can_acknowledge],
        permission=tp_work,
        custom=declare(label="Send acknowledgement (CMSL5829)", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=11, letter="CMSL5829",
                clocks=[StartClock(ACKNOWLEDGE_RULE, start=ALLOCATED), MeetClock(ACKNOWLEDGE_RULE)], tasks=[CloseTask(ACK_TASK)],
                message="CMSL5829 issued: the acknowledgement deadline is met.",
                help="CMSL5829 tells the client their complaint is with the review team and when we will be "
                     "in touch. Every field is filled in from the case. The acknowledgement deadline is met."),
    )
    def send_acknowledgement(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- no further action (steps 9–11) --------------------------------------

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.AWAITING_CLIENT_REPLY, conditions=[ready_to_proceed],
        permission=tp_work,
        custom=declare(label="No further action: send CMSL5800", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=20, letter="CMSL5800",
                clocks=[StartClock(CLIENT_REPLY_RULE)], message="CMSL5800 issued; 7-day wait ends {due[review.client_reply]}.",
                help="Call the client first to explain the decision and signpost ICE. CMSL5800 confirms it; "
                     "the SR then waits 7 days for the client's reply (Sub Status Wait). After that it "
                     "closes with Resolution Code No Action Taken."),
    )
    def no_further_action(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_REPLY, target=CLOSED, permission=tp_work,
        custom=declare(label="Client replied: close", form=f"{FORMS}.NoteRequiredForm", who="Owner",
                order=1,
                clocks=[MeetClock(CLIENT_REPLY_RULE)], message="Closed No Action Taken.",
                help="Advise the client of the decision and discuss the reasons. The SR closes with "
                     "Resolution Code No Action Taken and the 7-day wait ends."),
    )
    def reply_close(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.NO_ACTION, now)

    @transition(
        field="state", source=S.AWAITING_CLIENT_REPLY, target=CLOSED, conditions=[client_reply_wait_over],
        permission=tp_work,
        custom=declare(label="No reply in 7 days: close", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=2,
                clocks=[MeetClock(CLIENT_REPLY_RULE)], message="No reply in 7 days: closed No Action Taken.",
                help="The 7-day wait is over without a reply. The SR closes with Resolution Code No Action "
                     "Taken."),
    )
    def no_reply_close(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.NO_ACTION, now)

    # --- the action plan (steps 12–15) -----------------------------------------

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.DRAFT_ACTION_PLAN, conditions=[ready_to_proceed],
        permission=tp_work,
        custom=declare(label="Further action: draft an action plan", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=21,
                help="Sub Status becomes Draft Action Plan. On the Plan tab add the reasons for the complaint "
                     "and the actions that resolve them, each with a due date agreed with the client."),
    )
    def start_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass


    # --- client agreement (steps 16–21) ------------------------------------------

    @transition(
        field="state", source=[S.DRAFT_ACTION_PLAN, S.PLAN_REJECTED, S.PLAN_APPROVED],
        target=S.AWAITING_CLIENT_AGREEMENT,
        conditions=[plan_ready_for_client], permission=tp_work,
        custom=declare(label="Send the plan to the client (CMSL5801)", form=f"{FORMS}.ConfirmForm",
                who="Owner", order=11, letter="CMSL5801",
                plan=PlanOp.SUBMIT, clocks=[StartClock(CLIENT_REPLY_RULE)], tasks=[CloseTask(REJECTION_TASK)],
                message="CMSL5801 issued; 7-day wait for the client's agreement ends {due[review.client_reply]}.",
                help="Call the client to agree the plan and each action's due date first. CMSL5801 sets out "
                     "the plan; the SR then waits 7 days for the client's agreement (Sub Status Wait)."),
    )
    def send_plan_to_client(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.UNDERTAKING_ACTIONS, permission=tp_work,
        custom=declare(label="Client agrees the plan", form=f"{FORMS}.ConfirmForm", who="Owner", order=1,
                plan=PlanOp.CLIENT_AGREED, clocks=[MeetClock(CLIENT_REPLY_RULE)],
                message="Client agreed the plan. Undertake the actions and mark each one done.",
                help="Client Approved becomes Yes and the 7-day wait ends. Sub Status becomes Undertake "
                     "Actions Prescribed: carry out each action and mark it done."),
    )
    def client_agrees(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.PENDING_TL_DECISION, permission=tp_work,
        custom=declare(label="Client disagrees with the plan", form=f"{PLAN_FORMS}.ClientDisagreesForm",
                who="Owner", order=2,
                plan=PlanOp.CLIENT_DISAGREED, clocks=[MeetClock(CLIENT_REPLY_RULE)],
                message="Client Approved: No. A team leader now decides whether the plan goes ahead. Assignment locked.",
                help="Client Approved becomes No and a team leader decides: go ahead anyway (CMSL5803) or "
                     "revise the plan (CMSL5804). The assignment is locked until they decide."),
    )
    def client_disagrees(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.lock_assignment = True

    @transition(
        field="state", source=S.AWAITING_CLIENT_AGREEMENT, target=S.UNDERTAKING_ACTIONS,
        conditions=[client_reply_wait_over], permission=tp_work,
        custom=declare(label="No reply in 7 days: go ahead", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=3,
                clocks=[MeetClock(CLIENT_REPLY_RULE)],
                message="No reply from the client: undertake the actions and mark each one done.",
                help="CMSL5801 told the client we would go ahead if we did not hear from them. Sub Status "
                     "becomes Undertake Actions Prescribed."),
    )
    def no_reply_go_ahead(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.PENDING_TL_DECISION, target=S.UNDERTAKING_ACTIONS, permission=tp_decide,
        custom=declare(label="Go ahead with the plan (CMSL5803)", form=f"{PLAN_FORMS}.GoAheadForm",
                who="Team Leader", order=1, letter="CMSL5803",
                plan=PlanOp.GO_AHEAD,
                message="CMSL5803 issued: the plan goes ahead. The caseworker undertakes the actions.",
                help="The plan is approved without the client's agreement (Sub Status Approved) and will not "
                     "be revised. CMSL5803 tells the client why; the caseworker then undertakes the actions."),
    )
    def go_ahead(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.lock_assignment = False

    @transition(
        field="state", source=S.PENDING_TL_DECISION, target=S.DRAFT_ACTION_PLAN, permission=tp_decide,
        custom=declare(label="Revise the plan (CMSL5804)", form=f"{PLAN_FORMS}.RevisePlanForm",
                who="Team Leader", order=2, letter="CMSL5804",
                plan=PlanOp.REVISE,
                message="CMSL5804 issued. The plan is back with the caseworker to revise (Draft Action Plan).",
                help="The plan is rejected and goes back to Draft Action Plan for the caseworker to revise. "
                     "CMSL5804 tells the client the revised action we will take."),
    )
    def revise_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.lock_assignment = False

    # --- carrying out the plan and closing (steps 22–30) -------------------------

    @transition(
        field="state", source=S.UNDERTAKING_ACTIONS, target=S.DRAFT_ACTION_PLAN, permission=tp_work,
        custom=declare(label="Change the plan", form=f"{PLAN_FORMS}.ReopenPlanForm", who="Owner", order=30,
                message="The plan is open for changes. Editing it voids its approval; send it for approval or to the client again.",
                help="For example, when financial redress turns out to be needed. The plan "
                     "returns to Draft Action Plan; editing it voids any approval, and it goes to a team "
                     "leader and the client again."),
    )
    def reopen_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.UNDERTAKING_ACTIONS, target=S.AWAITING_CLOSURE_AGREEMENT,
        conditions=[all_actions_done], permission=tp_work,
        custom=declare(label="Could not reach the client: send CMSL5805", form=f"{FORMS}.ConfirmForm",
                who="Owner", order=12, letter="CMSL5805",
                clocks=[StartClock(CLOSURE_REPLY_RULE)],
                message="CMSL5805 issued; 14-day wait for the client's reply ends {due[review.closure_reply]}.",
                help="Every action is done but the client could not be reached by phone. CMSL5805 tells them "
                     "and asks whether the complaint can close; the SR waits 14 days (Sub Status Wait)."),
    )
    def send_closure_letter(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=[S.UNDERTAKING_ACTIONS, S.AWAITING_CLOSURE_AGREEMENT], target=CLOSED,
        conditions=[all_actions_done], permission=tp_work,
        custom=declare(label="Client agrees to closure (CMSL5806)", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=10, letter="CMSL5806",
                clocks=[MeetClock(CLIENT_REPLY_RULE), MeetClock(CLOSURE_REPLY_RULE)], message="CMSL5806 issued. Closed Actions Complete – Client OK.",
                help="CMSL5806 confirms the actions are complete. The SR closes with Resolution Code Actions "
                     "Complete – Client OK (Sub Status Complete)."),
    )
    def close_client_ok(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.COMPLETE_CLIENT_OK, now)

    @transition(
        field="state", source=[S.UNDERTAKING_ACTIONS, S.AWAITING_CLOSURE_AGREEMENT], target=CLOSED,
        conditions=[all_actions_done], permission=tp_work,
        custom=declare(label="Client does not agree to closure (CMSL5807)", form=f"{FORMS}.ConfirmForm",
                who="Owner", order=11, letter="CMSL5807",
                clocks=[MeetClock(CLIENT_REPLY_RULE), MeetClock(CLOSURE_REPLY_RULE)],
                message="CMSL5807 issued with leaflet CMSB0011. Closed Actions Complete – Client Not OK.",
                help="CMSL5807 goes with the complaints information leaflet CMSB0011. The SR closes with "
                     "Resolution Code Actions Complete – Client Not OK (Sub Status Complete)."),
    )
    def close_client_not_ok(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.COMPLETE_CLIENT_NOT_OK, now)

    @transition(
        field="state", source=S.AWAITING_CLOSURE_AGREEMENT, target=CLOSED, conditions=[closure_wait_over],
        permission=tp_work,
        custom=declare(label="No reply in 14 days: close", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=12,
                clocks=[MeetClock(CLOSURE_REPLY_RULE)], message="No reply in 14 days: closed Actions Complete – Client OK.",
                help="CMSL5805 told the client we would close the complaint if we did not hear from them. "
                     "The SR closes with Resolution Code Actions Complete – Client OK. No further letter."),
    )
    def closure_no_reply(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.COMPLETE_CLIENT_OK, now)


register(RouteSpec(
    route=Route.REVIEW,
    proxy=ReviewSR,
    labels=LABELS, names=dict(S.choices),
    title="Complaint review (the complaint review team)",
    plans=PlanUse(
        edit_states=(S.DRAFT_ACTION_PLAN, S.PLAN_REJECTED), action_states=(S.UNDERTAKING_ACTIONS,),
        waiting_states=(S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL, S.PENDING_TL_DECISION),
        senior_state=S.PENDING_SENIOR_APPROVAL, rejected_state=S.PLAN_REJECTED,
    ),
))
