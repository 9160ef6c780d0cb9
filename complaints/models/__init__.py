from ..plans.models import (
    ActionKind,
    ClientApproval,
    PlanAction,
    PlanApproval,
    PlanContributor,
    PlanReason,
    PlanStatus,
    ResolutionPlan,
)
from .core import (
    CaseEvent,
    Client,
    FormSubmission,
    Language,
    Note,
    Referrer,
    ResolutionCode,
    Route,
    ServiceRequest,
    ServiceRequestGroupObjectPermission,
    ServiceRequestUserObjectPermission,
    SRLink,
)

__all__ = [
    "ActionKind", "CaseEvent", "Client", "ClientApproval", "FormSubmission", "Language", "Note", "PlanAction", "PlanApproval",
    "PlanContributor", "PlanReason", "PlanStatus", "Referrer", "ResolutionCode", "ResolutionPlan", "Route", "SRLink",
    "ServiceRequest", "ServiceRequestGroupObjectPermission", "ServiceRequestUserObjectPermission",
]
