"""ICE route (internal ICE team; seed 000, DESIGN §5): the state table and
the gateway steps. What ICE sends after the gateway (resolution plan, ROE,
draft and final reports, settlement) is recorded as further transitions
from `with_ice`."""

from datetime import datetime
from typing import Any

from django.db import models
from django_fsm import transition

from complaints.models.core import ResolutionCode, Route, ServiceRequest
from complaints.permissions import tp_allocate, tp_work
from complaints.routes import CLOSED, Labels
from complaints.workflows.common import CommonTransitions


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
    ROUTE = Route.ICE

    class Meta:
        proxy = True
        verbose_name = "ICE SR"

    @transition(
        field="state", source=S.PENDING_ASSIGNMENT, target=S.GATEWAY_CHECK, permission=tp_allocate,
        custom={"label": "Allocate", "form": f"{FORMS}.AllocateForm", "who": "Team Leader", "order": 1,
                "help": "The caseworker checks the ICE gateway criteria; the 3 working day gateway deadline "
                        "keeps running from the day ICE's e-mail was logged."},
    )
    def allocate(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.owner = data["owner"]

    @transition(
        field="state", source=S.GATEWAY_CHECK, target=S.WITH_ICE, permission=tp_work,
        custom={"label": "Gateway passed", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 10,
                "help": "Gateway Passed = Y and the SR goes on the DG caselist. The SR waits with ICE "
                        "(Wait / With ICE / ICE Investigation)."},
    )
    def pass_gateway(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.gateway_passed = True
        self.dg_caselist = True

    @transition(
        field="state", source=S.GATEWAY_CHECK, target=CLOSED, permission=tp_work,
        custom={"label": "Gateway failed", "form": f"{FORMS}.ConfirmForm", "who": "Owner", "order": 20,
                "help": "Gateway Passed = N and the SR closes Rejected. Raise a Resolution or Review SR for the "
                        "complaint, linked to this one."},
    )
    def fail_gateway(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.gateway_passed = False
        self.resolution_code = ResolutionCode.REJECTED
        self.closed_at = now

    @transition(
        field="state", source=S.WITH_ICE, target=CLOSED, permission=tp_work,
        custom={"label": "ICE confirms: close resolved", "form": f"{FORMS}.ConfirmForm", "who": "Owner",
                "order": 50, "help": "ICE has confirmed the case is finished. The SR closes Resolved."},
    )
    def close_resolved(self, *, actor: Any, now: datetime, data: dict) -> None:
        self.resolution_code = ResolutionCode.RESOLVED
        self.closed_at = now
