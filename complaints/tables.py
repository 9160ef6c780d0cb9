"""SR tables. Cells are rendered in Python (format_html), not with
TemplateColumn: a template per cell re-runs every context processor, which
made a 100-row page 50 times slower than its SQL."""

from collections.abc import Callable
from datetime import date
from functools import cache, partial
from typing import Any

import django_tables2 as tables
from django.core.paginator import EmptyPage, Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator
from django_tables2.rows import BoundRows
from django_tables2.utils import Accessor, signature

from prepared.urls import reverse
from workdays.text import deadline_text, fmt_date

from .copied import CopiedPerInstance
from .fields import ascii_int
from .html import escape, format_html, query_with
from .models import ServiceRequest
from .routes import labels_for, route_name
from .templatetags.govuk import status_tag_class

Cell = Callable[[Any], Any]


class GovukTable(tables.Table):
    """django-tables2 for columns, ordering, headers and pagination, with the
    body rendered from a plan made once per table: each column's renderer,
    the arguments it takes, and how its value is read. django-tables2 itself
    inspects the renderer's signature again for every cell, which cost
    0.3 ms a row. The cells are the same as django-tables2's (a test checks).
    """

    caption = ""  # read by screen readers only

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # One shallow copy of each column per table (complaints.copied); a
        # table may set attributes on its own columns (hide(), a cached date
        # or URL); nothing changes a column's dicts in place.
        cls.base_columns = CopiedPerInstance(cls.base_columns)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("template_name", "tables/govuk_table_fast.html")
        super().__init__(*args, **kwargs)

    def paginate(self, paginator_class: type[Paginator] = Paginator, per_page: int | None = None, page: int = 1,
                 *args: Any, **kwargs: Any) -> "GovukTable":
        """As django-tables2's, but the page holds the records, not a BoundRow
        made for each (a twentieth of My work's time): a table that writes
        its own rows reads them straight (paginated_records), and
        paginated_rows makes the BoundRows for the general plan."""
        self.paginator = paginator_class(self.data, per_page or self._meta.per_page, *args, **kwargs)
        self.page = self.paginator.page(page)
        return self

    @property
    def paginated_rows(self) -> BoundRows:
        page = getattr(self, "page", None)
        return self.rows if page is None else BoundRows(data=page.object_list, table=self)

    def paginated_records(self) -> list[Any]:
        page = getattr(self, "page", None)
        return list(self.data if page is None else page.object_list)

    def body_rows(self) -> list[list[tuple[str, Any]]]:
        plan = [(self._td_class(bc), self._cell(bc)) for bc in self.columns]
        return [[(td_class, cell(row)) for td_class, cell in plan] for row in self.paginated_rows]

    def body_html(self) -> SafeString:
        """The <tbody> rows as one string: a template loop over 100 rows of
        cells cost more than rendering the cells themselves."""
        rows = self.body_rows()
        if not rows:
            return format_html('<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>',
                               len(self.columns), self.empty_text or "")
        opening = {td_class: self._td_open(td_class) for td_class, _ in rows[0]}
        return mark_safe("".join(
            '<tr class="govuk-table__row">'
            + "".join(f"{opening[td_class]}{escape(cell)}</td>" for td_class, cell in row)
            + "</tr>\n"
            for row in rows
        ))

    def header_cells(self, request: HttpRequest | None) -> list[tuple[Any, str, str, bool, bool]]:
        """Each column's header as tables/govuk_table_fast.html writes it: its
        label, its aria-sort ("" for a column that does not sort), the
        address that sorts by it, and whether its icon shows the up and the
        down arrow. The template's lookups of django-tables2's bound columns
        cost more than the header itself."""
        params = dict(request.GET.lists()) if request is not None else {}
        field = self.prefixed_order_by_field
        cells: list[tuple[Any, str, str, bool, bool]] = []
        for column in self.columns:
            if not column.orderable:
                cells.append((column.header, "", "", False, False))
                continue
            ordered, alias = column.is_ordered, column.order_by_alias
            descending = alias.is_descending
            cells.append((column.header, ("descending" if descending else "ascending") if ordered else "none",
                          query_with(params, {field: alias.next}), not ordered or not descending,
                          not ordered or descending))
        return cells

    @staticmethod
    def _td_open(td_class: str) -> str:
        return f'<td class="govuk-table__cell {escape(td_class)}">' if td_class else '<td class="govuk-table__cell">'

    @staticmethod
    def _td_class(bound_column: Any) -> str:
        return bound_column.attrs.get("td", {}).get("class", "") or ""

    def _value_reader(self, accessor: Accessor) -> Cell:
        # As django-tables2 does: a model field with choices shows its label
        # (Model.get_FOO_display, with the labels read once per table, not
        # rebuilt for every cell).
        field = accessor.get_field(self._meta.model) if self._meta.model else None
        if field is not None and getattr(field, "choices", None):
            labels = {value: str(label) for value, label in field.flatchoices}
            name = accessor.bits[-1]

            def label(record: Any) -> Any:
                value = getattr(accessor.penultimate(record)[0], name)
                return labels.get(value, value)

            return label
        return lambda record: accessor.resolve(record, quiet=True)

    def _cell(self, bound_column: Any) -> Cell:
        column, render, link = bound_column.column, bound_column.render, bound_column.link
        wanted, takes_any = signature(render)
        read = self._value_reader(Accessor(bound_column.accessor))
        default, empty = bound_column.default, column.empty_values

        def cell(row: Any) -> Any:
            record = row.record
            value = read(record)
            if value in empty:
                return default
            context = {"value": value, "record": record, "column": column, "bound_column": bound_column,
                       "bound_row": row, "table": self}
            content = render(**(context if takes_any else {k: context[k] for k in wanted}))
            return link(content, **context) if link else content

        return cell


