"""The case page's ICE tab: ICE's reference, the gateway criteria and the
decision taken on them, the 3rd Party Account and ICE's outcome."""

from typing import Any

from django.http import HttpRequest

from complaints.models import Route, ServiceRequest
from complaints.panels import CasePanel, register_case_panel

from .gateway import check_gateway
from .models import IceDetails


def ice_context(request: HttpRequest, sr: ServiceRequest) -> dict[str, Any]:
    details = IceDetails.objects.filter(sr_id=sr.pk).select_related("final_response_sr").first()
    findings = ""
    if details is not None and details.gateway_proposal:
        findings = check_gateway(
            final_response_on=details.final_response_on, contacted_ice_on=details.contacted_ice_on,
            mp_clearance_on=details.mp_clearance_on, referred_by_phso=details.referred_by_phso,
            client_gave_copy=details.client_gave_copy,
        ).summary
    return {"ice": details, "ice_findings": findings}


def is_ice(sr: ServiceRequest) -> bool:
    return sr.route == Route.ICE


register_case_panel(CasePanel(key="ice", title="ICE", template="ice/_case_ice.html", order=15, context=ice_context,
                              shown=is_ice))
