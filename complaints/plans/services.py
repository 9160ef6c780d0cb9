"""Resolution plans and their approval (DESIGN §6), shared by every route.

Editing a plan that is no longer a draft starts a new revision and voids
any approval of the old one, so a team leader's decision always refers to
exactly what they saw. While a plan waits for approval it cannot be edited
(and the route's transition has locked the SR's assignment).

Two kinds of function live here:
- `plan_*` edits, called by the Plan tab's views: each runs in its own
  transaction, locks the SR, checks the user and the state, writes the
  audit event;
- helpers called by a route's transition effects (submit_plan,
  decide_plan, refer_plan, decide_disagreement, set_client_approval),
  which run inside the transition's transaction.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Grade, Team, User
from workdays.calendar import LATEST_ENTRY

from ..models import (
    ActionKind,
    ClientApproval,
    PlanAction,
    PlanApproval,
    PlanContributor,
    PlanReason,
    PlanStatus,
    ResolutionPlan,
    ServiceRequest,
)
from ..permissions import can_work, fsm_condition
from ..pipeline import StepContext, after_transition, handles_plans, run_step, task_completer
from ..routes import as_route, spec_for
from ..services.audit import record_event
from ..services.cases import create_service_request
from ..services.errors import NotPermitted, ServiceError
from ..steps import CloseTask, FixedDate, PlanOp, PlanUse, RaiseTask
from .permissions import approval_limit, drafted_or_edited
from .selectors import forget_plan_facts, plan_facts

CMSF5551 = "CMSF5551"
NO_PLANS = PlanUse()
LOCKED_STATUSES = (PlanStatus.PENDING_APPROVAL, PlanStatus.REFERRED)


def current_plan(sr: ServiceRequest) -> ResolutionPlan | None:
    return sr.plans.order_by("-revision").first()


def _new_revision(sr: ServiceRequest, actor: User, now: datetime, source: ResolutionPlan | None) -> ResolutionPlan:
    revision = (source.revision + 1) if source else 1
    plan = ResolutionPlan.objects.create(sr=sr, revision=revision, drafted_by=actor, created_at=now)
    if source is not None:
        # Four eyes across revisions: whoever wrote the content copied here
        # stays one of its authors (and may not approve it).
        PlanContributor.objects.bulk_create(
            [PlanContributor(plan=plan, user_id=user_id)
             for user_id in source.contributors.values_list("user_id", flat=True)] +
            [PlanContributor(plan=plan, user_id=source.drafted_by_id)], ignore_conflicts=True)
        # Copy reasons and their actions so the new revision starts from the old.
        for reason in source.reasons.prefetch_related("actions"):
            new_reason = PlanReason.objects.create(
                plan=plan, grounds=reason.grounds, comments=reason.comments, position=reason.position,
                copied_from=reason,
            )
            for action in reason.actions.all():
                PlanAction.objects.create(
                    plan=plan, reason=new_reason, description=action.description, kind=action.kind,
                    due_on=action.due_on, done=action.done, done_at=action.done_at, amount=action.amount,
                    child_sr=action.child_sr, comments=action.comments, position=action.position,
                    copied_from=action,
                )
        voided = PlanApproval.objects.filter(plan=source, voided_at__isnull=True).update(voided_at=now)
        if source.status != PlanStatus.REJECTED:
            source.status = PlanStatus.SUPERSEDED
            source.save(update_fields=["status"])
        record_event(sr=sr, actor=actor, verb="plan_revised", now=now, revision=revision,
                     previous_revision=source.revision, approvals_voided=voided,
                     message=(f"Revision {revision} started; the approval of revision {source.revision} is void "
                              "and the plan needs approving again." if voided else f"Revision {revision} started."))
    else:
        record_event(sr=sr, actor=actor, verb="plan_started", now=now, revision=revision)
    forget_plan_facts(sr)
    return plan


def editable_plan(*, sr: ServiceRequest, actor: User, now: datetime) -> ResolutionPlan:
    """The draft to edit: the current plan if it is a draft, otherwise a
    new revision copied from it (voiding its approval)."""
    plan = current_plan(sr)
    if plan is None or not plan.is_editable:
        plan = _new_revision(sr, actor, now, plan)
    # Every edit goes through here: its author is one of the revision's.
    PlanContributor.objects.get_or_create(plan=plan, user=actor)
    return plan


def plan_use(sr: ServiceRequest) -> PlanUse:
    """The states in which the SR's route uses plans (none: no plans)."""
    return spec_for(sr.route).plans or NO_PLANS


