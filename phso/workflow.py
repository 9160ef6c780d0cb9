"""PHSO / NI Ombudsman route (internal PHSO team; seed 004 steps 1–21,
DESIGN §5). For Northern Ireland clients the labels, e-mails and forms say
NI Ombudsman, NICMS and MLA.

    initial_request -information_sent-> with_phso (chase task after a set time)
    with_phso: not taken on -> gateway_failed (Gateway Passed = N; refer back
               to Resolution / Review / ICE with a linked SR) -> closed Rejected
               PTI -> pti_response (10 working days; panel in 3, its own clock
               and task; DG caselist) -> convene_pti_panel -> submit_pti_response
               -> pti_sign_off -[Head of Complaints Review, never the drafter]
               sign_off_pti -> with_phso_pti (mediation) | return_pti_response
    with_phso_pti: recommendations letter -> pending_assignment -[TL] allocate
               -> implementing_recommendations (4 weeks; plan; TL approval of
               redress) -> undertaking_actions -> evidence -> with_phso_resolution
               -> closed Resolved, or SOC (investigation)
               SOC -> soc_response (PHSO's target date: a clock a team leader
               may extend) -> with_phso_investigation
    ad-hoc queries: clocks with the Ombudsman's date, several at once
    with_phso_investigation: draft report -> draft_report_response (10 days;
               panel; sign-off as above) -> with_phso_report
    with_phso_report: FDL -> fdl_received (anomalies to the Head of Complaints
               Review) -> no recommendations: closed No Action Taken
               | systemic only: e-mail, closed No Action Taken
               | case-specific (± systemic): memo to DG Operations ->
               implementing_recommendations (4 weeks) where the TL may return
               a wrong amount but never reject the FDL's, and refers above
               their limit on CSF783 / CSF824 -> evidence -> with_phso_final
               -> closed Resolved, the Head of Complaints Review told
"""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import transition

from accounts.models import User
from accounts.roles import Role
from complaints.facts import clock_facts
from complaints.models.core import ResolutionCode, Route, ServiceRequest
from complaints.permissions import fsm_condition, tp_allocate, tp_work
from complaints.pipeline import StepContext
from complaints.plans.permissions import tp_refer_plan, tp_reject_plan
from complaints.plans.selectors import plan_facts
from complaints.plans.services import all_actions_done, plan_ready_without_approval
from complaints.plans.workflow import REJECTION_TASK, approval_steps
from complaints.routes import CLOSED, Labels, RouteSpec, register, route_name
from complaints.services.cases import link_service_requests
from complaints.steps import (
    ClockDue,
    CloseTask,
    CreateSteps,
    EventDate,
    FormDate,
    MeetClock,
    PlanOp,
    PlanUse,
    RaiseSR,
    RaiseTask,
    RoleAssignee,
    SendEmail,
    StartClock,
    declare,
)
from complaints.workflows.common import CommonTransitions

from .models import PhsoDetails
from .permissions import tp_sign_off

PTI_RULE = "phso.pti_response"
PANEL_RULE = "phso.assessment_panel"
REPORT_RULE = "phso.draft_report"
RECS_RULE = "phso.recommendations"
CHASE_RULE = "phso.chase"
TARGET_RULE = "phso.target_date"
ADHOC_RULE = "ice.adhoc"  # ICE's and PHSO's ad-hoc questions share one rule (DESIGN §4)

PANEL_TASK = "phso-panel"
PTI_TASK = "phso-pti"
REPORT_TASK = "phso-report"
SIGN_OFF_TASK = "phso-sign-off"
RETURNED_TASK = "phso-returned"
ANOMALY_TASK = "phso-anomalies"

HCR = RoleAssignee(Role.HEAD_OF_COMPLAINTS_REVIEW.value)


class S(models.TextChoices):
    INITIAL_REQUEST = "initial_request", "Request for case information"
    WITH_PHSO = "with_phso", "With PHSO: gateway decision"
    GATEWAY_FAILED = "gateway_failed", "Not taken on: agreed actions"
    PTI_RESPONSE = "pti_response", "Responding to the proposal to investigate"
    PTI_SIGN_OFF = "pti_sign_off", "PTI response waiting for sign-off"
    WITH_PHSO_PTI = "with_phso_pti", "With PHSO: mediation"
    PENDING_ASSIGNMENT = "pending_assignment", "Recommendations letter: pending assignment"
    IMPLEMENTING_RECOMMENDATIONS = "implementing_recommendations", "Implementing recommendations: plan"
    PENDING_TL_APPROVAL = "pending_tl_approval", "Pending TL approval"
    PENDING_SENIOR_APPROVAL = "pending_senior_approval", "Referred to a higher grade (CSF783 / CSF824)"
    PLAN_RETURNED = "plan_returned", "Plan returned by a team leader"
    UNDERTAKING_ACTIONS = "undertaking_actions", "Implementing recommendations: actions"
    WITH_PHSO_RESOLUTION = "with_phso_resolution", "With PHSO: actions complete"
    SOC_RESPONSE = "soc_response", "Responding to the summary of complaint"
    WITH_PHSO_INVESTIGATION = "with_phso_investigation", "With PHSO: investigation"
    DRAFT_REPORT_RESPONSE = "draft_report_response", "Responding to the draft report"
    REPORT_SIGN_OFF = "report_sign_off", "Draft report response waiting for sign-off"
    WITH_PHSO_REPORT = "with_phso_report", "With PHSO: final decision"
    FDL_RECEIVED = "fdl_received", "Final decision letter received"
    WITH_PHSO_FINAL = "with_phso_final", "With PHSO: recommendations complete"
    CLOSED = CLOSED, "Closed"


