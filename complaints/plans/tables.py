"""The Approvals page table (UI.md): plans waiting for a team leader's or a
higher grade's decision, oldest first."""

from typing import Any

import django_tables2 as tables
from django.utils import timezone

from ..html import format_html
from ..models import ServiceRequest
from ..tables import CaseLinkColumn, DeadlineColumn, GovukTable

WAITING_FOR = {
    "pending_tl_approval": "Approve the plan",
    "pending_senior_approval": "Approve the plan (referred to your grade)",
    "pending_tl_decision": "Client disagrees: go ahead or revise",
}


class ApprovalsTable(GovukTable):
    caption = "Plans waiting for a decision"
    reference = CaseLinkColumn(fragment="plan")
    client = tables.Column(accessor="client__name", verbose_name="Client", orderable=False)
    route = tables.Column(verbose_name="Route")
    state = tables.Column(verbose_name="Waiting for", orderable=False)
    amount = tables.Column(verbose_name="Redress", attrs={"td": {"class": "govuk-table__cell--numeric"}})
    drafted_by = tables.Column(accessor="drafted_by_name", verbose_name="Drafted by", orderable=False,
                               empty_values=())
    waiting_since = tables.Column(verbose_name="Waiting since")
    next_due_on = DeadlineColumn(verbose_name="Deadline pressure")

    class Meta:
        model = ServiceRequest
        fields = ["reference", "client", "route", "state", "amount", "drafted_by", "waiting_since", "next_due_on"]
        order_by = ("waiting_since",)
        empty_text = "Nothing is waiting for your decision."
        attrs = {"class": "govuk-table"}

    def render_waiting_since(self, value: Any) -> str:
        # In Python rather than DateTimeColumn, which renders a template per cell.
        local = timezone.localtime(value)
        return f"{local.day} {local:%b %Y %H:%M}"

    def render_state(self, value: str) -> str:
        return WAITING_FOR.get(value, value)

    def render_amount(self, value: Any) -> str:
        return format_html("£{}", f"{value:,.2f}") if value else "–"

    def render_drafted_by(self, record: Any) -> str:  # annotated by the selector
        return f"{record.drafted_by_name or ''} {record.drafted_by_last or ''}".strip() or "–"


# --- PHSO / NI Ombudsman (issue 13) ------------------------------------------


class SignOffTable(GovukTable):
    """Responses waiting for the Head of Complaints Review's sign-off."""

    caption = "Responses waiting for sign-off"
    reference = CaseLinkColumn()
    client = tables.Column(accessor="client__name", verbose_name="Client", orderable=False)
    stage = tables.Column(accessor="stage", verbose_name="Response to", orderable=False)
    drafted_by = tables.Column(accessor="drafted_by_name", verbose_name="Drafted by", orderable=False,
                               empty_values=())
    waiting_since = tables.Column(verbose_name="Waiting since")
    next_due_on = DeadlineColumn(verbose_name="Deadline pressure")

    class Meta:
        model = ServiceRequest
        fields = ["reference", "client", "stage", "drafted_by", "waiting_since", "next_due_on"]
        empty_text = "No response is waiting for your sign-off."
        attrs = {"class": "govuk-table"}

    def render_waiting_since(self, value: Any) -> str:
        local = timezone.localtime(value)
        return f"{local.day} {local:%b %Y %H:%M}"

    def render_drafted_by(self, record: Any) -> str:  # annotated by the selector
        return f"{record.drafted_by_name or ''} {record.drafted_by_last or ''}".strip() or "–"