def _lock_for_edit(sr: ServiceRequest, actor: User) -> ServiceRequest:
    """Lock the SR row and check this user may change its plan now."""
    sr = as_route(ServiceRequest.objects.select_for_update().get(pk=sr.pk))
    if not can_work(actor, sr):
        raise NotPermitted("Only the owner or a team leader can change the plan.")
    editable_states = plan_use(sr).edit_states
    plan = current_plan(sr)
    if plan is not None and plan.status in LOCKED_STATUSES:
        raise ServiceError("The plan is waiting for approval, so it cannot be changed until a team leader decides.")
    if sr.state not in editable_states:
        raise ServiceError(f"The plan cannot be changed while the SR is {sr.status} / {sr.sub_status or '–'}.")
    return sr


def _reason_in(plan: ResolutionPlan, reason_id: int) -> PlanReason:
    """The reason on this revision: the row itself, or its copy if a new
    revision started after the page was loaded."""
    reason = plan.reasons.filter(Q(pk=reason_id) | Q(copied_from_id=reason_id)).first()
    if reason is None:
        raise ServiceError("That reason is not on the current plan.")
    return reason


def _action_in(plan: ResolutionPlan, action_id: int) -> PlanAction:
    action = plan.actions.filter(Q(pk=action_id) | Q(copied_from_id=action_id)).first()
    if action is None:
        raise ServiceError("That action is not on the current plan.")
    return action


def _clean_amount(kind: str, amount: Decimal | None) -> Decimal | None:
    if kind == ActionKind.FINANCIAL_REDRESS:
        if amount is None or amount <= 0:
            raise ServiceError("Enter the redress amount in pounds, more than £0.")
        return amount
    return None


def _check_due(due_on: date, now: datetime) -> None:
    if due_on < timezone.localdate(now):
        raise ServiceError("The due date agreed with the client cannot be in the past.")
    if due_on > LATEST_ENTRY:  # the action's task counts working days to it
        raise ServiceError(f"The due date agreed with the client must be the same as or before "
                           f"{LATEST_ENTRY:%-d %B %Y}.")


# --- editing (Plan tab) -------------------------------------------------------


@transaction.atomic
def plan_add_reason(*, sr: ServiceRequest, actor: User, grounds: str, comments: str = "") -> PlanReason:
    now = timezone.now()
    sr = _lock_for_edit(sr, actor)
    if not grounds.strip():
        raise ServiceError("Enter the reason for the complaint.")
    plan = editable_plan(sr=sr, actor=actor, now=now)
    reason = PlanReason.objects.create(
        plan=plan, grounds=grounds.strip(), comments=comments.strip(), position=plan.reasons.count()
    )
    record_event(sr=sr, actor=actor, verb="plan_reason_added", now=now, revision=plan.revision, grounds=grounds)
    return reason


@transaction.atomic
def plan_edit_reason(*, sr: ServiceRequest, actor: User, reason_id: int, grounds: str, comments: str = "") -> PlanReason:
    now = timezone.now()
    sr = _lock_for_edit(sr, actor)
    if not grounds.strip():
        raise ServiceError("Enter the reason for the complaint.")
    plan = editable_plan(sr=sr, actor=actor, now=now)
    reason = _reason_in(plan, reason_id)
    reason.grounds, reason.comments = grounds.strip(), comments.strip()
    reason.save(update_fields=["grounds", "comments"])
    record_event(sr=sr, actor=actor, verb="plan_reason_changed", now=now, revision=plan.revision, grounds=grounds)
    return reason


@transaction.atomic
def plan_remove_reason(*, sr: ServiceRequest, actor: User, reason_id: int) -> None:
    now = timezone.now()
    sr = _lock_for_edit(sr, actor)
    plan = editable_plan(sr=sr, actor=actor, now=now)
    reason = _reason_in(plan, reason_id)
    if reason.actions.exists():
        # Never lose actions by accident: they are removed one by one.
        raise ServiceError(f"Remove the actions for “{reason.grounds}” first.")
    grounds = reason.grounds
    reason.delete()
    record_event(sr=sr, actor=actor, verb="plan_reason_removed", now=now, revision=plan.revision, grounds=grounds)


