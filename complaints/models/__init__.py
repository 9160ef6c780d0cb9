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
from .plans import (
    ActionKind,
    ClientApproval,
    PlanAction,
    PlanApproval,
    PlanContributor,
    PlanReason,
    PlanStatus,
    ResolutionPlan,
)

__all__ = [
    "ActionKind", "CaseEvent", "Client", "ClientApproval", "FormSubmission", "Language", "Note", "PlanAction", "PlanApproval",
    "PlanContributor", "PlanReason", "PlanStatus", "Referrer", "ResolutionCode", "ResolutionPlan", "Route", "SRLink",
    "ServiceRequest", "ServiceRequestGroupObjectPermission", "ServiceRequestUserObjectPermission",
]