IMPLEMENT = "Implement PHSO Recommendations"
# Spelled as the seed spells them: caseworkers search for these. Sign-off
# and a plan's approval are Pending Approval, as the seed's TL approval is.
LABELS = {
    S.INITIAL_REQUEST: Labels("In Progress", "In Progress", "Initial Response"),
    S.WITH_PHSO: Labels("Wait", "With PHSO", "Initial Response"),
    S.GATEWAY_FAILED: Labels("In Progress", "Resolution Action", "Initial Response"),
    S.PTI_RESPONSE: Labels("In Progress", "In Progress", "Response To PTI"),
    S.PTI_SIGN_OFF: Labels("Pending Approval", "Pending Approval - HCR", "Response To PTI"),
    S.WITH_PHSO_PTI: Labels("Wait", "With PHSO", "Response To PTI"),
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Response To PTI"),
    S.IMPLEMENTING_RECOMMENDATIONS: Labels("In Progress", "Resolution Action", IMPLEMENT),
    S.PENDING_TL_APPROVAL: Labels("Pending Approval", "Pending Approval - TL", IMPLEMENT),
    S.PENDING_SENIOR_APPROVAL: Labels("Pending Approval", "Pending Approval - TL", IMPLEMENT),
    S.PLAN_RETURNED: Labels("In Progress", "Rejected", IMPLEMENT),
    S.UNDERTAKING_ACTIONS: Labels("In Progress", "Resolution Action", IMPLEMENT),
    S.WITH_PHSO_RESOLUTION: Labels("Wait", "With PHSO", IMPLEMENT),
    S.SOC_RESPONSE: Labels("In Progress", "Response To Summary", "Response To SoC"),
    S.WITH_PHSO_INVESTIGATION: Labels("Wait", "With PHSO", "Response To SoC"),
    S.DRAFT_REPORT_RESPONSE: Labels("In Progress", "Response To Report", "Response To Report"),
    S.REPORT_SIGN_OFF: Labels("Pending Approval", "Pending Approval - HCR", "Response To Report"),
    S.WITH_PHSO_REPORT: Labels("Wait", "With PHSO", "Response To Report"),
    S.FDL_RECEIVED: Labels("In Progress", "Resolution Action", IMPLEMENT),
    S.WITH_PHSO_FINAL: Labels("Wait", "With PHSO", IMPLEMENT),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}


def _ni(labels: Labels) -> Labels:
    def say(text: str) -> str:
        return text.replace("With PHSO", "With NI Ombudsman").replace("PHSO", "NI Ombudsman")
    return Labels(say(labels.status), say(labels.sub_status), say(labels.stage))


NI_LABELS = {state: _ni(labels) for state, labels in LABELS.items() if "PHSO" in repr(labels)}
WITH_BODY = (S.WITH_PHSO, S.WITH_PHSO_PTI, S.WITH_PHSO_RESOLUTION, S.WITH_PHSO_INVESTIGATION, S.WITH_PHSO_REPORT,
             S.WITH_PHSO_FINAL)
ADHOC_STATES = [S.WITH_PHSO_PTI, S.SOC_RESPONSE, S.WITH_PHSO_INVESTIGATION, S.DRAFT_REPORT_RESPONSE,
                S.WITH_PHSO_REPORT]

FORMS = "phso.forms"
CORE_FORMS = "complaints.forms"
PLAN_FORMS = "complaints.plans.forms"


# --- facts the conditions read (once per SR instance) ------------------------

_DETAILS = "_phso_details_row"


def details_of(sr: ServiceRequest) -> PhsoDetails:
    if not hasattr(sr, _DETAILS):
        setattr(sr, _DETAILS, PhsoDetails.objects.filter(sr_id=sr.pk).first() or PhsoDetails(sr_id=sr.pk))
    return getattr(sr, _DETAILS)


@fsm_condition
def panel_pending(sr: ServiceRequest) -> bool:
    return PANEL_RULE in clock_facts(sr).running_due


@fsm_condition
def panel_held(sr: ServiceRequest) -> bool:
    facts = clock_facts(sr)
    return PANEL_RULE in facts.started and PANEL_RULE not in facts.running_due


@fsm_condition
def report_panel_pending(sr: ServiceRequest) -> bool:
    return details_of(sr).report_panel_on is None


@fsm_condition
def report_panel_held(sr: ServiceRequest) -> bool:
    return details_of(sr).report_panel_on is not None