@transaction.atomic
def plan_add_action(
    *, sr: ServiceRequest, actor: User, reason_id: int, description: str, kind: str, due_on: date,
    amount: Decimal | None = None,
) -> PlanAction:
    now = timezone.now()
    sr = _lock_for_edit(sr, actor)
    amount = _clean_amount(kind, amount)
    _check_due(due_on, now)
    if not description.strip():
        raise ServiceError("Describe the action.")
    plan = editable_plan(sr=sr, actor=actor, now=now)
    reason = _reason_in(plan, reason_id)
    action = PlanAction.objects.create(
        plan=plan, reason=reason, description=description.strip(), kind=kind, due_on=due_on, amount=amount,
        position=plan.actions.count(),
    )
    record_event(sr=sr, actor=actor, verb="plan_action_added", now=now, revision=plan.revision,
                 description=description, kind=kind, amount=str(amount) if amount else None, due_on=str(due_on))
    forget_plan_facts(sr)
    return action


@transaction.atomic
def plan_edit_action(
    *, sr: ServiceRequest, actor: User, action_id: int, reason_id: int, description: str, kind: str, due_on: date,
    amount: Decimal | None = None,
) -> PlanAction:
    now = timezone.now()
    sr = _lock_for_edit(sr, actor)
    amount = _clean_amount(kind, amount)
    if not description.strip():
        raise ServiceError("Describe the action.")
    plan = editable_plan(sr=sr, actor=actor, now=now)
    action = _action_in(plan, action_id)
    if due_on != action.due_on:
        _check_due(due_on, now)
    action.reason = _reason_in(plan, reason_id)
    action.description, action.kind, action.due_on, action.amount = description.strip(), kind, due_on, amount
    action.save(update_fields=["reason", "description", "kind", "due_on", "amount"])
    record_event(sr=sr, actor=actor, verb="plan_action_changed", now=now, revision=plan.revision,
                 description=description, kind=kind, amount=str(amount) if amount else None, due_on=str(due_on))
    forget_plan_facts(sr)
    return action


@transaction.atomic
def plan_remove_action(*, sr: ServiceRequest, actor: User, action_id: int) -> None:
    now = timezone.now()
    sr = _lock_for_edit(sr, actor)
    plan = editable_plan(sr=sr, actor=actor, now=now)
    action = _action_in(plan, action_id)
    description = action.description
    action.delete()
    record_event(sr=sr, actor=actor, verb="plan_action_removed", now=now, revision=plan.revision,
                 description=description)
    forget_plan_facts(sr)


# --- carrying out the actions -----------------------------------------------


def _lock_for_actions(sr: ServiceRequest, actor: User) -> tuple[ServiceRequest, ResolutionPlan]:
    sr = as_route(ServiceRequest.objects.select_for_update().select_related("client").get(pk=sr.pk))
    if not can_work(actor, sr):
        raise NotPermitted("Only the owner or a team leader can update the plan's actions.")
    if sr.state not in plan_use(sr).action_states:
        raise ServiceError("Actions can be updated only while the SR is undertaking its actions.")
    plan = current_plan(sr)
    if plan is None:
        raise ServiceError("The SR has no resolution plan.")
    return sr, plan


@transaction.atomic
def plan_mark_action_done(*, sr: ServiceRequest, actor: User, action_id: int) -> PlanAction:
    now = timezone.now()
    sr, plan = _lock_for_actions(sr, actor)
    action = _action_in(plan, action_id)
    if action.done:
        raise ServiceError("That action is already done.")
    action.done = True
    action.done_at = now
    action.save(update_fields=["done", "done_at"])
    record_event(sr=sr, actor=actor, verb="plan_action_done", now=now, revision=plan.revision,
                 description=action.description)
    run_step(CloseTask(ACTION_TASK, key=str(action.pk)), StepContext(sr=sr, actor=actor, now=now, data={}))
    forget_plan_facts(sr)
    return action


# --- the agreed plan's actions as the owner's tasks ------------------------------

ACTION_TASK = "plan-action"


