from datetime import date

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from complaints.tables import CaseLinkColumn, GovukTable

from .models import DeadlineClock
from .selectors import STATE_TAGS, clock_state


class ClockTable(GovukTable):
    reference = CaseLinkColumn(accessor="sr__reference", verbose_name="SR", order_by=("sr__reference",))
    client = tables.Column(accessor="sr__client__name", verbose_name="Client", orderable=False)
    route = tables.Column(verbose_name="Route")
    rule = tables.Column(accessor="rule__name", verbose_name="Deadline", order_by=("rule__code",))
    team = tables.Column(accessor="team__name", verbose_name="Team")
    owner = tables.Column(accessor="sr__owner", verbose_name="Owner", default="Unallocated", orderable=False)
    started_on = tables.DateColumn(format="j M Y", verbose_name="Started")
    due_on = tables.DateColumn(format="j M Y", verbose_name="Due")
    state = tables.Column(empty_values=(), orderable=False, verbose_name="State")

    class Meta:
        model = DeadlineClock
        fields = ["reference", "client", "route", "rule", "team", "owner", "started_on", "due_on", "state"]
        order_by = ("due_on",)

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_state(self, record: DeadlineClock) -> str:
        state = clock_state(record, self.today)
        return format_html('<strong class="govuk-tag {}">{}</strong>', STATE_TAGS[state], state.capitalize())
