"""ICE route services: the gateway clock starts when ICE's e-mail is
logged (the SR's received date) and is met by the gateway decision."""

from datetime import datetime

from complaints.models import ServiceRequest
from complaints.routes import RouteSpec, register
from sla.services import meet_clock, start_clock

from .workflow import LABELS, IceSR

GATEWAY_RULE = "ice.gateway"


def on_create(*, sr: ServiceRequest, actor, now: datetime) -> None:  # type: ignore[no-untyped-def]
    start_clock(sr=sr, rule_code=GATEWAY_RULE, actor=actor, now=now, started_on=sr.received_on)


def after_gateway_decision(*, sr: ServiceRequest, actor, data: dict, now: datetime, from_state: str) -> str:  # type: ignore[no-untyped-def]
    meet_clock(sr=sr, rule_code=GATEWAY_RULE, actor=actor, now=now)
    return "Gateway decision recorded." if sr.gateway_passed else "Gateway failed: the SR is closed Rejected."


register(RouteSpec(
    route=IceSR.ROUTE, proxy=IceSR, labels=LABELS, on_create=on_create,
    effects={"pass_gateway": after_gateway_decision, "fail_gateway": after_gateway_decision},
))
