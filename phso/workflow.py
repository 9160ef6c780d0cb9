"""PHSO / NI Ombudsman route (internal PHSO team; seed 004, DESIGN §5): the
state table and the first steps. For Northern Ireland clients the labels
say NI Ombudsman."""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import transition

from accounts.models import User
from complaints.models.core import ResolutionCode, Route, ServiceRequest
from complaints.permissions import tp_allocate, tp_work
from complaints.routes import CLOSED, Labels, RouteSpec, register
from complaints.steps import CreateSteps, declare
from complaints.workflows.common import CommonTransitions


class S(models.TextChoices):
    INITIAL_REQUEST = "initial_request", "Initial request"
    WITH_PHSO = "with_phso", "With PHSO"
    GATEWAY_FAILED = "gateway_failed", "Gateway failed"
    PTI_RESPONSE = "pti_response", "PTI response"
    PENDING_ASSIGNMENT = "pending_assignment", "Pending assignment"
    IMPLEMENTING_RECOMMENDATIONS = "implementing_recommendations", "Implementing recommendations"
    SOC_RESPONSE = "soc_response", "SOC response"
    DRAFT_REPORT_RESPONSE = "draft_report_response", "Draft report response"
    CLOSED = CLOSED, "Closed"


LABELS = {
    S.INITIAL_REQUEST: Labels("In Progress", "In Progress", "Initial Response"),
    S.WITH_PHSO: Labels("Wait", "With PHSO", "With PHSO"),
    S.GATEWAY_FAILED: Labels("In Progress", "Gateway Failed", "Resolution Action"),
    S.PTI_RESPONSE: Labels("In Progress", "Proposal To Investigate", "Response To PTI"),
    S.PENDING_ASSIGNMENT: Labels("Pending Assignment", "", "Resolution Action"),
    S.IMPLEMENTING_RECOMMENDATIONS: Labels("In Progress", "Resolution Action", "Implement PHSO Recommendations"),
    S.SOC_RESPONSE: Labels("In Progress", "Response To Summary", "Response To SoC"),
    S.DRAFT_REPORT_RESPONSE: Labels("In Progress", "Response To Report", "Response To Report"),
    S.CLOSED: Labels("Closed", "Complete", "Closed"),
}

FORMS = "complaints.forms"


class PhsoSR(CommonTransitions, ServiceRequest):
    ROUTE = Route.PHSO

    class Meta:
        proxy = True
        verbose_name = "PHSO SR"

    @transition(
        field="state", source=S.INITIAL_REQUEST, target=S.WITH_PHSO, permission=tp_work,
        custom=declare(label="Case information sent", form=f"{FORMS}.ConfirmForm", who="Owner", order=10,
                message="Case information sent. The SR waits with the Ombudsman.",
                help="The information the Ombudsman asked for has been sent. The SR waits with the Ombudsman."),
    )
    def information_sent(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        pass

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.IMPLEMENTING_RECOMMENDATIONS, permission=tp_allocate,
        custom=declare(label="Allocate", form=f"{FORMS}.AllocateForm", who="Team Leader", order=1,
                help="The caseworker implements the Ombudsman's recommendations (4 weeks)."),
    )
    def allocate(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.WITH_PHSO, target=CLOSED, permission=tp_work,
        custom=declare(label="Final decision: no recommendations", form=f"{FORMS}.ConfirmForm", who="Owner",
                order=50, message="Closed: No Action Taken.",
                help="The final decision letter makes no recommendations. The SR closes No Action Taken."),
    )
    def close_no_recommendations(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None:
        self.resolution_code = ResolutionCode.NO_ACTION
        self.closed_at = now


register(RouteSpec(
    route=Route.PHSO, proxy=PhsoSR, labels=LABELS, names=dict(S.choices), initial_state=S.INITIAL_REQUEST,
    title="PHSO / NI Ombudsman (the internal PHSO team)",
    # The PHSO team member who logs the Ombudsman's request answers it:
    # there is no allocation step before that.
    on_create=CreateSteps(owner_is_creator=True),
))
