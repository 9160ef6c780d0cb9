from ..plans.models import (
    ActionKind,
    ClientApproval,
    PlanAction,
    PlanApproval,
    PlanReason,
    PlanStatus,
    ResolutionPlan,
)
from .core import (
    CaseEvent,
    Client,
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
    "ActionKind", "CaseEvent", "Client", "ClientApproval", "Language", "Note", "PlanAction", "PlanApproval",
    "PlanReason", "PlanStatus", "Referrer", "ResolutionCode", "ResolutionPlan", "Route", "SRLink",
    "ServiceRequest", "ServiceRequestGroupObjectPermission", "ServiceRequestUserObjectPermission",
]
