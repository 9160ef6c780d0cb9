"""ICE route (internal ICE team; seed 000 steps 1–15, DESIGN §5): the state
table, its (Status, Sub Status, Stage) labels as the seed spells them, and
the @transition methods, each declaring its steps next to its label
(complaints.pipeline runs them). docs/workflows.md shows the route as a
table generated from these declarations.

    pending_assignment (ICE's e-mail logged; gateway clock, 3 working days)
      -[TL] allocate-> gateway_check
    gateway_check: criteria recorded, the app proposes pass or fail, the
      caseworker decides (against the proposal only with a reason)
      -> pass_gateway: Gateway Passed = Y, related SRs linked, 3rd Party
         Account ICE (allows CMSL5844), DG caselist, e-mail ICE -> with_ice
      -> fail_gateway: FIG logged, Gateway Passed = N, e-mail ICE, client
         acknowledgement, Resolution or Review SR raised (8-week clock) and
         a "notify ICE of complaint closure" task that closes itself, and
         e-mails ICE, when that SR closes -> closed Rejected
    with_ice: what ICE sends decides the next state, its arrival date
      recorded and the clock started from it:
      resolution plan -> resolution_reply (10 / 15 working days) -> with_ice
      closure letter -> implementing_recommendations (8 weeks)
      ROE request -> record_of_evidence (25 working days) -> with_ice
      settlement referral -> settlement (8 weeks)
      draft report -> draft_report_response (10 working days) -> with_ice
      final report -> implementing_final_report (8 weeks)
    implementing_*: a plan on the Plan tab; with redress it goes for TL
      approval (pending_tl_approval, or a higher grade) and comes back to
      the state it left; all actions done, ICE e-mailed -> with_ice
    with_ice, after actions were reported: ICE confirms -> closed Resolved
      (ICE's outcome for the client recorded), or ICE is not satisfied ->
      stays with ICE for investigation
    ad-hoc questions from ICE at any point after the gateway: a clock with
      ICE's date each (several at once), answered by e-mail.
    A closed ICE SR presented to ICE again -> a new ICE SR linked to it.
"""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import GET_STATE, transition

from accounts.models import User
from complaints.facts import clock_facts
from complaints.models import CaseEvent, PlanStatus
from complaints.models.core import ResolutionCode, Route, ServiceRequest
from complaints.permissions import fsm_condition, tp_allocate, tp_work
from complaints.plans.selectors import plan_facts
from complaints.plans.services import all_actions_done
from complaints.plans.workflow import REJECTION_TASK, approval_steps
from complaints.routes import CLOSED, Labels, RouteSpec, register
from complaints.steps import (
    RECEIVED,
    ClockDue,
    CloseTask,
    CreateSteps,
    FormDate,
    LinkSRs,
    MeetClock,
    PlanUse,
    RaiseSR,
    RaiseTask,
    SendEmail,
    StartClock,
    declare,
)
from complaints.workflows.common import CommonTransitions

from .models import IceDetails

GATEWAY_RULE = "ice.gateway"
FIG_RULE = "ice.fig_resolution"
REPLY_RULE = "ice.resolution_reply"
ADHOC_RULE = "ice.adhoc"
ROE_RULE = "ice.record_of_evidence"
DRAFT_RULE = "ice.draft_report"
RECOMMENDATIONS_RULE = "ice.recommendations"

FIG_NOTIFY_TASK = "fig-notify"
REPLY_TASK = "ice-reply"
ROE_TASK = "ice-roe"
DRAFT_TASK = "ice-draft-report"

FORMS = "ice.forms"
CONFIRM = "complaints.forms.ConfirmForm"
ARRIVED = FormDate("received_on", "the date the document arrived")


def fig_route(sr: ServiceRequest, data: dict[str, Any]) -> str:
    """A failed gateway goes back to Resolution if the complaint was never
    there, otherwise to Review."""
    at_resolution = ServiceRequest.objects.filter(client_id=sr.client_id, route=Route.RESOLUTION).exists()
    return Route.REVIEW if at_resolution else Route.RESOLUTION


