"""Services: the only code that writes. Each runs in one transaction with
its audit event (CaseEvent) and defers slow side effects to on_commit."""

from .audit import record_event
from .errors import NotAllowedInState, NotPermitted, RowBusy, ServiceError, StaleServiceRequest

__all__ = ["NotAllowedInState", "NotPermitted", "RowBusy", "ServiceError", "StaleServiceRequest", "record_event"]
