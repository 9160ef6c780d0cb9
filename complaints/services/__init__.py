"""Services: the only code that writes. Each runs in one transaction with
its audit event (CaseEvent) and defers slow side effects to on_commit."""

from .audit import record_event
from .errors import NotAllowedInState, NotPermitted, ServiceError, StaleServiceRequest

__all__ = ["NotAllowedInState", "NotPermitted", "ServiceError", "StaleServiceRequest", "record_event"]