@after_transition
def sync_action_tasks(ctx: StepContext) -> None:
    """While an SR undertakes its agreed plan, each action not yet done is a
    task for the SR's owner, due when the action is due: the activity-plan
    steps on My work. Entering that state raises them; leaving it (closed,
    withdrawn, sent back for revision) closes those still open."""
    sr = ctx.sr
    action_states = plan_use(sr).action_states
    entering, leaving = sr.state in action_states, ctx.from_state in action_states
    if entering and not leaving:
        plan = current_plan(sr)
        for action in plan.actions.filter(done=False) if plan is not None else ():
            run_step(RaiseTask(ACTION_TASK, title=f"Plan action: {action.description}", key=str(action.pk),
                               due=FixedDate(action.due_on)), ctx)
    elif leaving and not entering:
        run_step(CloseTask(ACTION_TASK), ctx)


@task_completer(ACTION_TASK)
def _complete_action_task(*, task: Any, actor: User, now: datetime) -> None:
    """"Mark as done" on a plan-action task marks the action done on the plan."""
    plan_mark_action_done(sr=task.sr, actor=actor, action_id=int(task.key.partition(":")[2]))


@transaction.atomic
def plan_note_action_progress(*, sr: ServiceRequest, actor: User, action_id: int, comments: str) -> PlanAction:
    """Seed 001 step 22: update the resolution actions, adding comments."""
    now = timezone.now()
    sr, plan = _lock_for_actions(sr, actor)
    action = _action_in(plan, action_id)
    comments = comments.strip()
    if not comments:
        raise ServiceError("Enter the progress note.")
    action.comments = comments
    action.save(update_fields=["comments"])
    record_event(sr=sr, actor=actor, verb="plan_action_progress", now=now, revision=plan.revision,
                 description=action.description, comments=comments)
    return action


@transaction.atomic
def plan_raise_child_sr(
    *, sr: ServiceRequest, actor: User, action_id: int, team: Team, details: str
) -> ServiceRequest:
    """Raise a child SR to carry out one action. A Mandatory
    Reconsideration is never a child: it is a related SR."""
    now = timezone.now()
    sr, plan = _lock_for_actions(sr, actor)
    action = _action_in(plan, action_id)
    if action.child_sr is not None:
        raise ServiceError(f"A child SR ({action.child_sr.reference}) was already raised for that action.")
    if action.done:
        raise ServiceError("That action is already done.")
    # Received on the parent's date, so the child inherits the parent's
    # eligibility rather than being tested again against today.
    child = create_service_request(
        actor=actor, client=sr.client, route=team.route, team=team, received_on=sr.received_on,
        referrer=sr.referrer, parliamentary_contact=sr.parliamentary_contact, confidential=sr.confidential,
        details=details.strip() or action.description, parent=sr,
    )
    action.child_sr = child
    action.save(update_fields=["child_sr"])
    record_event(sr=sr, actor=actor, verb="plan_action_child_sr", now=now, revision=plan.revision,
                 description=action.description, child=child.reference)
    return child


# --- steps called by transition effects -------------------------------------


def submit_plan(*, sr: ServiceRequest, actor: User, now: datetime) -> ResolutionPlan:
    """A plan with redress waits for a team leader; one without is final.
    A plan a team leader rejected may be sent again as it is: as a new
    revision, so their decision stays on the one they saw."""
    plan = current_plan(sr)
    if plan is not None and plan.status == PlanStatus.REJECTED:  # sent again unchanged (plan_ready allows it)
        plan = _new_revision(sr, actor, now, plan)
    if plan is None or not plan.is_editable:
        raise ServiceError("There is no draft plan to submit.")
    if not plan.actions.exists():
        raise ServiceError("Add at least one resolution action before submitting the plan.")
    plan.status = PlanStatus.PENDING_APPROVAL if plan.has_redress else PlanStatus.FINAL
    plan.submitted_at = now
    plan.save(update_fields=["status", "submitted_at"])
    forget_plan_facts(sr)
    return plan


def plan_ready(sr: ServiceRequest) -> bool:
    """Transition condition: a draft plan with at least one action, or the
    plan a team leader rejected, which may be sent again unchanged."""
    facts = plan_facts(sr)
    resend = facts.status == PlanStatus.REJECTED and sr.state == plan_use(sr).rejected_state
    return (facts.is_draft or resend) and facts.actions > 0