# The complaint comes back to us: a Resolution or Review SR, linked, with
# 8 weeks to resolve it (else ICE may take the case); when it closes, however
# it closes, ICE is told and the ICE SR's notify task closes itself.
FAILED_GATEWAY = RaiseSR(
    route=fig_route, describe_route="Resolution (never at resolution) or Review",
    reason="Raised because ICE's gateway failed",
    steps=(StartClock(FIG_RULE, start=FormDate("fig_received_on", "the date the FIG arrived")),),
    on_close=(MeetClock(FIG_RULE),),
    origin_on_close=(
        CloseTask(FIG_NOTIFY_TASK),
        SendEmail("ice", subject="Complaint closed: {reference}",
                  body="The complaint you referred back to us under {reference} was dealt with as {raised}, "
                       "which closed on {today}: {resolution_code}."),
    ),
)


class S(models.TextChoices):
    PENDING_ASSIGNMENT = "pending_assignment", "Pending assignment"
    GATEWAY_CHECK = "gateway_check", "Gateway check"
    WITH_ICE = "with_ice", "With ICE"
    RESOLUTION_REPLY = "resolution_reply", "Resolution reply"
    IMPLEMENTING_RECOMMENDATIONS = "implementing_recommendations", "Implementing recommendations"
    RECORD_OF_EVIDENCE = "record_of_evidence", "Record of evidence"
    SETTLEMENT = "settlement", "Settlement"
    DRAFT_REPORT_RESPONSE = "draft_report_response", "Draft report response"
    IMPLEMENTING_FINAL_REPORT = "implementing_final_report", "Implementing final report"
    PENDING_TL_APPROVAL = "pending_tl_approval", "Pending TL approval"
    PENDING_SENIOR_APPROVAL = "pending_senior_approval", "Referred to a higher grade"
    CLOSED = CLOSED, "Closed"


IMPLEMENT = "Implement ICE Recommendations"
# Spelled as the seed spells them: caseworkers search for these.
LABELS = {
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Gateway"),
    S.GATEWAY_CHECK: Labels("In Progress", "In Progress", "Gateway"),
    S.WITH_ICE: Labels("Wait", "With ICE", "ICE Investigation"),
    S.RESOLUTION_REPLY: Labels("In Progress", "Resolution", "Resolution"),
    S.IMPLEMENTING_RECOMMENDATIONS: Labels("In Progress", "Resolution", IMPLEMENT),
    S.RECORD_OF_EVIDENCE: Labels("In Progress", "Record Of Evidence", "Record Of Evidence"),
    S.SETTLEMENT: Labels("In Progress", "Settlement", IMPLEMENT),
    S.DRAFT_REPORT_RESPONSE: Labels("In Progress", "Investigation", "ICE Investigation"),
    S.IMPLEMENTING_FINAL_REPORT: Labels("In Progress", "Investigation", IMPLEMENT),
    S.PENDING_TL_APPROVAL: Labels("Pending Approval", "Pending Approval -TL", IMPLEMENT),
    S.PENDING_SENIOR_APPROVAL: Labels("Pending Approval", "Pending Approval -TL", IMPLEMENT),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}

IMPLEMENTING = (S.IMPLEMENTING_RECOMMENDATIONS, S.SETTLEMENT, S.IMPLEMENTING_FINAL_REPORT)
# After the gateway: where ICE's ad-hoc questions may arrive.
AFTER_GATEWAY = (S.WITH_ICE, S.RESOLUTION_REPLY, *IMPLEMENTING, S.RECORD_OF_EVIDENCE, S.DRAFT_REPORT_RESPONSE,
                 S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL)
# The steps that bring the SR back With ICE, and the ones that start implementing.
BACK_WITH_ICE = ("pass_gateway", "resolution_reply_sent", "actions_done", "roe_sent", "draft_report_response_sent",
                 "not_satisfied")
STARTS_IMPLEMENTING = ("closure_letter_received", "settlement_referred", "final_report_received")


# --- conditions (reads only) --------------------------------------------------


def _latest(sr: ServiceRequest, verbs: tuple[str, ...]) -> CaseEvent | None:
    return CaseEvent.objects.filter(sr_id=sr.pk, verb__in=verbs).order_by("-created_at", "-id").first()


@fsm_condition
def actions_reported(sr: ServiceRequest) -> bool:
    """ICE can confirm the case finished only after we told them the
    recommended actions were done (not straight after the gateway, nor
    after a reply or the record of evidence)."""
    latest = _latest(sr, BACK_WITH_ICE)
    return latest is not None and latest.verb == "actions_done"