@fsm_condition
def adhoc_open(sr: ServiceRequest) -> bool:
    return ADHOC_RULE in clock_facts(sr).running_due


def after_fdl(sr: ServiceRequest) -> bool:
    """Recommendations from the final decision letter (not from mediation)."""
    return details_of(sr).fdl_received_on is not None


def before_fdl(sr: ServiceRequest) -> bool:
    return not after_fdl(sr)


@fsm_condition
def may_reject_amount(sr: ServiceRequest) -> bool:
    """Only redress the final decision letter did not set may be rejected."""
    return before_fdl(sr) or details_of(sr).fdl_amount is None


@fsm_condition
def fdl_amount_wrong(sr: ServiceRequest) -> bool:
    """The plan's redress differs from the amount the letter sets: the team
    leader may return it for correction (never reject the letter's amount)."""
    fdl = details_of(sr)
    return fdl.fdl_received_on is not None and fdl.fdl_amount is not None and (
        plan_facts(sr).redress_total != fdl.fdl_amount)


@fsm_condition
def evidence_ready(sr: ServiceRequest) -> bool:
    return all_actions_done(sr) and before_fdl(sr)


@fsm_condition
def fdl_evidence_ready(sr: ServiceRequest) -> bool:
    return all_actions_done(sr) and after_fdl(sr)


def _close(sr: ServiceRequest, code: str, now: datetime) -> None:
    sr.resolution_code = code
    sr.closed_at = now
    sr.lock_assignment = False


# --- hand-written effects -------------------------------------------------------


def link_earlier_srs(ctx: StepContext) -> str:
    """Seed step 5 links the complaints the client made before about the
    same issue. They are existing SRs chosen on the form, and the step
    vocabulary only links SRs a step raises, so the core's link service
    does it (each link on both SRs' timelines)."""
    earlier = list(ctx.data.get("earlier") or [])
    for other in earlier:
        link_service_requests(actor=ctx.actor, sr=ctx.sr, other=other,
                              reason="Earlier complaint about the same issue")
    return f"Linked {len(earlier)} earlier SR{'s' if len(earlier) != 1 else ''}." if earlier else ""


# The Ombudsman's mailbox: the NI Ombudsman's for Northern Ireland clients.
def to_ombudsman(subject: str, body: str) -> SendEmail:
    return SendEmail("phso", subject=subject, body=body, ni_to="ni_ombudsman")


# No decision from the Ombudsman after a set time (seed step 2: it does not
# always say it has not taken a case on): a wait, whose end puts "act now:
# chase the Ombudsman" on the owner's My work (the deadline scan).
CHASE = StartClock(CHASE_RULE)
STOP_CHASE = MeetClock(CHASE_RULE)


# The Head of Complaints Review returns a PTI or draft-report response alike.
RETURN_RESPONSE = declare(
    label="Return the response", form=f"{FORMS}.ReturnResponseForm", who="Head of Complaints Review", order=2,
    tasks=[CloseTask(SIGN_OFF_TASK),
           RaiseTask(RETURNED_TASK, "Revise the response on {reference}. {actor} returned it: {comments}")],
    message="The response is back with the caseworker with your comments.",
    help="The caseworker revises the response and sends it for sign-off again. The deadline keeps running.",
)


