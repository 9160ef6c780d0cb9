"""Deadline pages. Views parse input, check access and call a selector or a
service; the rules live in sla.services / sla.selectors."""

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.http import SignedInRequest
from accounts.models import Region, RouteChoices
from complaints.filters import ServiceRequestFilter
from complaints.idempotency import once_per_form
from complaints.permissions import can_view
from complaints.routes import route_name
from complaints.selectors import all_statuses, sr_readable
from complaints.selectors import dg_caselist as caselist
from complaints.services.errors import ServiceError
from complaints.tables import PER_PAGE_CHOICES, paginate

from . import mi, selectors
from .exports import csv_response
from .filters import ClockFilter, MIFilter
from .forms import DashboardForm, ExtendClockForm
from .models import DeadlineClock
from .permissions import can_extend_clock, can_view_dashboard
from .services import complete_task, extend_clock
from .tables import ClockTable, DGCaselistTable, MITable


def _require_dashboard(request: SignedInRequest) -> None:
    if not can_view_dashboard(request.user):
        raise PermissionDenied("The deadline dashboard is for team leaders and managers.")


def _list_url(path: str, **params: object) -> str:
    """The clock list behind a figure (`path`: the list's, reversed once per
    page: the dashboard links ~70 figures)."""
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(clean)}" if clean else path


@login_required
def dashboard(request: SignedInRequest) -> HttpResponse:
    _require_dashboard(request)
    user = request.user
    teams = list(selectors.dashboard_teams(user))
    form = DashboardForm(request.GET or None, teams=teams)
    team = route = None
    if form.is_valid():
        team, route = form.cleaned_data["team"], form.cleaned_data["route"]
    today = timezone.localdate()
    scope = {"team": team.pk if team else "", "route": route or ""}
    path = reverse("sla:clock-list")
    figures = selectors.dashboard_figures(user, teams, today, team=team, route=route or "")
    summary, weeks, caseworkers = figures.summary, figures.weeks, figures.caseworkers
    return render(request, "sla/dashboard.html", {
        "form": form,
        "today": today,
        "summary": summary,
        "cards": [
            (label, getattr(summary.total, bucket), _list_url(path, bucket=bucket, **scope))
            for bucket, label in (("overdue", "Overdue"), ("due_today", "Due today"),
                                  ("due_week", "Due this week"), ("open", "Open deadlines"))
        ],
        "groupings": [
            ("Route", _linked(path, summary.by_route, scope)),
            ("Deadline", _linked(path, summary.by_rule, scope)),
            ("Team", _linked(path, summary.by_team, scope)),
        ],
        "waits": [
            ("Client waits running", summary.waiting, _list_url(path, bucket="waiting", **scope)),
            ("Client waits ended: act now", summary.wait_ended, _list_url(path, bucket="wait_ended", **scope)),
        ],
        "weeks": [(w, _list_url(path, bucket="met_on_time", met_week=w.week_start.isoformat(), **scope),
                   _list_url(path, bucket="met_late", met_week=w.week_start.isoformat(), **scope)) for w in weeks],
        "chart": _chart(weeks),
        "caseworkers": [(c, _list_url(path, bucket="overdue", owner=c.user_id, **scope)) for c in caseworkers],
    })


def _linked(path: str, rows: list[selectors.Counts], scope: dict) -> list[tuple[selectors.Counts, dict[str, str]]]:
    """Each count with the URL of the list behind it."""
    return [(c, {b: _list_url(path, **{**scope, **c.params, "bucket": b}) for b in selectors.COUNTED}) for c in rows]


def _chart(weeks: list[selectors.WeekFigures]) -> dict:
    """Geometry of the server-rendered SVG bar chart (stacked on time / late
    per week); the same numbers are in the table under it."""
    height, bar, gap, top = 160, 36, 14, 10
    most = max((w.total for w in weeks), default=0) or 1
    bars = []
    # Each bar's SVG written here rather than by a template loop: a dozen
    # bars of attributes cost the dashboard more than its statement (issue 14).
    for i, w in enumerate(weeks):
        x = gap + i * (bar + gap)
        on_h = round(height * w.on_time / most)
        late_h = round(height * w.late / most)
        day = f"{w.week_start.day} {w.week_start:%b}"
        parts = [f"\n  <g>\n    <title>Week starting {day}: {w.on_time} on time, {w.late} late</title>\n    "]
        if on_h:
            parts.append(f'<rect x="{x}" y="{top + height - on_h}" width="{bar}" height="{on_h}" fill="#00703c"/>')
        parts.append("\n    ")
        if late_h:
            parts.append(f'<rect x="{x}" y="{top + height - on_h - late_h}" width="{bar}" height="{late_h}" '
                         'fill="#d4351c"/>')
        parts.append(f'\n    <text x="{x + bar // 2}" y="{top + height + 16}" text-anchor="middle" font-size="11" '
                     f'fill="#0b0c0c">{day}</text>\n  </g>\n  ')
        bars.append("".join(parts))  # numbers and an English month: nothing to escape
    return {"bars": mark_safe("".join(bars)), "width": gap + len(weeks) * (bar + gap), "height": top + height + 24,
            "baseline": top + height, "most": most}


