"""The case page's Plan tab, shown on routes that use plans."""

from typing import Any

from accounts.http import SignedInRequest

from ..models import ServiceRequest
from ..panels import CasePanel, register_case_panel
from ..routes import spec_for
from .forms import ActionForm, ReasonForm
from .selectors import plan_tab


def plan_context(request: SignedInRequest, sr: ServiceRequest) -> dict[str, Any]:
    tab = plan_tab(request.user, sr)
    return {
        "plan_tab": tab,
        "reason_form": ReasonForm(),
        "action_form": ActionForm(plan=tab.plan, reasons=tab.reasons) if tab.editable and tab.reasons else None,
    }


def uses_plans(sr: ServiceRequest) -> bool:
    """Routes with resolution plans have the Plan tab (and any SR that has a plan)."""
    return spec_for(sr.route).plans is not None or sr.plans.exists()


register_case_panel(CasePanel(key="plan", title="Plan", template="complaints/_plan.html", order=30,
                              context=plan_context, shown=uses_plans))