class PhsoSR(CommonTransitions, ServiceRequest):
    ROUTE = Route.PHSO

    class Meta:
        proxy = True
        verbose_name = "PHSO SR"

    def get_route_display(self) -> str:  # type: ignore[no-redef]  # replaces the one Django generates
        """The route's name on the case page: the NI Ombudsman replaces PHSO
        for Northern Ireland clients."""
        return route_name(self.route, self.client.region if self.client_id else "")

    # --- request for case information (seed steps 1–3) --------------------------

    @transition(
        field="state", source=S.INITIAL_REQUEST, target=S.WITH_PHSO, permission=tp_work,
        custom=declare(
            label="Case information sent", form=f"{FORMS}.InformationSentForm", who="Owner", order=10,
            record=["parliamentary_contact"],
            clocks=[CHASE],
            emails=[to_ombudsman("Case information: {reference}",
                                 "The information you asked for about the complaint of {client} ({reference}) "
                                 "is attached.\n\n{organisation}, internal complaints team")],
            message="Case information sent to {ombudsman}. The SR waits for their decision; if none arrives by "
                    "{due[phso.chase]} you will get a task to chase them.",
            help="Complaints reach the Ombudsman through the client's MP (or an MLA in Northern Ireland): check "
                 "that first. The SR then waits with the Ombudsman (Status Wait, Stage Initial Response) and you "
                 "get a task to chase them if no decision arrives by the date shown.")
    )
    def information_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- not taken on (seed step 4) -------------------------------------------------

    @transition(
        field="state", source=S.WITH_PHSO, target=S.GATEWAY_FAILED, permission=tp_work,
        custom=declare(
            label="Not taken on (failed gateway check)", form=f"{FORMS}.NotTakenOnForm", who="Owner", order=10,
            clocks=[STOP_CHASE],
            message="Gateway Passed: N. Carry out the agreed resolution actions, then close the SR.",
            help="Gateway Passed becomes N. Record the resolution actions agreed with the Ombudsman and carry them "
                 "out; that may mean referring the complaint back to Resolution, Review or ICE."),
    )
    def not_taken_on(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.gateway_passed = False

    @transition(
        field="state", source=S.GATEWAY_FAILED, target=S.GATEWAY_FAILED, permission=tp_work,
        custom=declare(
            label="Refer back to Resolution, Review or ICE", form=f"{FORMS}.ReferBackForm", who="Owner", order=10,
            raise_sr=RaiseSR(route=lambda sr, data: str(data["route"]), team_field="team",
                             describe_route="Resolution, Review or ICE (chosen on the form)",
                             reason="Referred back after the Ombudsman did not take the complaint on"),
            message="{raised} raised and linked.",
            help="A new SR for the chosen team, linked to this one, with the complaint details copied. This SR "
                 "stays open until every agreed action is done."),
    )
    def refer_back(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.GATEWAY_FAILED, target=CLOSED, permission=tp_work,
        custom=declare(
            label="Agreed actions done: close Rejected", form=f"{FORMS}.CloseRejectedForm", who="Owner", order=20,
            emails=[to_ombudsman("Resolution action complete: {reference}",
                                 "The resolution action agreed for the complaint of {client} ({reference}) is "
                                 "complete. We have closed our case.")],
            message="{ombudsman} told the resolution action is complete. Closed Rejected.",
            help="The Ombudsman is e-mailed that the resolution action is complete. The SR closes with Resolution "
                 "Code Rejected (Closed / Complete)."),
    )
    def close_rejected(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.REJECTED, now)

    # --- proposal to investigate (seed steps 5–8) -----------------------------------

    @transition(
        field="state", source=S.WITH_PHSO, target=S.PTI_RESPONSE, permission=tp_work,
        custom=declare(
            label="Proposal to investigate received", form=f"{FORMS}.PtiReceivedForm", who="Owner", order=20,
            record=["addressee", "root_cause", "parliamentary_contact", "details"],
            clocks=[StartClock(PTI_RULE, start=FormDate("received_on")),
                    StartClock(PANEL_RULE, start=FormDate("received_on")), STOP_CHASE],
            tasks=[RaiseTask(PANEL_TASK, "Convene the assessment panel for {reference}", due=ClockDue(PANEL_RULE)),
                   RaiseTask(PTI_TASK, "Respond to the proposal to investigate on {reference}",
                             due=ClockDue(PTI_RULE))],
            effect=link_earlier_srs,
            message="Gateway Passed: Y; on the DG caselist. Convene the assessment panel by "
                    "{due[phso.assessment_panel]}; the signed-off response is due {due[phso.pti_response]}.",
            help="Gateway Passed becomes Y and the SR goes on the Director General caselist. The response is due in "
                 "10 working days and the assessment panel must meet within 3 working days of the proposal "
                 "arriving: each has its deadline and a task on your My work."),
    )
    def pti_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.gateway_passed = True
        self.dg_caselist = True

    @transition(
        field="state", source=S.PTI_RESPONSE, target=S.PTI_RESPONSE, conditions=[panel_pending], permission=tp_work,
        custom=declare(
            label="Assessment panel convened", form=f"{FORMS}.PanelForm", who="Owner", order=10,
            record=["panel_members", "panel_on", "panel_briefing"],
            clocks=[MeetClock(PANEL_RULE)], tasks=[CloseTask(PANEL_TASK)],
            message="Assessment panel recorded; the panel deadline is met.",
            help="Record who sits on the panel, when it meets and its briefing. Send the proposal and the briefing "
                 "to every member before the case conference."),
    )
    def convene_pti_panel(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.PTI_RESPONSE, target=S.PTI_SIGN_OFF, conditions=[panel_held], permission=tp_work,
        custom=declare(
            label="Send the response for sign-off", form=f"{FORMS}.PtiResponseForm", who="Owner", order=20,
            record=["pti_response"], tasks=[CloseTask(RETURNED_TASK),
                                            RaiseTask(SIGN_OFF_TASK, "Sign off the response to the proposal to "
                                                      "investigate on {reference}", assignee=HCR,
                                                      due=ClockDue(PTI_RULE))],
            message="The response waits for the Head of Complaints Review's sign-off.",
            help="The Head of Complaints Review signs the response off before it is sent. Someone other than you "
                 "must sign it off."),
    )
    def submit_pti_response(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.PTI_SIGN_OFF, target=S.WITH_PHSO_PTI, permission=tp_sign_off,
        custom=declare(
            label="Sign off and send the response", form=f"{FORMS}.SignOffForm", who="Head of Complaints Review",
            order=1,
            clocks=[MeetClock(PTI_RULE), CHASE],
            tasks=[CloseTask(SIGN_OFF_TASK), CloseTask(PTI_TASK)],
            emails=[to_ombudsman("Response to the proposal to investigate: {reference}",
                                 "Our response to your proposal to investigate the complaint of {client} "
                                 "({reference}), signed off by the Head of Complaints Review, is attached.")],
            message="Signed off and sent to {ombudsman}. The SR waits while they mediate with the client.",
            help="The response goes to the Ombudsman, who will try to resolve the complaint with the client "
                 "through mediation (Status Wait). The 10 working day deadline is met."),
    )
    def sign_off_pti(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.PTI_SIGN_OFF, target=S.PTI_RESPONSE, permission=tp_sign_off,
        custom=RETURN_RESPONSE,
    )
    def return_pti_response(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- mediation: recommendations letter (seed steps 9–12) ------------------------

    @transition(
        field="state", source=S.WITH_PHSO_PTI, target=S.WITH_PHSO_PTI, permission=tp_work,
        custom=declare(
            label="Record the mediation outcome", form=f"{FORMS}.MediationForm", who="Owner", order=30,
            record=["mediation_outcome"], message="Mediation outcome recorded.",
            help="What the Ombudsman and the client agreed, or that mediation did not resolve the complaint."),
    )
    def record_mediation(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.WITH_PHSO_PTI, target=S.PENDING_ASSIGNMENT, permission=tp_work,
        custom=declare(
            label="Recommendations letter received", form=f"{FORMS}.DocumentReceivedForm", who="Owner", order=10,
            clocks=[StartClock(RECS_RULE, start=FormDate("received_on")), STOP_CHASE],
            message="Pending Assignment: a team leader allocates the SR. The recommendations are due "
                    "{due[phso.recommendations]}.",
            help="The Ombudsman's formal recommendations letter: a team leader allocates the SR to a caseworker, "
                 "who completes every resolution action within 4 weeks."),
    )
    def recommendations_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = None

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.IMPLEMENTING_RECOMMENDATIONS, permission=tp_allocate,
        custom=declare(
            label="Allocate", form=f"{CORE_FORMS}.AllocateForm", who="Team Leader", order=1,
            message="Allocated to {owner}.",
            help="The caseworker writes the resolution plan and completes the recommendations within 4 weeks "
                 "(Sub Status Resolution Action)."),
    )
    def allocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    # The shared approval steps: send a plan with redress for approval, and
    # approve it within the grade's limit. Rejecting and referring up are
    # PHSO's own (below): the letter's amount may only be returned when it
    # was entered wrongly, and referrals go on CSF783 / CSF824.
    _approval = approval_steps(
        drafting=S.IMPLEMENTING_RECOMMENDATIONS, pending=S.PENDING_TL_APPROVAL, referred=S.PENDING_SENIOR_APPROVAL,
        approved=S.UNDERTAKING_ACTIONS, rejected=S.PLAN_RETURNED,
        submit_help="The plan has financial redress, so a team leader must approve it (Pending Approval / "
                    "Pending Approval - TL). The assignment is locked until they decide.",
        approve_help="You approve the plan and its redress (within your grade's limit). The caseworker carries "
                     "out the actions.",
        approved_message="Plan approved. The caseworker carries out the actions.",
    )
    submit_for_approval = _approval[0]
    approve_plan = _approval[1]
    del _approval

    @transition(
        field="state", source=[S.IMPLEMENTING_RECOMMENDATIONS, S.PLAN_RETURNED], target=S.UNDERTAKING_ACTIONS,
        conditions=[plan_ready_without_approval], permission=tp_work,
        custom=declare(
            label="Plan ready: carry out the actions", form=f"{CORE_FORMS}.ConfirmForm", who="Owner", order=11,
            plan=PlanOp.SUBMIT, tasks=[CloseTask(REJECTION_TASK)],
            message="The plan is final. Carry out each action and mark it done.",
            help="No redress, so no approval is needed. Each action becomes a task on your My work."),
    )
    def start_actions(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=[S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL], target=S.PLAN_RETURNED,
        conditions=[may_reject_amount], permission=tp_reject_plan,
        custom=declare(
            label="Reject the plan", form=f"{PLAN_FORMS}.RejectPlanForm", who="Team Leader", order=2,
            plan=PlanOp.REJECT,
            tasks=[RaiseTask(REJECTION_TASK, "Revise the plan and submit it again. {actor} rejected it: {comments}")],
            message="Plan rejected and returned to the caseworker with your notes.",
            help="The plan goes back to the caseworker (Sub Status Rejected) with your notes. The assignment is "
                 "unlocked."),
    )
    def reject_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.lock_assignment = False

    @transition(
        field="state", source=[S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL], target=S.PLAN_RETURNED,
        conditions=[fdl_amount_wrong], permission=tp_reject_plan,
        custom=declare(
            label="Return the amount for correction", form=f"{FORMS}.ReturnForCorrectionForm", who="Team Leader",
            order=2, plan=PlanOp.REJECT,
            tasks=[RaiseTask(REJECTION_TASK, "Correct the redress amount and submit the plan again. {actor}: "
                                             "{comments}")],
            message="Returned to the caseworker to correct the amount.",
            help="You cannot reject the amount the final decision letter sets. The plan's redress differs from it, "
                 "so it goes back to the caseworker to correct and send again."),
    )
    def return_for_correction(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.lock_assignment = False

    @transition(
        field="state", source=S.PENDING_TL_APPROVAL, target=S.PENDING_SENIOR_APPROVAL, permission=tp_refer_plan,
        custom=declare(
            label="Refer to a higher grade (CSF783 / CSF824)", form=f"{FORMS}.PhsoReferPlanForm",
            who="Team Leader", order=3, plan=PlanOp.REFER,
            message="Plan referred to {grade} on form {form} ({redress}). It waits on their Approvals tab.",
            help="The payment is above your approval limit. Send form CSF783 (a reimbursement) or CSF824 (a special "
                 "payment) with the case documents to a manager of the chosen grade. The assignment stays locked."),
    )
    def refer_plan(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.UNDERTAKING_ACTIONS, target=S.WITH_PHSO_RESOLUTION, conditions=[evidence_ready],
        permission=tp_work,
        custom=declare(
            label="All actions done: tell the Ombudsman", form=f"{FORMS}.EvidenceSentForm", who="Owner", order=10,
            clocks=[MeetClock(RECS_RULE)],
            emails=[to_ombudsman("Resolution actions complete: {reference}",
                                 "Every resolution action for the complaint of {client} ({reference}) is done: "
                                 "{note}")],
            message="{ombudsman} told the actions are done. The SR waits while they check with the client.",
            help="The Ombudsman asks the client whether the complaint is resolved (Status Wait)."),
    )
    def evidence_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.WITH_PHSO_RESOLUTION, target=CLOSED, permission=tp_work,
        custom=declare(
            label="Ombudsman agrees: close Resolved", form=f"{FORMS}.ClosedResolvedForm", who="Owner", order=10,
            message="Closed Resolved.",
            help="The Ombudsman confirmed the client is satisfied. The SR closes with Resolution Code Resolved."),
    )
    def close_resolved(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.RESOLVED, now)

    # --- investigation: summary of complaint, ad-hoc queries (seed step 13) ---------

    @transition(
        field="state", source=[S.WITH_PHSO_PTI, S.WITH_PHSO_RESOLUTION], target=S.SOC_RESPONSE, permission=tp_work,
        custom=declare(
            label="Summary of complaint received", form=f"{FORMS}.SocReceivedForm", who="Owner", order=20,
            clocks=[StartClock(TARGET_RULE, start=FormDate("received_on"), due=FormDate("target_date")),
                    STOP_CHASE],
            message="The Ombudsman is investigating. Target date for the final response: {due[phso.target_date]}.",
            help="The Ombudsman will investigate fully. Answer the summary (In Progress / Response To Summary / "
                 "Response To SoC). Their target date shows on the DG caselist; a team leader records any "
                 "extension on the Deadlines tab."),
    )
    def soc_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.SOC_RESPONSE, target=S.WITH_PHSO_INVESTIGATION, permission=tp_work,
        custom=declare(
            label="Response to the summary sent", form=f"{CORE_FORMS}.ConfirmForm", who="Owner", order=10,
            emails=[to_ombudsman("Response to the summary of complaint: {reference}",
                                 "Our response to your summary of the complaint of {client} ({reference}) is "
                                 "attached.")],
            message="Response sent. The SR waits while {ombudsman} investigates.",
            help="The SR waits with the Ombudsman while they investigate (Status Wait)."),
    )
    def soc_response_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=ADHOC_STATES, target=None, permission=tp_work,
        custom=declare(
            label="Ad-hoc query received", form=f"{FORMS}.AdhocQueryForm", who="Owner", order=60,
            clocks=[StartClock(ADHOC_RULE, start=FormDate("received_on"), due=FormDate("reply_due_on"),
                               label_field="question")],
            message="Query recorded: answer by {due[ice.adhoc]}.",
            help="A deadline with the Ombudsman's own date. Several queries may be open at once."),
    )
    def adhoc_query(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=ADHOC_STATES, target=None, conditions=[adhoc_open], permission=tp_work,
        custom=declare(
            label="Ad-hoc query answered", form=f"{FORMS}.AdhocAnsweredForm", who="Owner", order=61,
            clocks=[MeetClock(ADHOC_RULE, which="clock")], message="Query answered.",
            help="The query's deadline is met."),
    )
    def adhoc_answered(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- draft report (seed step 14) --------------------------------------------------

    @transition(
        field="state", source=S.WITH_PHSO_INVESTIGATION, target=S.DRAFT_REPORT_RESPONSE, permission=tp_work,
        custom=declare(
            label="Draft report received", form=f"{FORMS}.DocumentReceivedForm", who="Owner", order=10,
            clocks=[StartClock(REPORT_RULE, start=FormDate("received_on"))],
            tasks=[RaiseTask(REPORT_TASK, "Respond to the draft report on {reference}", due=ClockDue(REPORT_RULE))],
            message="On the DG caselist. Convene the assessment panel; the signed-off response is due "
                    "{due[phso.draft_report]}.",
            help="Response To Report. The assessment panel checks the draft report for factual accuracy; the "
                 "response, signed off by the Head of Complaints Review, is due in 10 working days."),
    )
    def draft_report_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.dg_caselist = True

    @transition(
        field="state", source=S.DRAFT_REPORT_RESPONSE, target=S.DRAFT_REPORT_RESPONSE,
        conditions=[report_panel_pending], permission=tp_work,
        custom=declare(
            label="Assessment panel convened", form=f"{FORMS}.ReportPanelForm", who="Owner", order=10,
            record=["report_panel_members", "report_panel_on"], message="Assessment panel recorded.",
            help="Record who sat on the panel that checked the draft report, and when."),
    )
    def convene_report_panel(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.DRAFT_REPORT_RESPONSE, target=S.REPORT_SIGN_OFF, conditions=[report_panel_held],
        permission=tp_work,
        custom=declare(
            label="Send the response for sign-off", form=f"{FORMS}.ReportResponseForm", who="Owner", order=20,
            record=["report_response"],
            tasks=[CloseTask(RETURNED_TASK),
                   RaiseTask(SIGN_OFF_TASK, "Sign off the response to the draft report on {reference}",
                             assignee=HCR, due=ClockDue(REPORT_RULE))],
            message="The response waits for the Head of Complaints Review's sign-off.",
            help="The Head of Complaints Review signs the response off before it is sent. Someone other than you "
                 "must sign it off."),
    )
    def submit_report_response(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.REPORT_SIGN_OFF, target=S.WITH_PHSO_REPORT, permission=tp_sign_off,
        custom=declare(
            label="Sign off and send the response", form=f"{FORMS}.SignOffForm", who="Head of Complaints Review",
            order=1,
            clocks=[MeetClock(REPORT_RULE)], tasks=[CloseTask(SIGN_OFF_TASK), CloseTask(REPORT_TASK)],
            emails=[to_ombudsman("Response to the draft report: {reference}",
                                 "Our response to your draft report on the complaint of {client} ({reference}), "
                                 "signed off by the Head of Complaints Review, is attached.")],
            message="Signed off and sent to {ombudsman}. The SR waits for the final decision.",
            help="The response goes to the Ombudsman (Status Wait). The 10 working day deadline is met."),
    )
    def sign_off_report(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.REPORT_SIGN_OFF, target=S.DRAFT_REPORT_RESPONSE, permission=tp_sign_off,
        custom=RETURN_RESPONSE,
    )
    def return_report_response(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    # --- final decision letter (seed steps 15–21) ---------------------------------------

    @transition(
        field="state", source=S.WITH_PHSO_REPORT, target=S.FDL_RECEIVED, permission=tp_work,
        custom=declare(
            label="Final decision letter received", form=f"{FORMS}.FdlReceivedForm", who="Owner", order=10,
            record=[("fdl_received_on", "received_on"), "fdl_amount"], clocks=[MeetClock(TARGET_RULE)],
            message="Compare it with the draft report and our response, then record what it recommends.",
            help="Compare the final report with the draft report and our response; raise any difference with the "
                 "Head of Complaints Review. Then record what it recommends."),
    )
    def fdl_received(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.FDL_RECEIVED, target=S.FDL_RECEIVED, permission=tp_work,
        custom=declare(
            label="Raise differences with the Head of Complaints Review", form=f"{FORMS}.AnomaliesForm", who="Owner",
            order=5, record=["fdl_anomalies"],
            tasks=[RaiseTask(ANOMALY_TASK, "The final report on {reference} differs from the draft: "
                                           "{fdl_anomalies}", assignee=HCR)],
            emails=[SendEmail("head_of_complaints_review", "Final report differs from the draft: {reference}",
                              "{fdl_anomalies}")],
            message="The Head of Complaints Review has a task with the differences.",
            help="The differences go to the Head of Complaints Review as a task and an e-mail."),
    )
    def raise_anomalies(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.FDL_RECEIVED, target=CLOSED, permission=tp_work,
        custom=declare(
            label="No recommendations: close", form=f"{FORMS}.FdlNoRecommendationsForm", who="Owner", order=10,
            message="Closed No Action Taken.",
            help="The final decision letter makes no recommendations. The SR closes with Resolution Code No Action "
                 "Taken."),
    )
    def fdl_no_recommendations(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.NO_ACTION, now)

    @transition(
        field="state", source=S.FDL_RECEIVED, target=CLOSED, permission=tp_work,
        custom=declare(
            label="Systemic changes only: send them on and close", form=f"{FORMS}.FdlSystemicForm", who="Owner",
            order=11, record=["systemic_recommendations"],
            emails=[SendEmail("client_government_relations", "Systemic recommendations from {ombudsman}: {reference}",
                              "The final decision letter on the complaint of {client} ({reference}) recommends "
                              "these systemic changes:\n\n{systemic_recommendations}\n\nA copy of the letter is "
                              "attached.")],
            message="Systemic recommendations sent to the head of client and government relations. Closed No Action "
                    "Taken.",
            help="The recommendations and a copy of the letter are e-mailed to the head of client and government "
                 "relations. The SR closes with Resolution Code No Action Taken."),
    )
    def fdl_systemic_only(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.NO_ACTION, now)

    @transition(
        field="state", source=S.FDL_RECEIVED, target=S.IMPLEMENTING_RECOMMENDATIONS, permission=tp_work,
        custom=declare(
            label="Case-specific changes: implement them", form=f"{FORMS}.FdlCaseSpecificForm", who="Owner", order=12,
            clocks=[StartClock(RECS_RULE, start=EventDate("fdl_received", "the day the letter was recorded"))],
            emails=[SendEmail("dg_operations", "PHSO recommendations on {reference}",
                              "The final decision letter on the complaint of {client} ({reference}) makes "
                              "recommendations. They will be completed within timescales, by "
                              "{due[phso.recommendations]}.")],
            message="Memo sent to the Director General Operations. Complete the recommendations by "
                    "{due[phso.recommendations]}.",
            help="Write the resolution plan and complete every recommendation within 4 weeks. A memo tells the "
                 "Director General Operations they will be completed in time."),
    )
    def fdl_case_specific(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.FDL_RECEIVED, target=S.IMPLEMENTING_RECOMMENDATIONS, permission=tp_work,
        custom=declare(
            label="Case-specific and systemic changes", form=f"{FORMS}.FdlSystemicForm", who="Owner", order=13,
            record=["systemic_recommendations"],
            clocks=[StartClock(RECS_RULE, start=EventDate("fdl_received", "the day the letter was recorded"))],
            emails=[SendEmail("client_government_relations", "Systemic recommendations from {ombudsman}: {reference}",
                              "The final decision letter on the complaint of {client} ({reference}) recommends "
                              "these systemic changes:\n\n{systemic_recommendations}\n\nA copy of the letter is "
                              "attached."),
                    SendEmail("dg_operations", "PHSO recommendations on {reference}",
                              "The final decision letter on the complaint of {client} ({reference}) makes "
                              "recommendations. They will be completed within timescales, by "
                              "{due[phso.recommendations]}.")],
            message="Systemic recommendations sent on; memo sent to the Director General Operations. Complete the "
                    "case-specific recommendations by {due[phso.recommendations]}.",
            help="The systemic recommendations go to the head of client and government relations; the case-specific "
                 "ones are yours to complete within 4 weeks."),
    )
    def fdl_case_and_systemic(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.UNDERTAKING_ACTIONS, target=S.WITH_PHSO_FINAL, conditions=[fdl_evidence_ready],
        permission=tp_work,
        custom=declare(
            label="All recommendations done: send the evidence", form=f"{FORMS}.EvidenceSentForm", who="Owner",
            order=10, clocks=[MeetClock(RECS_RULE)],
            emails=[to_ombudsman("Recommendations complete: {reference}",
                                 "Every recommendation in your final decision on the complaint of {client} "
                                 "({reference}) is complete. Evidence: {note}")],
            message="Evidence sent to {ombudsman}. The SR waits for them to agree it can close.",
            help="The Ombudsman checks the evidence (Status Wait)."),
    )
    def fdl_evidence_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.WITH_PHSO_FINAL, target=CLOSED, permission=tp_work,
        custom=declare(
            label="Ombudsman agrees: tell the Head of Complaints Review and close", form=f"{FORMS}.ClosedResolvedForm",
            who="Owner", order=11,
            emails=[SendEmail("head_of_complaints_review", "Complaint closed: {reference}",
                              "{ombudsman} agreed the complaint of {client} ({reference}) can close: every "
                              "recommendation is complete.")],
            message="The Head of Complaints Review is told. Closed Resolved.",
            help="The Head of Complaints Review (and anyone else interested) is told; the SR closes with Resolution "
                 "Code Resolved and leaves the DG caselist."),
    )
    def close_fdl_resolved(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        _close(self, ResolutionCode.RESOLVED, now)


register(RouteSpec(
    route=Route.PHSO, proxy=PhsoSR, labels=LABELS, names=dict(S.choices), initial_state=S.INITIAL_REQUEST,
    title="PHSO / NI Ombudsman (the internal PHSO team)",
    # The PHSO team member who logs the Ombudsman's request answers it:
    # there is no allocation step before that.
    on_create=CreateSteps(owner_is_creator=True),
    details=PhsoDetails,
    ni_labels=NI_LABELS,
    external_body="PHSO", ni_external_body="the NI Ombudsman", ni_name="NI Ombudsman",
    with_body_states=WITH_BODY,
    sign_off_states=(S.PTI_SIGN_OFF, S.REPORT_SIGN_OFF),
    plans=PlanUse(
        edit_states=(S.IMPLEMENTING_RECOMMENDATIONS, S.PLAN_RETURNED), action_states=(S.UNDERTAKING_ACTIONS,),
        waiting_states=(S.PENDING_TL_APPROVAL, S.PENDING_SENIOR_APPROVAL),
        senior_state=S.PENDING_SENIOR_APPROVAL, rejected_state=S.PLAN_RETURNED,
    ),
))