# (header, the value's field). Codes and slugs are turned into the words the
# pages use (_readable): a route's and a region's names, the owner's name.
CSV_COLUMNS = [
    ("SR", "sr__reference"), ("Client", "sr__client__name"), ("Route", "route"), ("Deadline", "rule__name"),
    ("Team", "team__name"), ("Owner", "sr__owner_id"), ("Region", "region"),
    ("Started", "started_on"), ("Due", "due_on"), ("Originally due", "original_due_on"), ("Met", "met_on"),
    ("Cancelled", "cancelled_at"), ("Extended to", "extended_to"), ("Extension reason", "extension_reason"),
]
_OWNER_NAME = ("sr__owner__first_name", "sr__owner__last_name", "sr__owner__username")


def _csv_url(request: SignedInRequest, view: str) -> str:
    """The same list, with the same filters and ordering, as a CSV download."""
    query = request.GET.copy()
    query.pop("page", None)
    query["export"] = "csv"
    return f"{reverse(view)}?{query.urlencode()}"


def _clock_rows(qs: Any, today: date) -> Iterator[list[object]]:
    fields = [field for _, field in CSV_COLUMNS]
    routes, regions = dict(RouteChoices.choices), dict(Region.choices)
    # One server-side cursor, streamed: constant memory whatever the size.
    for row in qs.values(*fields, *_OWNER_NAME, "sr_readable").iterator(chunk_size=2000):
        running = row["met_on"] is None and row["cancelled_at"] is None
        left = selectors.days_between(today, row["due_on"], row["region"]) if running else None
        if not row["sr_readable"]:  # counted, but its details are for those granted it
            row.update({"sr__reference": "Confidential SR", "sr__client__name": "Confidential"})
        first, last, username = (row[f] for f in _OWNER_NAME)
        row["sr__owner_id"] = f"{first} {last}".strip() or username or "Unallocated"
        row["route"], row["region"] = routes.get(row["route"], row["route"]), regions.get(row["region"], row["region"])
        yield [row[field] for field in fields] + [left]


@login_required
def clock_list(request: SignedInRequest) -> HttpResponseBase:
    """The deadlines behind a dashboard figure: filters, a paginated table,
    and the same rows as CSV."""
    _require_dashboard(request)
    user = request.user
    today = timezone.localdate()
    teams = selectors.dashboard_teams(user)
    clocks = selectors.clock_list(selectors.scoped_clocks(user)).annotate(sr_readable=sr_readable(user, "sr"))
    filterset = ClockFilter(request.GET or None, queryset=clocks, teams=teams, today=today)
    qs = filterset.qs if filterset.is_bound else clocks
    if request.GET.get("export") == "csv":
        return csv_response(f"deadlines-{today.isoformat()}.csv",
                            [label for label, _ in CSV_COLUMNS] + ["Working days left (negative: overdue)"],
                            _clock_rows(qs.order_by("due_on", "id"), today))
    table = ClockTable(qs, today=today)
    # The drill-down shows how many deadlines are behind the figure: counted.
    paginate(request, table, per_page=25, paginator_class=Paginator)
    met_week = filterset.form.cleaned_data.get("met_week") if filterset.is_bound and filterset.is_valid() else None
    return render(request, "sla/clock_list.html", {
        "filter": filterset, "table": table, "csv_url": _csv_url(request, "sla:clock-list"),
        "met_week_start": met_week - timedelta(days=met_week.weekday()) if met_week else None,
    })


