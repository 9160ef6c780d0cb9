"""PHSO route services."""

from datetime import datetime

from complaints.models import ServiceRequest
from complaints.routes import RouteSpec, register

from .workflow import LABELS, PhsoSR


def on_create(*, sr: ServiceRequest, actor, now: datetime) -> None:  # type: ignore[no-untyped-def]
    # The PHSO team member who logs the Ombudsman's request answers it
    # (seed 004 step 1): there is no allocation step before that.
    sr.owner = actor
    sr.save(update_fields=["owner"])


register(RouteSpec(route=PhsoSR.ROUTE, proxy=PhsoSR, labels=LABELS, initial_state="initial_request",
                   on_create=on_create))
