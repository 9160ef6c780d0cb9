"""Review SRs made and moved through the real services, with the letter
each step needs composed the way a caseworker would."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from complaints.models import ActionKind, ResolutionCode, ServiceRequest
from complaints.plans.services import plan_add_action, plan_add_reason
from complaints.routes import as_route
from complaints.services.cases import create_service_request
from complaints.services.transitions import all_transitions, run_transition
from tests.factories import ServiceRequestFactory

LONDON = ZoneInfo("Europe/London")
# Monday 2 November 2026, 9am in London: the day the review arrives.
MON_2_NOV_2026 = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)

# What the caseworker writes in each letter's free-text sections.
COMPOSITIONS: dict[str, dict] = {
    "CMSL5829": {},
    "CMSL5800": {"free_text": {"update": "We checked the payment record again; it is right."}},
    "CMSL5801": {"free_text": {"plan": "Your payments were recorded late. We will correct the record."}},
    "CMSL5803": {"free_text": {"update": "A senior team leader reviewed the plan with your reasons."}},
    "CMSL5804": {"free_text": {"revised_plan": "We will also refund the late payment fee by 1 February."}},
    "CMSL5805": {"free_text": {"what_this_means": "Your record is corrected and the payment made."}},
    "CMSL5806": {"free_text": {"what_this_means": "Your record is corrected and the payment made."}},
    "CMSL5807": {"free_text": {"update": "A senior member of the team reviewed your complaint."}},
}


def reload(sr: ServiceRequest) -> ServiceRequest:
    return as_route(ServiceRequest.objects.select_related("client", "team", "owner").get(pk=sr.pk))


def closed_resolution_sr(*, team, client, closed_on: date) -> ServiceRequest:
    closed_at = datetime(closed_on.year, closed_on.month, closed_on.day, 12, 0, tzinfo=LONDON)
    return ServiceRequestFactory(
        route="resolution", team=team, client=client, state="closed", resolution_code=ResolutionCode.RESOLVED,
        closed_at=closed_at, received_on=closed_on - timedelta(days=30),
    )


def new_review(*, actor: User, team: Any, client: Any, related: Any = None, received_on: date | None = None) -> ServiceRequest:
    return create_service_request(
        actor=actor, client=client, route="review", team=team,
        received_on=received_on or timezone.localdate(), referrer="client",
        details="Not happy with how the resolution team dealt with the late payments.",
        related_sr=related, related_reason="Closed Resolution SR on the same issue" if related else "",
    )


def go(sr: ServiceRequest, actor: User, name: str, **data: Any) -> ServiceRequest:
    """Run one transition as the page would, composing its letter if it needs one."""
    letter = all_transitions(sr)[name].custom.get("letter")
    if letter and "letter" not in data:
        data["letter"] = COMPOSITIONS.get(letter, {})
    return run_transition(sr_id=sr.pk, actor=actor, name=name, expected_version=None, data=data).sr


def add_plan(sr: ServiceRequest, actor: User, *, redress: str | None = None, due_on: date | None = None) -> None:
    """One reason with one ordinary action, plus a redress action if asked."""
    due_on = due_on or timezone.localdate() + timedelta(days=28)
    reason = plan_add_reason(sr=sr, actor=actor, grounds="Payments recorded late",
                             comments="Three payments in August were shown as missed.")
    plan_add_action(sr=sr, actor=actor, reason_id=reason.pk, description="Correct the payment record",
                    kind=ActionKind.OTHER, due_on=due_on)
    if redress:
        plan_add_action(sr=sr, actor=actor, reason_id=reason.pk, description="Pay for the distress caused",
                        kind=ActionKind.FINANCIAL_REDRESS, due_on=due_on, amount=Decimal(redress))


def available(sr: ServiceRequest, user: User) -> set[str]:
    from complaints.services.transitions import available_transitions

    return {t.name for t in available_transitions(reload(sr), user)}
