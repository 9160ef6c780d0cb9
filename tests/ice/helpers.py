"""ICE SRs made and moved through the real services."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from accounts.models import User
from complaints.models import ResolutionCode, ServiceRequest
from complaints.routes import as_route
from complaints.services.cases import create_service_request
from complaints.services.transitions import all_transitions, available_transitions, run_transition
from tests.factories import ServiceRequestFactory

LONDON = ZoneInfo("Europe/London")
# Monday 2 November 2026, 9am in London: ICE's e-mail arrives.
MON_2_NOV_2026 = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)

COMPOSITIONS: dict[str, dict] = {"ICE-FIG-ACK": {}}


def reload(sr: ServiceRequest) -> ServiceRequest:
    return as_route(ServiceRequest.objects.select_related("client", "team", "owner").get(pk=sr.pk))


def closed_sr(*, route: str, team: Any, client: Any, closed_on: date) -> ServiceRequest:
    closed_at = datetime(closed_on.year, closed_on.month, closed_on.day, 12, 0, tzinfo=LONDON)
    return ServiceRequestFactory(
        route=route, team=team, client=client, state="closed", resolution_code=ResolutionCode.RESOLVED,
        closed_at=closed_at, received_on=closed_on - timedelta(days=30),
    )


def new_ice(*, actor: User, team: Any, client: Any, received_on: date = date(2026, 11, 2)) -> ServiceRequest:
    return create_service_request(actor=actor, client=client, route="ice", team=team, received_on=received_on,
                                  referrer="ice", details="ICE's e-mail: the client is unhappy with the review.")


def go(sr: ServiceRequest, actor: User, name: str, **data: Any) -> ServiceRequest:
    letter = all_transitions(sr)[name].custom.get("letter")
    if letter and "letter" not in data:
        data["letter"] = COMPOSITIONS.get(letter, {})
    return reload(run_transition(sr_id=sr.pk, actor=actor, name=name, expected_version=None, data=data).sr)


def gateway_data(final_sr: ServiceRequest | None = None, **extra: Any) -> dict:
    """What the gateway form hands the step when the criteria are met."""
    data = {"ice_reference": "ICE-123", "final_response_sr": final_sr,
            "final_response_on": date(2026, 9, 15) if final_sr else None, "contacted_ice_on": date(2026, 10, 20),
            "mp_clearance_on": None, "referred_by_phso": False, "client_gave_copy": False,
            "gateway_proposal": "pass", "gateway_findings": "Six months met.", "gateway_override_reason": "",
            "note": ""}
    data.update(extra)
    return data


def available(sr: ServiceRequest, user: User) -> set[str]:
    return {t.name for t in available_transitions(reload(sr), user)}
