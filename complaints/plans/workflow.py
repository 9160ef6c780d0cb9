"""The plan-approval steps a route takes on for its own states (DESIGN §6):
send a plan with redress for a team leader's approval, approve it (within
the grade's limit), reject it with notes, or refer it to a higher grade on
form CMSF5551. Resolution, Review, ICE and PHSO each name the states the
steps move between; the steps are the same everywhere.

    class ReviewSR(CommonTransitions, ServiceRequest):
        submit_for_approval, approve_plan, reject_plan, refer_plan = approval_steps(...)
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django_fsm import State, transition

from accounts.models import User

from ..permissions import tp_work
from ..steps import CancelClock, CloseTask, MeetClock, PlanOp, RaiseTask, StartClock, declare
from .permissions import tp_approve_plan, tp_refer_plan, tp_reject_plan
from .services import plan_ready_for_approval

FORMS = "complaints.plans.forms"


Step = Callable[..., None]


REJECTION_TASK = "plan-rejected"


def approval_steps(
    *, drafting: str | Sequence[str], pending: str, referred: str, approved: str | State, rejected: str | State,
    approve_clocks: Sequence[StartClock | MeetClock | CancelClock] = (),
    submit_help: str = "", approve_help: str = "", approved_message: str = "", order: int = 10,
) -> tuple[Step, Step, Step, Step]:
    """The four approval steps between the route's states, for its proxy
    model's class body: `drafting` (the plan is edited) → `pending` (a team
    leader decides; the assignment is locked) → `approved`, or `rejected`
    (Sub Status Rejected: a task for the caseworker with the team leader's
    notes; the plan is revised and sent again, or sent again as it is), or
    `referred` (a higher grade decides).

    A route whose plans are drafted in several states (ICE: implementing a
    closure letter, a settlement or a final report) passes them all as
    `drafting`, and for `approved` / `rejected` a django-fsm GET_STATE that
    returns the SR to the state it was sent for approval from."""
    drafted_in = [drafting] if isinstance(drafting, str) else list(drafting)
    submit_from = [*drafted_in, rejected] if isinstance(rejected, str) else drafted_in

    class PlanApprovalTransitions:
        lock_assignment: bool

        @transition(
            field="state", source=submit_from, target=pending, conditions=[plan_ready_for_approval],
            permission=tp_work,
            custom=declare(
                label="Send the plan for TL approval", form="complaints.forms.ConfirmForm", who="Owner", order=order,
                plan=PlanOp.SUBMIT, tasks=[CloseTask(REJECTION_TASK)],
                message="Plan sent for team leader approval (redress {redress}). Assignment locked until they decide.",
                help=submit_help or "The plan has financial redress, so a team leader must approve it. The SR's "
                                    "assignment is locked until they decide and the plan cannot be changed meanwhile.",
            ),
        )
        def submit_for_approval(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
            self.lock_assignment = True

        @transition(
            field="state", source=[pending, referred], target=approved, permission=tp_approve_plan,
            custom=declare(
                label="Approve the plan", form=f"{FORMS}.ApprovePlanForm", who="Team Leader (limit ≥ total)", order=1,
                plan=PlanOp.APPROVE, clocks=approve_clocks,
                message=approved_message or "Plan approved. The caseworker now agrees it with the client.",
                help=approve_help or "You approve the plan and its redress (within your grade's limit). The "
                                     "assignment is unlocked.",
            ),
        )
        def approve_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
            self.lock_assignment = False

        @transition(
            field="state", source=[pending, referred], target=rejected, permission=tp_reject_plan,
            custom=declare(
                label="Reject the plan", form=f"{FORMS}.RejectPlanForm", who="Team Leader", order=2,
                plan=PlanOp.REJECT,
                tasks=[RaiseTask(REJECTION_TASK, "Revise the plan and submit it again. {actor} rejected it: {comments}")],
                message="Plan rejected and returned to the caseworker with your notes.",
                help="The plan goes back to the caseworker (Sub Status Rejected) with your notes, as a task on "
                     "their My work, to revise and submit again. The assignment is unlocked. No letter is sent.",
            ),
        )
        def reject_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
            self.lock_assignment = False

        @transition(
            field="state", source=pending, target=referred, permission=tp_refer_plan,
            custom=declare(
                label="Refer to a higher grade (CMSF5551)", form=f"{FORMS}.ReferPlanForm", who="Team Leader",
                order=3, plan=PlanOp.REFER,
                message="Plan referred to {grade} on form {form} ({redress}). It waits on their Approvals tab.",
                help="The redress is above your grade's approval limit. Attach form CMSF5551 and the case documents "
                     "and e-mail them to a manager of the chosen grade; the plan then waits on the Approvals tab of "
                     "those who may approve it. The assignment stays locked.",
            ),
        )
        def refer_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
            pass

    steps = PlanApprovalTransitions
    return steps.submit_for_approval, steps.approve_plan, steps.reject_plan, steps.refer_plan
