import django_tables2 as tables
from django.utils.html import format_html

from .models import ServiceRequest


class ServiceRequestTable(tables.Table):
    reference = tables.Column(linkify=("case-detail", {"reference": tables.A("reference")}), verbose_name="Reference")
    client = tables.Column(accessor="client__name", verbose_name="Client", order_by=("client__name",))
    route = tables.Column(verbose_name="Route")
    status = tables.TemplateColumn(
        template_name="complaints/_status_cell.html", verbose_name="Status / Sub Status", orderable=False,
    )
    next_due_on = tables.TemplateColumn(
        template_name="complaints/_deadline_cell.html", verbose_name="Next deadline",
    )
    received_on = tables.DateColumn(format="j M Y", verbose_name="Received")

    class Meta:
        model = ServiceRequest
        fields = ["reference", "client", "route", "status", "next_due_on", "received_on"]
        order_by = ("next_due_on",)
        empty_text = "No service requests match."
        attrs = {"class": "govuk-table", "data-module": "moj-sortable-table"}


class TeamQueueTable(ServiceRequestTable):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": "Select all"}},
                                   verbose_name="Select", orderable=False)
    team = tables.Column(accessor="team__name", verbose_name="Team")
    lock = tables.Column(accessor="lock_assignment", verbose_name="", orderable=False, empty_values=())

    class Meta(ServiceRequestTable.Meta):
        fields = ["select", "reference", "client", "route", "team", "status", "next_due_on", "received_on", "lock"]
        sequence = ("select", "reference", "client", "route", "team", "status", "next_due_on", "received_on", "lock")

    def render_select(self, value, record):  # type: ignore[no-untyped-def]
        return format_html(
            '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="sr-{0}" name="srs" '
            'type="checkbox" value="{0}"><label class="govuk-label govuk-checkboxes__label" for="sr-{0}">'
            '<span class="govuk-visually-hidden">Select {1}</span></label></div></div>',
            value, record.reference,
        )

    def render_lock(self, value):  # type: ignore[no-untyped-def]
        if value:
            return format_html('<strong class="govuk-tag govuk-tag--orange">Assignment locked</strong>')
        return ""
