import uuid
from datetime import date
from typing import Any, cast

import django_tables2 as tables
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from complaints.html import escape, format_html
from complaints.tables import CONFIDENTIAL, CaseLinkColumn, GovukTable, ServiceRequestTable, is_readable, read
from prepared.urls import reverse
from workdays.text import fmt_day, left_phrase

from .models import DeadlineClock, Task, TaskKind, task_is_overdue
from .selectors import STATE_TAGS, clock_state, title_of, working_days_left


class ClockTable(GovukTable):
    caption = "Deadlines"
    reference = CaseLinkColumn(accessor="sr__reference", verbose_name="SR", order_by=("sr__reference",))
    client = tables.Column(accessor="sr__client__name", verbose_name="Client", orderable=False)
    route = tables.Column(verbose_name="Route")
    rule = tables.Column(accessor="rule__name", verbose_name="Deadline", order_by=("rule__name",))
    team = tables.Column(accessor="team__name", verbose_name="Team")
    owner = tables.Column(accessor="sr__owner", verbose_name="Owner", default="Unallocated", orderable=False)
    started_on = tables.DateColumn(format="j M Y", verbose_name="Started", attrs={"td": {"class": "app-nowrap"}})
    due_on = tables.DateColumn(format="j M Y", verbose_name="Due", attrs={"td": {"class": "app-nowrap"}})
    state = tables.Column(empty_values=(), orderable=False, verbose_name="State")

    class Meta:
        model = DeadlineClock
        fields = ["reference", "client", "route", "rule", "team", "owner", "started_on", "due_on", "state"]
        order_by = ("due_on",)

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_client(self, value: str, record: DeadlineClock) -> str:
        return value if is_readable(record) else "Confidential"

    def render_state(self, record: DeadlineClock) -> str:
        state = clock_state(record, self.today)
        tag = format_html('<strong class="govuk-tag {}">{}</strong>', STATE_TAGS[state], state.capitalize())
        left = working_days_left(record, self.today)
        if left is None:
            return tag
        # How far in or past the deadline, as the manager chasing it asks.
        days = "due today" if record.due_on == self.today else left_phrase(left)
        return format_html('{}<span class="govuk-body-s govuk-!-display-block govuk-!-margin-top-1 '
                           'govuk-!-margin-bottom-0">{}</span>', tag, days)


def panel_row(record: Task | dict[str, Any]) -> dict[str, Any]:
    """A task as the panel reads it (sla.selectors.PANEL_FIELDS): the panel
    reads rows; a Task instance is made one."""
    if type(record) is dict:
        return record
    task = cast(Task, record)
    clock = task.clock if task.clock_id else None
    return {"id": task.pk, "kind": task.kind, "title": task.title, "due_on": task.due_on,
            "sr__reference": task.sr.reference, "sr__client__name": task.sr.client.name,
            "clock__region": clock.region if clock else None, "clock__rule__name": clock.rule.name if clock else None,
            "sr_readable": getattr(task, "sr_readable", True)}


class TaskSRColumn(CaseLinkColumn):
    """The task's SR reference, linked, with the client's name under it."""

    def render(self, value: str, record: Any) -> str:  # type: ignore[override]
        if not is_readable(record):
            return CONFIDENTIAL
        return SafeString(f'{super().render(value, record)}<span class="govuk-body-s govuk-!-display-block '
                          f'govuk-!-margin-bottom-0">{escape(read(record, "sr__client__name"))}</span>')


_LAST_48_BITS = (1 << 48) - 1

# Short tags for the panel: the title under each tag says the rest.
TASK_TAGS: dict[str, str] = {
    TaskKind.DUE_SOON: "Due soon", TaskKind.OVERDUE: "Overdue", TaskKind.OVERDUE_TL: "Overdue 2+ days",
    TaskKind.OVERDUE_MANAGER: "Overdue 5+ days", TaskKind.WAIT_EXPIRED: "Act now", TaskKind.ACTION: "Plan step",
}


KIND_LABELS: dict[str, str] = {value: str(label) for value, label in TaskKind.choices}