CONFIDENTIAL = mark_safe('<span class="govuk-body-s">Confidential SR</span>')


def is_readable(record: Any) -> bool:
    """False for a row of a confidential SR the user has not been granted
    (complaints.selectors.sr_readable annotates it as sr_readable)."""
    if type(record) is dict:
        return record.get("sr_readable", True) is not False
    return getattr(record, "sr_readable", True) is not False


def read(record: Any, path: str) -> Any:
    """A field of a list row, by its values() name ("client__region"): the
    row is a dict where a list reads rows rather than model instances (My
    work, complaints.selectors.my_work), an instance elsewhere."""
    if type(record) is dict:
        return record[path]
    for name in path.split("__"):
        record = getattr(record, name)
    return record


class CaseLinkColumn(tables.Column):
    """An SR reference linking to its case page (optionally a tab of it).
    The URL is reversed once per table, not once per row (reverse() was the
    largest cost of a row)."""

    _MARK = "SR-REFERENCE"

    def __init__(self, *, fragment: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("accessor", "reference")
        kwargs.setdefault("verbose_name", "Reference")
        kwargs.setdefault("attrs", {"td": {"class": "app-nowrap"}})  # a reference never breaks across lines
        super().__init__(**kwargs)
        self._fragment = f"#{fragment}" if fragment else ""
        self._href: tuple[str, str] | None = None

    def render(self, value: str, record: Any = None) -> str:
        if not is_readable(record):
            return CONFIDENTIAL
        if self._href is None:
            # The address escaped once per table: escaping it is escaping
            # its constant parts and the reference.
            url = reverse("case-detail", reference=self._MARK) + self._fragment
            before, after = escape(url).split(self._MARK)
            self._href = (before, after)
        reference = escape(value)
        return SafeString(f'<a class="govuk-link" href="{self._href[0]}{reference}{self._href[1]}">{reference}</a>')


class StatusColumn(tables.Column):
    """Status tag with the Sub Status beside it (derived, never stored)."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("verbose_name", "Status / Sub Status")
        # "id" rather than "pk": a row read as values() has no "pk".
        super().__init__(accessor="id", orderable=False, **kwargs)

    def render(self, record: Any) -> str:
        return status_cell(read(record, "route"), read(record, "state"), read(record, "client__region"),
                           read(record, "lock_assignment"))


@cache  # the routes' labels are constants: a few dozen cells, written once
def status_cell(route: str, state: str, region: str, locked: bool) -> SafeString:
    labels = labels_for(route, state, region)
    tag = format_html('<strong class="govuk-tag {}">{}</strong>', status_tag_class(labels.status), labels.status)
    if labels.sub_status:
        tag = format_html('{} <span class="govuk-body-s">{}</span>', tag, labels.sub_status)
    if locked:  # while an approval is pending (UI.md: a tag)
        tag = format_html('{} <strong class="govuk-tag govuk-tag--orange">Assignment locked</strong>', tag)
    return tag


class DeadlineColumn(tables.Column):
    """The next running deadline: "due Thu 31 Dec 2026 — 2 working days
    left", with an Overdue tag once it has passed."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("verbose_name", "Next deadline")
        super().__init__(accessor="next_due_on", empty_values=(), **kwargs)
        self._today: date | None = None

    def order(self, queryset: QuerySet, is_descending: bool) -> tuple[QuerySet, bool]:
        """Most urgent first, and SRs with no running deadline last either
        way: SQLite sorts NULLs first, PostgreSQL last, so it is said
        outright (the id keeps pages stable)."""
        due = F(str(self.accessor))
        return queryset.order_by(due.desc(nulls_last=True) if is_descending else due.asc(nulls_last=True), "id"), True

    def render(self, value: date | None, record: Any) -> str:
        if self._today is None:  # once per table, not per row
            self._today = timezone.localdate()
        return deadline_cell(value, self._today, read(record, "client__region"))


NO_DEADLINE = mark_safe('<span class="govuk-body-s">No running deadline</span>')


def deadline_cell(due: date | None, today: date, region: str) -> SafeString:
    if due is None:
        return NO_DEADLINE
    text = f'<span class="govuk-body-s">{escape(deadline_text(due, today, region))}</span>'
    if due < today:
        return SafeString(f'<strong class="govuk-tag govuk-tag--red">Overdue</strong> {text}')
    return SafeString(text)


class ServiceRequestTable(GovukTable):
    caption = "Service requests"
    reference = CaseLinkColumn()
    client = tables.Column(accessor="client__name", verbose_name="Client", order_by=("client__name",))
    route = tables.Column(verbose_name="Route")
    status = StatusColumn()
    next_due_on = DeadlineColumn()
    received_on = tables.Column(verbose_name="Received")

    class Meta:
        model = ServiceRequest
        fields = ["reference", "client", "route", "status", "next_due_on", "received_on"]
        order_by = ("next_due_on",)
        empty_text = "No service requests match."
        attrs = {"class": "govuk-table"}

    def render_route(self, record: Any) -> str:
        # As the client's region names it (the NI Ombudsman for PHSO).
        return route_name(read(record, "route"), read(record, "client__region"))

    def render_received_on(self, value: date) -> str:
        # Not the |date filter: a tenth of the cost per cell.
        return fmt_date(value)

    def _own_rows(self) -> list[dict[str, Any]] | None:
        """My work's rows, the hottest list (issue 14), when this table can
        write them itself: read as rows rather than model instances
        (complaints.selectors.my_work), in this table's own columns and
        order. None for anything else, which takes the general plan."""
        if type(self) is not ServiceRequestTable or [bound.name for bound in self.columns] != self._FAST_COLUMNS:
            return None
        records = self.paginated_records()
        return records if all(type(record) is dict for record in records) else None

    def _cells(self) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """A row's cells from the same functions as the columns' render
        methods, called straight (the general plan's per-cell context,
        value reading and dispatch cost more than the cells). The deadline
        cell is written once per table for each date and region: a list's
        rows share a few dates, and its text counts working days."""
        link = self.columns["reference"].column.render
        default = self.columns["client"].default
        deadline = cache(partial(deadline_cell, today=timezone.localdate()))

        def cells(r: dict[str, Any]) -> tuple[Any, ...]:
            client, region = r["client__name"], r["client__region"]
            return (link(r["reference"], r), default if client in (None, "") else client,
                    route_name(r["route"], region), status_cell(r["route"], r["state"], region, r["lock_assignment"]),
                    deadline(r["next_due_on"], region=region), self.render_received_on(r["received_on"]))

        return cells

    def body_rows(self) -> list[list[tuple[str, Any]]]:
        """The cells as django-tables2 would render them
        (tests/review/test_tables.py compares the two)."""
        records = self._own_rows()
        if records is None:
            return super().body_rows()
        classes = [self._td_class(bound) for bound in self.columns]
        cells = self._cells()
        return [list(zip(classes, cells(r), strict=True)) for r in records]

    def body_html(self) -> SafeString:
        """The same rows as GovukTable.body_html writes from body_rows, each
        row one string: the client's name and the route are the only cells
        not already HTML."""
        records = self._own_rows()
        if not records:
            return super().body_html()
        td = [self._td_open(self._td_class(bound)) for bound in self.columns]
        cells = self._cells()
        out = []
        for r in records:
            ref, client, route, status, deadline, received = cells(r)
            out.append(f'<tr class="govuk-table__row">{td[0]}{ref}</td>{td[1]}{escape(client)}</td>'
                       f'{td[2]}{escape(route)}</td>{td[3]}{status}</td>{td[4]}{deadline}</td>'
                       f'{td[5]}{escape(received)}</td></tr>\n')
        return mark_safe("".join(out))

    _FAST_COLUMNS = ["reference", "client", "route", "status", "next_due_on", "received_on"]


class TeamQueueTable(ServiceRequestTable):
    select = tables.CheckBoxColumn(accessor="pk", attrs={"th__input": {"aria-label": "Select all"}},
                                   verbose_name="Select", orderable=False)
    team = tables.Column(accessor="team__name", verbose_name="Team")

    class Meta(ServiceRequestTable.Meta):
        # The assignment lock shows as a tag in the status cell: a column of
        # its own was empty (an SR waiting for approval has its owner).
        fields = ["select", "reference", "client", "route", "team", "status", "next_due_on", "received_on"]
        sequence = ("select", "reference", "client", "route", "team", "status", "next_due_on", "received_on")

    def render_select(self, value: Any, record: Any) -> str:
        return format_html(
            '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="sr-{0}" name="srs" '
            'type="checkbox" value="{0}"><label class="govuk-label govuk-checkboxes__label" for="sr-{0}">'
            '<span class="govuk-visually-hidden">Select {1}</span></label></div></div>',
            value, record.reference,
        )


MAX_PAGE = 10_000  # far past any real list, and keeps OFFSET within PostgreSQL's bigint
PER_PAGE_CHOICES = (25, 50, 100)  # the "Rows per page" choices of complaints/_filter.html


def _int_or_none(text: str | None) -> int | None:
    return ascii_int(text, max_digits=9)


def _ties_by_id(table: tables.Table) -> None:
    """The id as the last sort key of a list read from the database: rows
    that tie on the chosen column (deadlines due the same day) otherwise
    come back in any order, and paging could show one twice and skip
    another."""
    data = getattr(table.data, "data", None)
    if not isinstance(data, QuerySet) or data.query.combinator or data.query.distinct:
        return
    ordering = tuple(data.query.order_by) or tuple(data.model._meta.ordering)
    if ordering and str(ordering[-1]).lstrip("-") not in ("id", "pk"):
        table.data.data = data.order_by(*ordering, "pk")


def paginate(request: HttpRequest, table: GovukTable, *, per_page: int, per_page_choices: tuple[int, ...] = (),
             paginator_class: type[Paginator] = LazyPaginator) -> None:
    """Ordering from ?sort=, then one page of the table. django-tables2's
    RequestConfig passes any integer in ?page= and ?per_page= through: a page
    past bigint was a server error, and ?per_page=1000000 read the whole list.
    Here a page out of range shows the first page and a size not offered
    shows the default. LazyPaginator (the default) never counts the list."""
    RequestConfig(request, paginate=False).configure(table)
    _ties_by_id(table)
    size = _int_or_none(request.GET.get(table.prefixed_per_page_field))
    if size not in per_page_choices:
        size = per_page
    page = _int_or_none(request.GET.get(table.prefixed_page_field))
    if page is None or not 1 <= page <= MAX_PAGE:
        page = 1
    try:
        table.paginate(paginator_class=paginator_class, per_page=size, page=page)
    except EmptyPage:  # past the end: the last page if it is known, else the first
        table.paginate(paginator_class=paginator_class, per_page=size, page=table.paginator.num_pages or 1)
