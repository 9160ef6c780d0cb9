"""Helpers for platform tests: SRs made through the real services."""

from datetime import date
from typing import Any

from accounts.models import User
from complaints.models import ServiceRequest
from complaints.services.cases import create_service_request
from complaints.services.transitions import run_transition


def new_sr(*, actor: User, team: Any, client: Any, route: str = "resolution", received_on: date | None = None, **extra: Any) -> ServiceRequest:
    return create_service_request(
        actor=actor, client=client, route=route, team=team,
        received_on=received_on or date(2026, 11, 2), referrer=extra.pop("referrer", "client"),
        details=extra.pop("details", "Payments not shown on the statement."), **extra,
    )


def allocate(sr: ServiceRequest, *, tl: Any, owner: Any) -> ServiceRequest:
    return run_transition(sr_id=sr.pk, actor=tl, name="allocate", expected_version=None, data={"owner": owner}).sr


def reload(sr: ServiceRequest) -> ServiceRequest:
    from complaints.routes import as_route

    return as_route(ServiceRequest.objects.get(pk=sr.pk))


def intake_form(team: Any, **overrides: Any) -> dict[str, Any]:
    """The New SR form as a caseworker fills it in, with fields overridden."""
    data = {
        "case_number": "5551234567", "client_name": "Morag Campbell", "address_line_1": "22 Byres Road",
        "town": "Glasgow", "postcode": "G12 8QQ", "region": "scotland", "language": "en",
        "route": "resolution", "team": team.pk, "received_on_day": "20", "received_on_month": "11",
        "received_on_year": "2026", "referrer": "client", "details": "Payments missing from the statement.",
    }
    data.update(overrides)
    return data


def field_errors(response: Any, field: str) -> list[str]:
    return list(response.context["form"].errors.get(field, []))