def plan_needs_approval(sr: ServiceRequest) -> bool:
    return plan_facts(sr).has_redress


@fsm_condition
def plan_ready_for_approval(sr: ServiceRequest) -> bool:
    return plan_ready(sr) and plan_needs_approval(sr)


@fsm_condition
def plan_ready_without_approval(sr: ServiceRequest) -> bool:
    """A draft with actions and no redress: final once submitted."""
    return plan_ready(sr) and not plan_needs_approval(sr)


@fsm_condition
def plan_ready_for_client(sr: ServiceRequest) -> bool:
    """A draft without redress (no approval needed), or a plan already
    approved (or final) and unchanged since."""
    facts = plan_facts(sr)
    if facts.actions == 0:
        return False
    if facts.is_draft:
        return not facts.has_redress
    return facts.status in (PlanStatus.APPROVED, PlanStatus.FINAL)


@fsm_condition
def all_actions_done(sr: ServiceRequest) -> bool:
    facts = plan_facts(sr)
    return facts.actions > 0 and facts.open_actions == 0


def _waiting_plan(sr: ServiceRequest) -> ResolutionPlan:
    plan = current_plan(sr)
    if plan is None or plan.status not in LOCKED_STATUSES:
        raise ServiceError("There is no plan waiting for approval.")
    return plan


def _check_four_eyes(actor: User, sr: ServiceRequest) -> None:
    if drafted_or_edited(actor, sr):
        raise NotPermitted("You wrote part of this plan (in this revision or an earlier one it was copied from), "
                           "so someone else must decide on it.")


def decide_plan(
    *, sr: ServiceRequest, actor: User, now: datetime, approved: bool, amount: Decimal, comments: str
) -> PlanApproval:
    """A team leader's approval or rejection, inside the transition's
    transaction. The transition's permission already refused these cases;
    they are checked again here because this is where the money is."""
    plan = _waiting_plan(sr)
    _check_four_eyes(actor, sr)
    total = plan.redress_total
    if approved:
        if amount != total:
            raise ServiceError(f"The amount approved must equal the plan's redress total, £{total:,.2f}.")
        limit = approval_limit(actor)
        if total > limit:
            raise NotPermitted(
                f"£{total:,.2f} is above your approval limit of £{limit:,.2f}. "
                f"Refer it to a higher grade on form {CMSF5551} instead."
            )
    plan.status = PlanStatus.APPROVED if approved else PlanStatus.REJECTED
    plan.save(update_fields=["status"])
    forget_plan_facts(sr)
    return PlanApproval.objects.create(
        plan=plan, decided_by=actor, decision=PlanApproval.Decision.APPROVED if approved else PlanApproval.Decision.REJECTED,
        amount=amount if approved else total, comments=comments, decided_at=now,
    )


def grades_for_referral(total: Decimal, actor: User) -> list[Grade]:
    """Grades above the actor's whose limit covers the total, lowest first."""
    rank = actor.grade.rank if actor.grade is not None else -1
    return list(Grade.objects.filter(approval_limit__gte=total, rank__gt=rank).order_by("rank"))


def refer_plan(
    *, sr: ServiceRequest, actor: User, now: datetime, grade: Grade, comments: str, form_reference: str = CMSF5551
) -> PlanApproval:
    """Seed 001 step 14: the TL is not of a sufficient grade, so form
    CMSF5551 goes to a manager of the right grade. (PHSO refers on CSF783
    for a reimbursement or CSF824 for a special payment: the step's form
    names it.)"""
    plan = _waiting_plan(sr)
    if plan.status != PlanStatus.PENDING_APPROVAL:
        raise ServiceError("The plan has already been referred to a higher grade.")
    total = plan.redress_total
    if approval_limit(actor) >= total:
        raise ServiceError(f"£{total:,.2f} is within your approval limit: approve or reject it yourself.")
    if grade.approval_limit < total:
        raise ServiceError(f"{grade} may approve up to £{grade.approval_limit:,.2f}; the plan's total is £{total:,.2f}.")
    plan.status = PlanStatus.REFERRED
    plan.save(update_fields=["status"])
    forget_plan_facts(sr)
    return PlanApproval.objects.create(
        plan=plan, decided_by=actor, decision=PlanApproval.Decision.REFERRED, amount=total,
        comments=comments, form_reference=form_reference, referred_to_grade=grade, decided_at=now,
    )