@fsm_condition
def recommendations_done(sr: ServiceRequest) -> bool:
    """Every action of the plan is done, at least one action was added for
    what ICE sent this time, and redress (if any) was approved."""
    facts = plan_facts(sr)
    if not all_actions_done(sr):
        return False
    if facts.redress_actions and facts.status != PlanStatus.APPROVED:
        return False
    started = _latest(sr, STARTS_IMPLEMENTING)
    added = CaseEvent.objects.filter(sr_id=sr.pk, verb="plan_action_added")
    # Events are appended in order: an id after the document's is later.
    return (added.filter(pk__gt=started.pk) if started is not None else added).exists()


@fsm_condition
def adhoc_open(sr: ServiceRequest) -> bool:
    return ADHOC_RULE in clock_facts(sr).running_due


def back_from_approval(sr: ServiceRequest, *args: Any, **kwargs: Any) -> str:
    """A plan decided on goes back to the state it was sent for approval
    from (implementing a closure letter, a settlement or a final report)."""
    event = _latest(sr, ("submit_for_approval",))
    state = event.from_state if event is not None else ""
    return state if state in IMPLEMENTING else S.IMPLEMENTING_RECOMMENDATIONS


BACK = GET_STATE(back_from_approval, states=list(IMPLEMENTING))


def _close(sr: ServiceRequest, code: str, now: datetime) -> None:
    sr.resolution_code = code
    sr.closed_at = now
    sr.lock_assignment = False


