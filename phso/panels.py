"""The case page's Ombudsman tab for PHSO SRs: what the route recorded
(the assessment panels, the responses the Head of Complaints Review signs
off, the mediation outcome, the final decision letter). Registered at
start-up (PhsoConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from complaints.models import Route, ServiceRequest
from complaints.panels import CasePanel, register_case_panel

from .models import PhsoDetails


def phso_context(request: HttpRequest, sr: ServiceRequest) -> dict[str, Any]:
    return {"phso": PhsoDetails.objects.filter(sr_id=sr.pk).first()}


def is_phso(sr: ServiceRequest) -> bool:
    return sr.route == Route.PHSO


register_case_panel(CasePanel(key="ombudsman", title="Ombudsman", template="phso/_case_phso.html", order=15,
                              context=phso_context, shown=is_phso))