def decide_disagreement(
    *, sr: ServiceRequest, actor: User, now: datetime, go_ahead: bool, comments: str
) -> PlanApproval:
    """Seed 001 steps 18–21: the client disagreed with the plan; a team
    leader decides to go ahead with it anyway, or to have it revised (the
    plan is then rejected and the next edit starts a new revision)."""
    plan = current_plan(sr)
    if plan is None or plan.client_approved != ClientApproval.NO:
        raise ServiceError("The client has not disagreed with the current plan.")
    _check_four_eyes(actor, sr)
    if not go_ahead:
        plan.status = PlanStatus.REJECTED
        plan.save(update_fields=["status"])
        forget_plan_facts(sr)
    return PlanApproval.objects.create(
        plan=plan, decided_by=actor,
        decision=PlanApproval.Decision.GO_AHEAD if go_ahead else PlanApproval.Decision.REVISE,
        amount=plan.redress_total, comments=comments, decided_at=now,
    )


def return_plan_after_disagreement(*, sr: ServiceRequest) -> None:
    """The client disagreed and the plan goes back to be revised (the
    Resolution route has no team-leader decision in between): it is no
    longer final, and the next change starts a new revision."""
    plan = current_plan(sr)
    if plan is not None and plan.status in (PlanStatus.FINAL, PlanStatus.APPROVED):
        plan.status = PlanStatus.REJECTED
        plan.save(update_fields=["status"])
        forget_plan_facts(sr)


def set_client_approval(*, sr: ServiceRequest, agreed: bool | None) -> None:
    """Client Approved: yes, no, or (None) not asked — e.g. no reply."""
    plan = current_plan(sr)
    if plan is not None:
        plan.client_approved = {True: ClientApproval.YES, False: ClientApproval.NO}.get(
            agreed, ClientApproval.NOT_ASKED)  # type: ignore[arg-type]
        plan.save(update_fields=["client_approved"])


@handles_plans
def plan_step(op: PlanOp, ctx: StepContext) -> None:
    """The plan operation a transition declares (`plan=PlanOp.…`), inside
    its transaction; the form's fields give the amount, grade and notes."""
    sr, actor, now, data = ctx.sr, ctx.actor, ctx.now, ctx.data
    comments = str(data.get("comments") or "")
    if op is PlanOp.SUBMIT:
        # A draft is submitted (waiting for approval if it has redress, else
        # final); a rejected one is sent again as a new revision; a plan
        # already approved goes to the client as it is.
        plan = current_plan(sr)
        if plan is not None and (plan.is_editable or plan.status == PlanStatus.REJECTED):
            plan = submit_plan(sr=sr, actor=actor, now=now)
        ctx.values["redress"] = f"£{plan.redress_total:,.2f}" if plan is not None else "£0.00"
    elif op in (PlanOp.APPROVE, PlanOp.REJECT):
        waiting = _waiting_plan(sr)
        approved = op is PlanOp.APPROVE
        decide_plan(sr=sr, actor=actor, now=now, approved=approved,
                    amount=data["amount"] if approved else waiting.redress_total, comments=comments)
    elif op is PlanOp.REFER:
        approval = refer_plan(sr=sr, actor=actor, now=now, grade=data["grade"], comments=comments,
                              form_reference=str(data.get("form_reference") or CMSF5551))
        ctx.values.update(grade=str(approval.referred_to_grade), form=approval.form_reference,
                          redress=f"£{approval.amount:,.2f}")
    elif op in (PlanOp.CLIENT_AGREED, PlanOp.CLIENT_DISAGREED, PlanOp.CLIENT_DISAGREED_REVISE):
        set_client_approval(sr=sr, agreed=op is PlanOp.CLIENT_AGREED)
        if op is PlanOp.CLIENT_DISAGREED_REVISE:
            return_plan_after_disagreement(sr=sr)
    elif op in (PlanOp.GO_AHEAD, PlanOp.REVISE):
        decide_disagreement(sr=sr, actor=actor, now=now, go_ahead=op is PlanOp.GO_AHEAD, comments=comments)
