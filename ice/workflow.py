"""ICE route (internal ICE team; seed 000, DESIGN §5): the state table and
the gateway steps. What ICE sends after the gateway (resolution plan, ROE,
draft and final reports, settlement) is recorded as further transitions
from `with_ice`."""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import transition

from accounts.models import User
from complaints.models.core import ResolutionCode, Route, ServiceRequest
from complaints.permissions import tp_allocate, tp_work
from complaints.routes import CLOSED, Labels, RouteSpec, register
from complaints.steps import (
    RECEIVED,
    CloseTask,
    CreateSteps,
    MeetClock,
    RaiseSR,
    RaiseTask,
    SendEmail,
    StartClock,
    declare,
)
from complaints.workflows.common import CommonTransitions

GATEWAY_RULE = "ice.gateway"
FIG_RULE = "ice.fig_resolution"
FIG_NOTIFY_TASK = "fig-notify"


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
    steps=(StartClock(FIG_RULE),),
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
    CLOSED = CLOSED, "Closed"


LABELS = {
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Gateway"),
    S.GATEWAY_CHECK: Labels("In Progress", "In Progress", "Gateway"),
    S.WITH_ICE: Labels("Wait", "With ICE", "ICE Investigation"),
    S.RESOLUTION_REPLY: Labels("In Progress", "Resolution", "Resolution"),
    S.IMPLEMENTING_RECOMMENDATIONS: Labels("In Progress", "Resolution", "Implement ICE Recommendations"),
    S.RECORD_OF_EVIDENCE: Labels("In Progress", "Record Of Evidence", "ICE Investigation"),
    S.SETTLEMENT: Labels("In Progress", "Settlement", "Implement ICE Recommendations"),
    S.DRAFT_REPORT_RESPONSE: Labels("In Progress", "Investigation", "ICE Investigation"),
    S.IMPLEMENTING_FINAL_REPORT: Labels("In Progress", "Investigation", "Implement ICE Recommendations"),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}

FORMS = "complaints.forms"


class IceSR(CommonTransitions, ServiceRequest):
    gateway_passed: bool | None
    dg_caselist: bool

    ROUTE = Route.ICE

    class Meta:
        proxy = True
        verbose_name = "ICE SR"

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.GATEWAY_CHECK, permission=tp_allocate,
        custom=declare(label="Allocate", form=f"{FORMS}.AllocateForm", who="Team Leader", order=1,
                help="The caseworker checks the ICE gateway criteria; the 3 working day gateway deadline "
                     "keeps running from the day ICE's e-mail was logged."),
    )
    def allocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.GATEWAY_CHECK, target=S.WITH_ICE, permission=tp_work,
        custom=declare(label="Gateway passed", form=f"{FORMS}.ConfirmForm", who="Owner", order=10,
                clocks=[MeetClock(GATEWAY_RULE)], message="Gateway decision recorded: passed. The SR waits with ICE.",
                help="Gateway Passed = Y and the SR goes on the DG caselist. The SR waits with ICE "
                     "(Wait / With ICE / ICE Investigation)."),
    )
    def pass_gateway(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.gateway_passed = True
        self.dg_caselist = True

    @transition(
        field="state", source=S.GATEWAY_CHECK, target=CLOSED, permission=tp_work,
        custom=declare(label="Gateway failed", form=f"{FORMS}.ConfirmForm", who="Owner", order=20,
                clocks=[MeetClock(GATEWAY_RULE)], raise_sr=FAILED_GATEWAY,
                tasks=[RaiseTask(FIG_NOTIFY_TASK, "Notify ICE of complaint closure ({raised})")],
                message="Gateway failed: the SR is closed Rejected and {raised} is raised for the complaint.",
                help="Gateway Passed = N and the SR closes Rejected. Raise a Resolution or Review SR for the "
                     "complaint, linked to this one."),
    )
    def fail_gateway(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.gateway_passed = False
        self.resolution_code = ResolutionCode.REJECTED
        self.closed_at = now

    @transition(
        field="state", source=S.WITH_ICE, target=CLOSED, permission=tp_work,
        custom=declare(label="ICE confirms: close resolved", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=50, message="ICE confirmed the case is finished: closed Resolved.",
                help="ICE has confirmed the case is finished. The SR closes Resolved."),
    )
    def close_resolved(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.resolution_code = ResolutionCode.RESOLVED
        self.closed_at = now


register(RouteSpec(
    route=Route.ICE, proxy=IceSR, labels=LABELS, names=dict(S.choices), title="Independent Case Examiner (the internal ICE team)",
    # The gateway check is due 3 working days from the day ICE's e-mail came.
    on_create=CreateSteps(clocks=(StartClock(GATEWAY_RULE, start=RECEIVED),)),
))