class TaskTable(GovukTable):
    """The tasks panel on My work: each task with a "Mark as done" button that
    posts back and returns to the same page."""

    task = tables.Column(accessor="kind", verbose_name="Task")
    sr = TaskSRColumn(accessor="sr__reference", verbose_name="SR")
    due_on = tables.Column(verbose_name="Due", default="–", attrs={"td": {"class": "app-nowrap"}})
    done = tables.Column(accessor="id", verbose_name=mark_safe('<span class="govuk-visually-hidden">Action</span>'),
                         empty_values=())
    caption = "Your open tasks, overdue first"

    class Meta:
        model = Task
        fields = ["task", "sr", "due_on", "done"]
        orderable = False

    def __init__(self, *args: Any, csrf_token: str, next_url: str, today: date | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # Each row's "Mark as done" form acts once (complaints.idempotency):
        # a token per table and row, the same however often the row renders.
        # One random UUID per table, its last 48 bits XORed with the task's id
        # for each row: distinct per row, still a UUID, and without the SHA-1
        # of a uuid5 per row (a tenth of the panel's time).
        tokens = uuid.uuid4()
        self._token_head, self._token_tail = str(tokens)[:24], tokens.int & _LAST_48_BITS
        # Reversed once per table: reverse() per row was most of a row's cost.
        done_url = reverse("sla:task-done", 0).replace("/0/", "/{}/")
        # The parts every row's form shares, escaped once per table.
        self._form_html = (escape(done_url), escape(csrf_token), escape(next_url))

    def body_rows(self) -> list[list[tuple[str, Any]]]:
        """Each row's cells from the render methods' own writers, called
        straight, the title worked out once for both cells that show it (the
        general plan's per-cell dispatch cost more than the cells)."""
        classes = [self._td_class(bound) for bound in self.columns]
        if [bound.name for bound in self.columns] != ["task", "sr", "due_on", "done"]:
            return super().body_rows()
        sr_column, due_default = self.columns["sr"].column, self.columns["due_on"].default
        rows = []
        for record in self.paginated_records():
            r = panel_row(record)
            title = self._title_html(r)
            cells = (self._task_html(r, title), sr_column.render(r["sr__reference"], r),
                     due_default if r["due_on"] is None else self.render_due_on(r["due_on"]), self._done_html(r, title))
            rows.append(list(zip(classes, cells, strict=True)))
        return rows

    def _title_html(self, r: dict[str, Any]) -> str:
        if not is_readable(r):
            return "Details withheld: a confidential SR you have not been granted"
        return escape(title_of(r["kind"], r["title"], r["due_on"], r["clock__region"], r["clock__rule__name"],
                               self.today))

    def render_task(self, record: Any) -> str:
        r = panel_row(record)
        return self._task_html(r, self._title_html(r))

    def _task_html(self, r: dict[str, Any], title: str) -> SafeString:
        colour = "red" if task_is_overdue(r["kind"], r["due_on"], self.today) else "yellow"
        tag = escape(TASK_TAGS.get(r["kind"]) or KIND_LABELS.get(r["kind"], r["kind"]))
        return SafeString(f'<strong class="govuk-tag govuk-tag--{colour}">{tag}</strong><span class="govuk-body-s '
                          f'govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0">{title}</span>')

    def render_due_on(self, value: date) -> str:
        return fmt_day(value)

    def render_done(self, record: Any) -> str:
        r = panel_row(record)
        return self._done_html(r, self._title_html(r))

    def _done_html(self, r: dict[str, Any], title: str) -> SafeString:
        action, token, next_url = self._form_html
        what, where = (title, escape(r["sr__reference"])) if is_readable(r) else ("this task", "a confidential SR")
        return SafeString(
            f'<form method="post" action="{action.format(r["id"])}" class="app-inline-form" novalidate>'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="next" value="{next_url}">'
            f'<input type="hidden" name="form_token" value="{self._token_head}{self._token_tail ^ r["id"]:012x}">'
            '<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" '
            f'data-module="govuk-button">Mark as done<span class="govuk-visually-hidden">: {what} on {where}</span>'
            '</button></form>'
        )


class DGCaselistTable(ServiceRequestTable):
    """The DG caselist: My work's columns plus who has it and who asked."""

    caption = "SRs on the DG caselist"

    team = tables.Column(accessor="team__name", verbose_name="Team")
    owner = tables.Column(accessor="owner", verbose_name="Owner", default="Unallocated", orderable=False)
    parliamentary_contact = tables.Column(verbose_name="Parliamentary contact", default="–", orderable=False)

    class Meta(ServiceRequestTable.Meta):
        fields = ["reference", "client", "route", "team", "owner", "status", "parliamentary_contact",
                  "next_due_on", "received_on"]
        sequence = ("reference", "client", "route", "team", "owner", "status", "parliamentary_contact",
                    "next_due_on", "received_on")
        empty_text = "No open service requests of your teams are on the DG caselist."


# --- MI export (issue 13) ------------------------------------------------------


class MITable(GovukTable):
    """Stages completed, by month, team, route and stage (sla.mi)."""

    caption = "Stages completed by month and team"
    month = tables.Column(accessor="month_name", verbose_name="Month", order_by=("month",))
    team = tables.Column(verbose_name="Team")
    route = tables.Column(verbose_name="Route")
    stage = tables.Column(verbose_name="Stage")
    completed = tables.Column(verbose_name="Stages completed", attrs={"td": {"class": "govuk-table__cell--numeric"}})
    working_days = tables.Column(verbose_name="Working days taken",
                                 attrs={"td": {"class": "govuk-table__cell--numeric"}})
    average = tables.Column(verbose_name="Average working days", orderable=False,
                            attrs={"td": {"class": "govuk-table__cell--numeric"}})
    longest = tables.Column(verbose_name="Longest", attrs={"td": {"class": "govuk-table__cell--numeric"}})