class IceSR(CommonTransitions, ServiceRequest):
    gateway_passed: bool | None
    dg_caselist: bool

    ROUTE = Route.ICE

    class Meta:
        proxy = True
        verbose_name = "ICE SR"

    # The plan-approval steps (seed 000 steps 12, 15 and the final report):
    # a plan with redress waits for a team leader and comes back to the
    # state it left.
    submit_for_approval, approve_plan, reject_plan, refer_plan = approval_steps(
        drafting=IMPLEMENTING, pending=S.PENDING_TL_APPROVAL, referred=S.PENDING_SENIOR_APPROVAL,
        approved=BACK, rejected=BACK, order=20,
        submit_help="The plan has financial redress, so a team leader must approve it (Pending Approval -TL). The "
                    "SR's assignment is locked until they decide and the plan cannot be changed meanwhile.",
        approve_help="You approve the plan and its redress (within your grade's limit). The SR goes back to "
                     "implementing ICE's recommendations and the assignment is unlocked.",
        approved_message="Plan approved. The caseworker now carries out the actions.",
    )

    # --- allocation and the gateway (seed 000 steps 1–7) ------------------------

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.GATEWAY_CHECK, permission=tp_allocate,
        custom=declare(label="Allocate", form="complaints.forms.AllocateForm", who="Team Leader", order=1,
                message="Allocated to {owner}.",
                help="The caseworker checks the ICE gateway criteria; the 3 working day gateway deadline "
                     "keeps running from the day ICE's e-mail was logged."),
    )
    def allocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.GATEWAY_CHECK, target=S.WITH_ICE, permission=tp_work,
        custom=declare(
            label="Gateway passed", form=f"{FORMS}.PassGatewayForm", who="Owner", order=10,
            record=["ice_reference", "final_response_sr", "final_response_on", "contacted_ice_on", "mp_clearance_on",
                    "referred_by_phso", "client_gave_copy", "gateway_proposal", "gateway_override_reason",
                    "third_party_account"],
            clocks=[MeetClock(GATEWAY_RULE)],
            links=[LinkSRs("related_srs", "Related to the complaint ICE is looking at")],
            emails=[SendEmail("ice", subject="Gateway passed: your reference {ice_reference}",
                              body="The complaint you sent us under your reference {ice_reference} (our reference "
                                   "{reference}) has passed the ICE gateway. A copy of the final response follows."
                                   "\n\n{gateway_findings}")],
            message="Gateway Passed: Y. {gateway_findings} The SR waits with ICE and is on the DG caselist.",
            help="Record the gateway criteria; the app says whether they are met. Gateway Passed becomes Y, the "
                 "related SRs are linked, the 3rd Party Account becomes ICE (so CMSL5844 can be sent), the SR goes "
                 "on the DG caselist and ICE is e-mailed. The SR then waits with ICE (Wait / With ICE / ICE "
                 "Investigation)."),
    )
    def pass_gateway(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.gateway_passed = True
        self.dg_caselist = True

    @transition(
        field="state", source=S.GATEWAY_CHECK, target=CLOSED, permission=tp_work,
        custom=declare(
            label="Gateway failed: log the FIG", form=f"{FORMS}.FailGatewayForm", who="Owner", order=20,
            letter="ICE-FIG-ACK",
            record=["ice_reference", "final_response_sr", "final_response_on", "contacted_ice_on", "mp_clearance_on",
                    "referred_by_phso", "client_gave_copy", "gateway_proposal", "gateway_override_reason",
                    "fig_received_on"],
            clocks=[MeetClock(GATEWAY_RULE)], raise_sr=FAILED_GATEWAY,
            tasks=[RaiseTask(FIG_NOTIFY_TASK, "Notify ICE of complaint closure ({raised})")],
            emails=[SendEmail("ice", subject="Failed gateway logged: your reference {ice_reference}",
                              body="We have logged your failed ICE gateway notification for our reference "
                                   "{reference} (your reference {ice_reference}). The complaint has been passed to "
                                   "our complaints process as {raised}, to be resolved within 8 weeks. We will "
                                   "tell you when it closes.")],
            message="Gateway Passed: N. {gateway_findings} Closed Rejected; {raised} is raised for the complaint and "
                    "ICE is e-mailed.",
            help="ICE's failed gateway notification (FIG) has arrived. Gateway Passed becomes N and the SR closes "
                 "Rejected. The app raises a Resolution SR (never at resolution) or a Review SR, linked, with 8 weeks "
                 "to resolve the complaint; the client is sent the acknowledgement and ICE is e-mailed. A task to "
                 "notify ICE of the complaint's closure stays open until that SR closes, then closes itself."),
    )
    def fail_gateway(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.gateway_passed = False
        _close(self, ResolutionCode.REJECTED, now)

    # --- resolution (seed 000 steps 8–9) -------------------------------------------

    @transition(
        field="state", source=S.WITH_ICE, target=S.RESOLUTION_REPLY, permission=tp_work,
        custom=declare(
            label="ICE sent a resolution plan", form=f"{FORMS}.ResolutionPlanReceivedForm", who="Owner", order=10,
            clocks=[StartClock(REPLY_RULE, start=ARRIVED, longer_if="chronology_requested")],
            tasks=[RaiseTask(REPLY_TASK, "Reply to ICE's resolution plan for {client}", due=ClockDue(REPLY_RULE))],
            message="Resolution plan logged as received. Reply due {due[ice.resolution_reply]}.",
            help="Log ICE's resolution plan as received, with the date it arrived. The reply is due in 10 working "
                 "days, or 15 if ICE asked for a chronology (In Progress / Resolution / Resolution)."),
    )
    def resolution_plan_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.RESOLUTION_REPLY, target=S.WITH_ICE, permission=tp_work,
        custom=declare(
            label="Reply sent to ICE", form=f"{FORMS}.ReplySentForm", who="Owner", order=10,
            clocks=[MeetClock(REPLY_RULE)], tasks=[CloseTask(REPLY_TASK)],
            emails=[SendEmail("ice", subject="Our reply to your resolution plan: {reference}", body="{reply}")],
            message="Reply e-mailed to ICE. The SR waits with ICE.",
            help="Your reply is e-mailed to ICE and kept on the timeline. The SR waits with ICE (Wait / With ICE)."),
    )
    def resolution_reply_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- ad-hoc questions, at any point after the gateway --------------------------

    @transition(
        field="state", source=list(AFTER_GATEWAY), target=None, permission=tp_work,
        custom=declare(
            label="ICE asked an ad-hoc question", form=f"{FORMS}.AdhocQuestionForm", who="Owner", order=60,
            clocks=[StartClock(ADHOC_RULE, start=ARRIVED, due=FormDate("reply_due_on", "the date ICE set"),
                               label_field="question")],
            message="Question logged: answer due {due[ice.adhoc]}, the date ICE set.",
            help="Each question is its own deadline, due on the date ICE set; several may be open at once."),
    )
    def adhoc_question(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=list(AFTER_GATEWAY), target=None, conditions=[adhoc_open], permission=tp_work,
        custom=declare(
            label="Answer ICE's question", form=f"{FORMS}.AdhocAnsweredForm", who="Owner", order=61,
            clocks=[MeetClock(ADHOC_RULE, which="question_clock_id")],
            emails=[SendEmail("ice", subject="Your question on {reference}: {question}", body="{reply}")],
            message="Answer e-mailed to ICE.",
            help="Your answer is e-mailed to ICE and kept on the timeline; that question's deadline is met."),
    )
    def adhoc_answered(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- closure letter, settlement and final report: implementing ---------------

    @transition(
        field="state", source=S.WITH_ICE, target=S.IMPLEMENTING_RECOMMENDATIONS, permission=tp_work,
        custom=declare(
            label="ICE sent a closure letter", form=f"{FORMS}.DocumentReceivedForm", who="Owner", order=11,
            clocks=[StartClock(RECOMMENDATIONS_RULE, start=ARRIVED)],
            message="Closure letter logged as received. Recommended actions due {due[ice.recommendations]}.",
            help="The client agreed the resolution. Log the closure letter as received; its recommended actions are "
                 "due within 8 weeks. Put them in a resolution plan on the Plan tab (In Progress / Resolution / "
                 "Implement ICE Recommendations)."),
    )
    def closure_letter_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.WITH_ICE, target=S.SETTLEMENT, permission=tp_work,
        custom=declare(
            label="ICE referred it back for settlement", form=f"{FORMS}.DocumentReceivedForm", who="Owner",
            order=13, clocks=[StartClock(RECOMMENDATIONS_RULE, start=ARRIVED)],
            message="Settlement referral logged as received. Actions due {due[ice.recommendations]}.",
            help="After the record of evidence, simple actions would settle the complaint. Create or update the "
                 "resolution plan on the Plan tab (In Progress / Settlement / Implement ICE Recommendations)."),
    )
    def settlement_referred(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.WITH_ICE, target=S.IMPLEMENTING_FINAL_REPORT, permission=tp_work,
        custom=declare(
            label="ICE sent the final report", form=f"{FORMS}.DocumentReceivedForm", who="Owner", order=15,
            clocks=[StartClock(RECOMMENDATIONS_RULE, start=ARRIVED)],
            message="Final report logged as received. Its actions are due {due[ice.recommendations]}.",
            help="Record the final report as received; its actions are due within 8 weeks. Put them in a "
                 "resolution plan on the Plan tab (In Progress / Investigation / Implement ICE Recommendations)."),
    )
    def final_report_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=list(IMPLEMENTING), target=S.WITH_ICE, conditions=[recommendations_done],
        permission=tp_work,
        custom=declare(
            label="All actions done: tell ICE", form=f"{FORMS}.ReplySentForm", who="Owner", order=10,
            clocks=[MeetClock(RECOMMENDATIONS_RULE)], tasks=[CloseTask(REJECTION_TASK)],
            emails=[SendEmail("ice", subject="Recommended actions completed: {reference}", body="{reply}")],
            message="ICE e-mailed that the actions are done. The SR waits with ICE for them to confirm.",
            help="Every action on the plan is done (and any redress approved). ICE is e-mailed what was done and "
                 "checks whether the complaint can close. The SR waits with ICE."),
    )
    def actions_done(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- investigation: record of evidence and draft report (steps 13–15) -------

    @transition(
        field="state", source=S.WITH_ICE, target=S.RECORD_OF_EVIDENCE, permission=tp_work,
        custom=declare(
            label="ICE asked for the record of evidence", form=f"{FORMS}.DocumentReceivedForm", who="Owner",
            order=12, clocks=[StartClock(ROE_RULE, start=ARRIVED)],
            tasks=[RaiseTask(ROE_TASK, "Send the record of evidence for {client} to ICE", due=ClockDue(ROE_RULE))],
            message="Record of evidence due {due[ice.record_of_evidence]} (25 working days).",
            help="ICE has started an investigation. Gather the evidence (screen prints with the relevant dates boxed "
                 "in red) and complete the ROE form within 25 working days (In Progress / Record Of Evidence)."),
    )
    def roe_requested(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.RECORD_OF_EVIDENCE, target=S.WITH_ICE, permission=tp_work,
        custom=declare(
            label="Record of evidence sent", form=f"{FORMS}.ReplySentForm", who="Owner", order=10,
            clocks=[MeetClock(ROE_RULE)], tasks=[CloseTask(ROE_TASK)],
            emails=[SendEmail("ice", subject="Record of evidence: {reference}", body="{reply}")],
            message="ROE form e-mailed to ICE; send the evidence by courier. The SR waits with ICE.",
            help="The ROE form is e-mailed to ICE with your covering text; the record of evidence goes by courier. "
                 "The SR waits with ICE."),
    )
    def roe_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.WITH_ICE, target=S.DRAFT_REPORT_RESPONSE, permission=tp_work,
        custom=declare(
            label="ICE sent a draft report", form=f"{FORMS}.DocumentReceivedForm", who="Owner", order=14,
            clocks=[StartClock(DRAFT_RULE, start=ARRIVED)],
            tasks=[RaiseTask(DRAFT_TASK, "Respond to ICE's draft report for {client}", due=ClockDue(DRAFT_RULE))],
            message="Draft report logged as received. Response due {due[ice.draft_report]}.",
            help="Respond within 10 working days, answering ICE's questions. Dispute any proposed action now "
                 "rather than at final report (In Progress / Investigation / ICE Investigation)."),
    )
    def draft_report_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.DRAFT_REPORT_RESPONSE, target=S.WITH_ICE, permission=tp_work,
        custom=declare(
            label="Draft report response sent", form=f"{FORMS}.ReplySentForm", who="Owner", order=10,
            clocks=[MeetClock(DRAFT_RULE)], tasks=[CloseTask(DRAFT_TASK)],
            emails=[SendEmail("ice", subject="Our response to your draft report: {reference}", body="{reply}")],
            message="Response e-mailed to ICE. The SR waits with ICE for the final report.",
            help="Your response is e-mailed to ICE and kept on the timeline. The SR waits with ICE."),
    )
    def draft_report_response_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- ICE's answer once the actions are done ------------------------------------

    @transition(
        field="state", source=S.WITH_ICE, target=CLOSED, conditions=[actions_reported], permission=tp_work,
        custom=declare(
            label="ICE confirms: close resolved", form=f"{FORMS}.IceConfirmsForm", who="Owner", order=50,
            record=["ice_outcome"],
            message="ICE confirmed the case is finished: closed Resolved. Update the DG caselist.",
            help="ICE has checked the actions and confirmed the complaint can close. Record ICE's outcome for the "
                 "client; the SR closes Resolved (Closed / Complete). If the client is still unhappy they can go "
                 "to the Ombudsman."),
    )
    def close_resolved(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.RESOLVED, now)

    @transition(
        field="state", source=S.WITH_ICE, target=None, conditions=[actions_reported], permission=tp_work,
        custom=declare(
            label="ICE is not satisfied: investigation", form=f"{FORMS}.NotSatisfiedForm", who="Owner", order=51,
            message="Recorded: ICE is not satisfied and will investigate. The SR waits with ICE.",
            help="ICE (or the client) is not satisfied that the actions resolved the complaint. It goes to "
                 "investigation: ICE will ask for the record of evidence or send a draft report."),
    )
    def not_satisfied(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- presented to ICE again (seed 000 step 3) ------------------------------------

    @transition(
        field="state", source=CLOSED, target=None, permission=tp_work,
        custom=declare(
            label="Presented to ICE again: new ICE SR", form=CONFIRM, who="Owner or Team Leader", order=70,
            raise_sr=RaiseSR(route=Route.ICE, reason="The complaint was presented to ICE again"),
            message="{raised} is raised for the complaint, linked to this SR, with its gateway check due in 3 "
                    "working days.",
            help="ICE has e-mailed about this complaint again after it went through the complaints process. A new "
                 "ICE SR is raised for it today, linked to this one; its gateway check starts again."),
    )
    def presented_again(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass


register(RouteSpec(
    route=Route.ICE, proxy=IceSR, labels=LABELS, names=dict(S.choices),
    title="Independent Case Examiner (the internal ICE team)",
    # The gateway check is due 3 working days from the day ICE's e-mail came.
    on_create=CreateSteps(clocks=(StartClock(GATEWAY_RULE, start=RECEIVED),)),
    plans=PlanUse(
        edit_states=IMPLEMENTING, action_states=IMPLEMENTING,
        waiting_states=(S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL), senior_state=S.PENDING_SENIOR_APPROVAL,
    ),
    details=IceDetails,
    external_body="ICE",
    with_body_states=(S.WITH_ICE,),
))