def _safe_next(request: SignedInRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("my-work")


@require_POST
@login_required
@once_per_form
def task_done(request: SignedInRequest, pk: int) -> HttpResponse:
    # Only tasks on the user's own panel: anything else is not theirs to know.
    task = get_object_or_404(selectors.open_tasks_for(request.user), pk=pk)
    try:
        complete_task(task=task, actor=request.user, now=timezone.now())
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Task done: {selectors.task_title(task, timezone.localdate())}")
    return redirect(_safe_next(request))


@login_required
@once_per_form
def extend_clock_view(request: SignedInRequest, pk: int) -> HttpResponse:
    clock = get_object_or_404(DeadlineClock.objects.select_related("sr__client", "sr__team", "rule"), pk=pk)
    sr = clock.sr
    if not can_view(request.user, sr):
        raise Http404("No such deadline")
    if not clock.is_running or not can_extend_clock(request.user, sr):
        raise PermissionDenied("Only a team leader of the SR's team can extend a running deadline.")
    form = ExtendClockForm(request.POST or None, current_due=clock.due_on)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                extend_clock(sr=sr, rule_code=clock.rule.code, actor=request.user, now=timezone.now(),
                             extended_to=form.cleaned_data["extended_to"], reason=form.cleaned_data["reason"])
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            new_due = form.cleaned_data["extended_to"]
            messages.success(request, f"{clock.rule.name}: now due {new_due:%A %-d %B %Y}.")
            return redirect("case-detail", reference=sr.reference)
    return render(request, "sla/extend_clock.html", {"form": form, "clock": clock, "sr": sr})


DG_CSV_HEADER = ["SR", "Client", "Route", "Team", "Owner", "Status", "Sub Status", "Parliamentary contact",
                 "Received", "Next deadline", "Working days left (negative: overdue)"]


def _dg_rows(srs: Any, today: date) -> Iterator[list[object]]:
    for sr in srs.iterator(chunk_size=500):
        due = sr.next_due_on
        left = selectors.days_between(today, due, sr.client.region) if due else None
        yield [sr.reference, sr.client.name, route_name(sr.route, sr.client.region), sr.team.name,
               sr.owner.display_name if sr.owner_id else "Unallocated", sr.status, sr.sub_status,
               sr.parliamentary_contact, sr.received_on, due, left]


@login_required
def dg_caselist(request: SignedInRequest) -> HttpResponseBase:
    """The Director General's caselist (UI.md "DG caselist, MI"): open
    high-profile SRs of the user's teams with their next deadline, which
    follows a recorded extension; filters and a CSV of the same rows."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied("The DG caselist is for team leaders and managers.")
    today = timezone.localdate()
    filterset = ServiceRequestFilter(request.GET, queryset=caselist(request.user),
                                     statuses=all_statuses(open_only=True))
    if request.GET.get("export") == "csv":
        return csv_response(f"dg-caselist-{today.isoformat()}.csv", DG_CSV_HEADER,
                            _dg_rows(filterset.qs.order_by(F("next_due_on").asc(nulls_last=True), "id"), today))
    table = DGCaselistTable(filterset.qs)
    paginate(request, table, per_page=25, per_page_choices=PER_PAGE_CHOICES)
    return render(request, "sla/dg_caselist.html", {
        "filter": filterset, "table": table, "csv_url": _csv_url(request, "sla:dg-caselist"),
    })


# --- MI export (issue 13) ------------------------------------------------------


@login_required
def mi_export(request: SignedInRequest) -> HttpResponseBase:
    """Management information for ICE, PHSO and parliamentary-contact SRs:
    stages completed by month and team, and a CSV of every stage of every
    SR (sla.mi) — computed from the audit trail, never typed."""
    if not can_view_dashboard(request.user):
        raise PermissionDenied("The management information is for team leaders and managers.")
    user = request.user
    today = timezone.localdate()
    filterset = MIFilter(request.GET or None, queryset=mi.mi_service_requests(user), teams=mi.mi_teams(user))
    srs = filterset.qs if filterset.is_bound else filterset.queryset
    start, end = filterset.clean_range()
    if start and end and end < start:
        filterset.form.add_error("end", "The “to” date must be the same as or after the “from” date")
        start = end = None
    export = request.GET.get("export")
    if export == "csv":
        return csv_response(f"mi-stages-{today.isoformat()}.csv", mi.SR_CSV_HEADER,
                            mi.sr_csv_rows(mi.stage_rows(srs, user, start=start, end=end, today=today)))
    figures = mi.by_month_and_team(mi.stage_rows(srs, user, start=start, end=end, today=today), start=start, end=end)
    if export == "summary":
        return csv_response(f"mi-summary-{today.isoformat()}.csv", mi.SUMMARY_CSV_HEADER,
                            mi.summary_csv_rows(figures))
    table = MITable(figures)
    paginate(request, table, per_page=50)
    summary_query = request.GET.copy()
    summary_query.pop("page", None)
    summary_query["export"] = "summary"
    return render(request, "sla/mi.html", {
        "filter": filterset, "table": table, "csv_url": _csv_url(request, "sla:mi"),
        "summary_url": f"{reverse('sla:mi')}?{summary_query.urlencode()}",
    })
