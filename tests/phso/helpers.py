"""PHSO SRs made and moved through the real services."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from complaints.models import ActionKind, ServiceRequest
from complaints.plans.services import current_plan, plan_add_action, plan_add_reason, plan_mark_action_done
from complaints.routes import as_route
from complaints.services.cases import create_service_request
from complaints.services.transitions import available_transitions, run_transition

LONDON = ZoneInfo("Europe/London")
# Monday 2 November 2026, 9am in London: the Ombudsman's request arrives.
MON_2_NOV_2026 = datetime(2026, 11, 2, 9, 0, tzinfo=LONDON)


def reload(sr: ServiceRequest) -> ServiceRequest:
    return as_route(ServiceRequest.objects.select_related("client", "team", "owner").get(pk=sr.pk))


def new_phso(*, actor: User, team: Any, client: Any, received_on: date | None = None) -> ServiceRequest:
    return create_service_request(
        actor=actor, client=client, route="phso", team=team, received_on=received_on or timezone.localdate(),
        referrer="phso", parliamentary_contact="A. Member MP",
        details="The Ombudsman asks for the case history of the complaint about late payments.",
    )


def go(sr: ServiceRequest, actor: User, name: str, **data: Any) -> ServiceRequest:
    return run_transition(sr_id=sr.pk, actor=actor, name=name, expected_version=None, data=data).sr


def available(sr: ServiceRequest, user: User) -> set[str]:
    return {t.name for t in available_transitions(reload(sr), user)}


def today() -> date:
    return timezone.localdate()


# --- the steps, with what a caseworker would type ---------------------------


def to_with_phso(sr: ServiceRequest, pat: Any):
    return go(sr, pat, "information_sent", parliamentary_contact="A. Member MP", referred_by_member=True, note="")


def to_pti(sr: ServiceRequest, pat: Any, received_on: date | None = None, earlier: Any=()):
    sr = to_with_phso(sr, pat)
    return go(sr, pat, "pti_received", received_on=received_on or today(), addressee="Business in general",
              root_cause="Late payments", parliamentary_contact="A. Member MP", details="Full details.",
              earlier=list(earlier))


def panel(sr: ServiceRequest, pat: Any):
    return go(sr, pat, "convene_pti_panel", panel_members="Ann\nBob", panel_on=today(),
              panel_briefing="The case so far.", sent_to_members=True)


def to_with_phso_pti(sr: ServiceRequest, pat: Any, hugh: Any):
    sr = panel(to_pti(sr, pat), pat)
    sr = go(sr, pat, "submit_pti_response", pti_response="Our response.")
    return go(sr, hugh, "sign_off_pti", note="")


def to_report(sr: ServiceRequest, pat: Any, hugh: Any):
    sr = to_with_phso_pti(sr, pat, hugh)
    sr = go(sr, pat, "soc_received", received_on=today(), target_date=today() + timedelta(days=90), note="")
    sr = go(sr, pat, "soc_response_sent", note="")
    return go(sr, pat, "draft_report_received", received_on=today(), note="")


def to_fdl(sr: ServiceRequest, pat: Any, hugh: Any, amount: str | None = None):
    sr = to_report(sr, pat, hugh)
    sr = go(sr, pat, "convene_report_panel", report_panel_members="Ann", report_panel_on=today(),
            accuracy_checked=True)
    sr = go(sr, pat, "submit_report_response", report_response="Two factual corrections.")
    sr = go(sr, hugh, "sign_off_report", note="")
    return go(sr, pat, "fdl_received", received_on=today(), fdl_amount=Decimal(amount) if amount else None, note="")


def add_plan(sr: ServiceRequest, actor: User, *, redress: str | None = None) -> list:
    due_on = today() + timedelta(days=20)
    reason = plan_add_reason(sr=sr, actor=actor, grounds="Payments recorded late", comments="As the Ombudsman found.")
    actions = [plan_add_action(sr=sr, actor=actor, reason_id=reason.pk, description="Correct the payment record",
                               kind=ActionKind.OTHER, due_on=due_on)]
    if redress:
        actions.append(plan_add_action(sr=sr, actor=actor, reason_id=reason.pk, description="Special payment",
                                       kind=ActionKind.FINANCIAL_REDRESS, due_on=due_on, amount=Decimal(redress)))
    return actions


def finish_actions(sr: ServiceRequest, actor: User) -> None:
    plan = current_plan(sr)
    for action in plan.actions.filter(done=False):
        plan_mark_action_done(sr=sr, actor=actor, action_id=action.pk)
