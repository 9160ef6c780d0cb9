"""Read-only queries for deadline panels, the case page's Deadlines tab and
the dashboard. Every function issues a fixed number of queries whatever the
data size: counts are aggregated in SQL, never in a Python loop over rows."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    BigIntegerField,
    CharField,
    DateField,
    F,
    Field,
    Lookup,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils import timezone

from accounts.models import RouteChoices, Team, User
from accounts.roles import is_manager, is_team_leader, role_names
from complaints.generations import KeptPerTeams
from complaints.models import ServiceRequest
from complaints.permissions import team_ids
from complaints.selectors import readable_by, sr_readable
from prepared import prepared
from workdays import calendar
from workdays.text import days_between, days_phrase, deadline_text, fmt_day

from .models import (
    CountKind,
    DeadlineClock,
    DeadlineCount,
    DeadlineRule,
    OwnerDeadlineCount,
    RuleUnit,
    Task,
    TaskKind,
)

# --- Tasks -----------------------------------------------------------------


def _open_task_parts(user: User, *, per_team: bool = False) -> list[tuple[Q, str]]:
    """Who sees which open task, as disjoint parts (a task has one assignee,
    or none and one role): the user's own tasks, plus the unassigned ones of
    their teams that are theirs to act on — team leaders get the team's
    alerts (unallocated SRs, the "overdue by 2 working days" rung), managers
    the "overdue by 5" rung, and a role's tasks (the Head of Complaints
    Review) go to those with that role. With each part, a column its index
    holds (for an index-only count)."""
    return _task_parts(user.pk, sorted(team_ids(user)), tuple(sorted(role_names(user))), leader=is_team_leader(user),
                       manager=is_manager(user), per_team=per_team)


def _task_parts(user_id: int, teams: list[int], roles: tuple[str, ...], *, leader: bool, manager: bool,
                per_team: bool) -> list[tuple[Q, str]]:
    parts: list[Q] = []
    manager_rung = Q(kind=TaskKind.OVERDUE_MANAGER)
    # One part for all the teams (counted), or one per team (each read in
    # due-date order from the index: most_urgent_tasks).
    for scope in ([[team] for team in teams] if per_team else [teams] if teams else []):
        team_task = Q(assignee__isnull=True, team_id__in=scope, role="")
        if leader and manager:
            parts.append(team_task)
        elif leader:
            parts.append(team_task & ~manager_rung)
        elif manager:
            parts.append(team_task & manager_rung)
        if roles:
            parts.append(Q(assignee__isnull=True, team_id__in=scope, role__in=roles))
    return [(Q(assignee_id=user_id), "assignee_id")] + [(part, "team_id") for part in parts]


def open_tasks_for(user: User) -> QuerySet[Task]:
    """The user's open tasks (see _open_task_parts), soonest first."""
    if not user.is_authenticated:
        return Task.objects.none()
    mine = Q()
    for part, _ in _open_task_parts(user):
        mine |= part
    return _for_the_panel(Task.objects.filter(mine, done_at__isnull=True))


# What the tasks panel shows of a task, read as rows rather than model
# instances (a task with its SR, client, clock and rule was five per row).
PANEL_FIELDS = ("id", "kind", "title", "due_on", "sr__reference", "sr__client__name", "clock__region",
                "clock__rule__name", "sr_readable")


def most_urgent_tasks(user: User, limit: int) -> list[dict[str, Any]]:
    """The first `limit` of open_tasks_for as PANEL_FIELDS rows, with whether
    the user may read each task's SR (`sr_readable`). Where the database allows a LIMIT inside
    a UNION (PostgreSQL), each part of what the user sees (their own tasks;
    per team, its unassigned ones) is read in due-date order from its own
    index, `limit` entries each, and only those are sorted: a team leader's
    thousands of team alerts cost a few index pages, not a sort of them all
    (the panel's statement followed the size of the team's backlog)."""
    if not user.is_authenticated:
        return []
    if not connection.features.supports_slicing_ordering_in_compound:
        return list(open_tasks_for(user).annotate(sr_readable=sr_readable(user, "sr")).values(*PANEL_FIELDS)[:limit])
    return list(_most_urgent(user.pk, *sorted(team_ids(user)), roles=tuple(sorted(role_names(user))),
                             leader=is_team_leader(user), manager=is_manager(user), superuser=user.is_superuser,
                             limit=limit))


@prepared
def _most_urgent(user_id: int, *teams: int, roles: tuple[str, ...], leader: bool, manager: bool, superuser: bool,
                 limit: int) -> QuerySet[Any]:
    first, *rest = [
        Task.objects.filter(part, done_at__isnull=True).order_by(*_SOONEST).values("pk")[:limit]
        for part, _ in _task_parts(user_id, list(teams), roles, leader=leader, manager=manager, per_team=True)]
    tasks = _for_the_panel(Task.objects.filter(_InArray(F("pk"), first.union(*rest, all=True) if rest else first)))
    return tasks.annotate(sr_readable=readable_by(user_id, "sr", superuser=superuser)).values(*PANEL_FIELDS)[:limit]


class _InArray(Lookup):
    """`id = ANY(ARRAY(subquery))` rather than `id IN (subquery)`. PostgreSQL
    planned the panel's statement anew on every run, its plan for the
    semi-join judged dearer than planning (1.7 ms of planning for 0.5 ms of
    work); with the ids gathered into an array first it keeps one plan for
    the connection: 2.2 ms → 0.5 ms a run, measured at 1M SRs."""

    lookup_name = "in_array"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


# Soonest first; a task with no date after those with one, on SQLite (NULLs
# first) as on PostgreSQL.
_SOONEST = (F("due_on").asc(nulls_last=True), "id")


def _for_the_panel(tasks: QuerySet[Task]) -> QuerySet[Task]:
    return (
        tasks
        .select_related("sr", "sr__client")
        # The panel shows the task, the SR's reference and the client's name.
        .select_related("clock__rule")
        .only("kind", "title", "due_on", "assignee_id", "team_id", "done_at", "sr__reference", "sr__route",
              "sr__state", "sr__client__name", "clock__region", "clock__rule__name")
        .order_by(*_SOONEST)
    )


OVERDUE_KINDS = (TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER)


def task_title(task: Task, today: date) -> str:
    """The task as the panel says it: an overdue alert says how overdue its
    deadline is today ("Overdue by 14 working days: …"), not the rung it
    was raised at; other tasks say what they were raised with."""
    clock = task.clock if task.clock_id else None
    return title_of(task.kind, task.title, task.due_on, clock.region if clock else None,
                    clock.rule.name if clock else None, today)


def title_of(kind: str, title: str, due_on: date | None, region: str | None, rule: str | None, today: date) -> str:
    """task_title from a panel row's fields (PANEL_FIELDS)."""
    if kind in OVERDUE_KINDS and region is not None and due_on is not None and today > due_on:
        late = days_between(due_on, today, region)
        if late:
            return f"Overdue by {days_phrase(late)}: {rule}"
        return f"Overdue: {rule}"
    return title


team_count = KeptPerTeams("team-tasks", int, shown_to=lambda user: is_team_leader(user) or is_manager(user))


def open_task_count(user: User) -> int:
    """The badge on every page: the user's own open tasks, counted each time
    (from task_assignee_open_due_idx), plus the unassigned ones of their
    teams, which for a team leader or manager of busy teams are thousands:
    counted from index entries alone (the partial
    task_team_unassigned_due_idx holds the parts' whole filter) and kept
    until something in those teams changes (complaints.generations: every
    task a service raises or closes comes with an audit event; the scan moves
    every team on when it commits). One statement either way."""
    if not user.is_authenticated:
        return 0
    own = _own_open_tasks.sql_with_params(user.pk)
    team_parts = _open_task_parts(user)[1:]
    if not team_parts:
        return _count_parts([own])[0]
    if not (is_team_leader(user) or is_manager(user)):
        # Only a role's tasks in the user's teams (the Head of Complaints
        # Review's): a few index entries, counted with the user's own in the
        # same statement rather than kept — keeping cost two round trips to
        # the cache on every page of every caseworker.
        roles = tuple(sorted(role_names(user)))
        return sum(_count_parts([own], [_role_open_tasks.sql_with_params(*sorted(team_ids(user)), roles=roles)]))
    kept = team_count.read(user)
    if kept is not None:
        return _count_parts([own])[0] + kept
    mine, team = _count_parts([own], [_part_sql(part, column) for part, column in team_parts])
    team_count.keep(user, team)
    return mine + team


@prepared
def _own_open_tasks(user_id: int) -> QuerySet[Any]:
    """The badge's own part, as _part_sql builds it (compiled once)."""
    return Task.objects.filter(assignee_id=user_id, done_at__isnull=True).order_by().values("assignee_id")


@prepared
def _role_open_tasks(*teams: int, roles: tuple[str, ...]) -> QuerySet[Any]:
    """The badge's part for a role's tasks, as _task_parts words it."""
    return (Task.objects.filter(assignee__isnull=True, team_id__in=teams, role__in=roles, done_at__isnull=True)
            .order_by().values("team_id"))


def _part_sql(part: Q, column: str) -> tuple[str, tuple]:
    # Only columns of the index are read, so the scan can be index-only.
    return Task.objects.filter(part, done_at__isnull=True).order_by().values(column).query.sql_with_params()


def _count_parts(*groups: list[tuple[str, tuple]]) -> list[int]:
    """One statement: per group of parts (each a SELECT of one indexed
    column), the sum of a COUNT per part, each answered from its own index
    alone, so PostgreSQL reads index entries, never the task rows — an OR of
    the parts would be a bitmap over the heap."""
    sums = []
    params: list = []
    for parts in groups:
        counts = []
        for sql, part_params in parts:
            counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS part)")
            params += part_params
        sums.append(counts[0] if len(counts) == 1 else "(" + " + ".join(counts) + ")")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(sums), params)
        return [int(n) for n in cursor.fetchone()]


# --- Clocks on one SR --------------------------------------------------------


class ClockState:
    RUNNING = "running"
    OVERDUE = "overdue"
    MET_ON_TIME = "met on time"
    MET_LATE = "met late"
    CANCELLED = "cancelled"


# GOV.UK tag colour per state.
STATE_TAGS = {
    ClockState.RUNNING: "govuk-tag--blue",
    ClockState.OVERDUE: "govuk-tag--red",
    ClockState.MET_ON_TIME: "govuk-tag--green",
    ClockState.MET_LATE: "govuk-tag--orange",
    ClockState.CANCELLED: "govuk-tag--grey",
}


def clock_state(clock: DeadlineClock, today: date) -> str:
    if clock.cancelled_at is not None:
        return ClockState.CANCELLED
    if clock.met_on is not None:
        return ClockState.MET_ON_TIME if clock.met_on <= clock.due_on else ClockState.MET_LATE
    return ClockState.OVERDUE if today > clock.due_on else ClockState.RUNNING


def working_days_left(clock: DeadlineClock, today: date) -> int | None:
    """Working days from today to a running clock's due date (negative once
    overdue); None once it is met or cancelled."""
    if clock.met_on is not None or clock.cancelled_at is not None:
        return None
    return days_between(today, clock.due_on, clock.region)


@dataclass(frozen=True)
class ClockRow:
    """One deadline as the case page shows it."""

    clock: DeadlineClock
    rule_code: str
    rule_name: str
    is_wait: bool
    started_on: date
    due_on: date
    working_days_left: int | None  # None once met or cancelled
    state: str
    state_tag: str
    text: str
    explanation: str

    @property
    def pk(self) -> int:
        return self.clock.pk

    @property
    def is_running(self) -> bool:
        return self.clock.is_running

    @property
    def state_label(self) -> str:
        if self.is_wait and self.state == ClockState.OVERDUE:
            return "wait ended"
        if self.is_wait and self.state == ClockState.RUNNING:
            return "waiting"
        return self.state


def _length_text(clock: DeadlineClock) -> str:
    unit = clock.effective_unit
    if unit == RuleUnit.SET_BY_OTHER or clock.length is None:
        return "a date set by ICE / PHSO"
    name = {RuleUnit.WORKING_DAYS: "working day", RuleUnit.WEEKS: "week",
            RuleUnit.CALENDAR_DAYS: "calendar day"}[RuleUnit(unit)]
    return f"{clock.length} {name}{'' if clock.length == 1 else 's'}"


def explain_clock(clock: DeadlineClock) -> str:
    """Why the due date is where it is: the rule as it applied when the clock
    started, the start date, the days the calendar skipped, any extension."""
    region = calendar.Region(clock.region)
    intro = f"{clock.rule.name}: {_length_text(clock)} from {fmt_day(clock.started_on)}."
    if clock.effective_unit == RuleUnit.SET_BY_OTHER:
        computed = f" Date given: {fmt_day(clock.original_due_on)}."
    else:
        try:
            computed = " " + calendar.explain_summary(clock.started_on, clock.original_due_on, region)
        except calendar.OutsideHorizon:
            computed = f" Due {fmt_day(clock.original_due_on)}."
        if clock.effective_unit != RuleUnit.WORKING_DAYS:
            computed += " A date that is not a working day moves to the next working day."
    extended = ""
    if clock.extended_to:
        extended = f" Extended to {fmt_day(clock.extended_to)}: {clock.extension_reason}"
    return intro + computed + extended


@prepared
def _clocks_of(sr_id: int) -> QuerySet[DeadlineClock]:
    return DeadlineClock.objects.filter(sr_id=sr_id).select_related("rule").order_by("cancelled_at", "met_on", "due_on",
                                                                                        "id")


def clocks_for_sr(sr: ServiceRequest, today: date | None = None) -> list[ClockRow]:
    """Every deadline of the SR, running ones first, with its explanation."""
    today = today or timezone.localdate()
    rows = []
    for clock in _clocks_of(sr.pk):
        state = clock_state(clock, today)
        running = clock.is_running
        left = days_between(today, clock.due_on, clock.region) if running else None
        if running:
            text = deadline_text(clock.due_on, today, clock.region)
        elif clock.met_on:
            text = f"met {fmt_day(clock.met_on)} (due {fmt_day(clock.due_on)})"
        else:
            text = f"cancelled (was due {fmt_day(clock.due_on)})"
        rows.append(ClockRow(
            clock=clock, rule_code=clock.rule.code, rule_name=clock.rule.name, is_wait=clock.rule.is_wait,
            started_on=clock.started_on, due_on=clock.due_on, working_days_left=left, state=state,
            state_tag=STATE_TAGS[state], text=text, explanation=explain_clock(clock),
        ))
    return rows


# --- Dashboard -------------------------------------------------------------


def dashboard_teams(user: User) -> QuerySet[Team]:
    """Teams whose deadlines the user may see on the dashboard."""
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(pk__in=sorted(team_ids(user)))


def scoped_clocks(user: User, *, team: Team | None = None, route: str = "") -> QuerySet[DeadlineClock]:
    """Clocks of the user's teams (all teams for superusers), optionally one
    team and route. Uses the team denormalised on the clock: no SR join."""
    qs = DeadlineClock.objects.all()
    if not user.is_superuser:
        qs = qs.filter(team_id__in=sorted(team_ids(user)))
    if team is not None:
        qs = qs.filter(team=team)
    if route:
        qs = qs.filter(route=route)
    return qs


def week_end(today: date) -> date:
    """The Sunday ending this week: "due this week" runs from today to it."""
    return today + timedelta(days=6 - today.weekday())


# Buckets the dashboard counts and the clock list filters by (same Q both
# ways, so a figure and the list behind it always agree). Client waits are
# not deadlines of ours, so the deadline buckets leave them out.
BUCKETS = {
    "open": "Open deadlines",
    "overdue": "Overdue",
    "due_today": "Due today",
    "due_week": "Due this week",
    "met_on_time": "Met on time",
    "met_late": "Met late",
    "cancelled": "Cancelled",
    "waiting": "Client waits running",
    "wait_ended": "Client waits ended",
}


def bucket_q(bucket: str, today: date) -> Q:
    running = Q(met_on__isnull=True, cancelled_at__isnull=True)
    ours = Q(rule__is_wait=False)
    return {
        "open": running & ours,
        "overdue": running & ours & Q(due_on__lt=today),
        "due_today": running & ours & Q(due_on=today),
        "due_week": running & ours & Q(due_on__gte=today, due_on__lte=week_end(today)),
        "met_on_time": ours & Q(met_on__isnull=False, met_on__lte=F("due_on")),
        "met_late": ours & Q(met_on__isnull=False, met_on__gt=F("due_on")),
        "cancelled": Q(cancelled_at__isnull=False),
        "waiting": running & Q(rule__is_wait=True, due_on__gte=today),
        "wait_ended": running & Q(rule__is_wait=True, due_on__lt=today),
    }[bucket]


COUNTED = ("overdue", "due_today", "due_week", "open")


@dataclass
class Counts:
    label: str
    params: dict  # filters of the clock list behind the figures
    overdue: int = 0
    due_today: int = 0
    due_week: int = 0
    open: int = 0

    def add(self, row: dict) -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + row[name])


@dataclass
class OpenClockSummary:
    total: Counts
    by_route: list[Counts]
    by_rule: list[Counts]
    by_team: list[Counts]
    waiting: int
    wait_ended: int


@dataclass(frozen=True)
class WeekFigures:
    week_start: date
    on_time: int
    late: int

    @property
    def total(self) -> int:
        return self.on_time + self.late

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.total) if self.total else None


@dataclass(frozen=True)
class CaseworkerLoad:
    user_id: int
    name: str
    overdue: int
    oldest_due_on: date


@dataclass
class DashboardFigures:
    summary: OpenClockSummary
    weeks: list[WeekFigures]
    caseworkers: list[CaseworkerLoad]


def _null(field: Field) -> Cast:
    """A typed NULL: PostgreSQL cannot match an untyped NULL column of one
    UNION branch with a number or date in another."""
    return Cast(Value(None), output_field=field)


# The dashboard's figures, kept like the badges (see dashboard_figures).
kept_figures = KeptPerTeams("dashboard", DashboardFigures, shown_to=None)


def dashboard_figures(user: User, teams: list[Team], today: date, *, team: Team | None = None, route: str = "",
                      weeks: int = 12, top: int = 10) -> DashboardFigures:
    """Every dashboard number of the user's teams (all for a superuser), or
    of one of them, optionally of one route, from one SQL statement: a UNION
    ALL of three grouped queries (columns aligned, the first naming the
    part):

    - open: running clocks by route, rule and team, counted per bucket;
    - week: deadlines met per week (Monday to Sunday), on time and in all;
    - owner: overdue deadlines per owner, and the oldest.

    Each is a sum of kept counts per team and day (sla.counts), so it reads a
    few rows per day with deadlines, not the team's clocks: counting the
    clocks, even from an index alone, grew with the team (issue 14). Plus two
    small queries: the rules and the owners' names. The statement is
    prepared (compiled once: its building took a fifth of the page).

    Kept per user until something in their teams changes, like the badges
    (complaints.generations: every change of a clock comes with an audit
    event; the scan and a calendar change move the teams on): a manager
    watching the dashboard reads it back in one round trip to the cache.
    Owners' and rules' names renamed in the admin show within a minute."""
    part = f"{today.isoformat()}:{team.pk if team is not None else ''}:{route}:{weeks}:{top}"
    return kept_figures(user, lambda: _dashboard_figures(user, teams, today, team=team, route=route, weeks=weeks,
                                                         top=top), part)



def _dashboard_figures(user: User, teams: list[Team], today: date, *, team: Team | None, route: str, weeks: int,
                       top: int) -> DashboardFigures:
    first = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    # `teams` are those the user may choose (dashboard_teams): one chosen is
    # within the user's scope.
    scope = [team.pk] if team is not None else None if user.is_superuser else sorted(team_ids(user))
    rows = [] if scope == [] else list(_figure_rows(today, week_end(today), first, *(scope or []),
                                                    all_teams=scope is None, route=route))
    rules = {r.pk: r for r in _rules()}
    team_names = {t.pk: t.name for t in teams}
    owners = sorted((r for r in rows if r["part"] == "owner" and r["g_owner"] is not None),
                    key=lambda r: (-r["n1"], r["oldest"], r["g_owner"]))[:top]
    names = {u.pk: u.display_name for u in _owners(*(r["g_owner"] for r in owners))} if owners else {}
    found_weeks = {_as_date(r["g_week"]): r for r in rows if r["part"] == "week"}
    return DashboardFigures(
        summary=_summary([r for r in rows if r["part"] == "open"], rules, team_names),
        weeks=[
            WeekFigures(start, row["n1"], row["n2"] - row["n1"])
            for start in (first + timedelta(weeks=i) for i in range(weeks))
            for row in [found_weeks.get(start, {"n1": 0, "n2": 0})]
        ],
        caseworkers=[CaseworkerLoad(r["g_owner"], names.get(r["g_owner"], "?"), r["n1"], r["oldest"]) for r in owners],
    )


# The rules and the owners' names, compiled once like the figures (building
# them took as long as running them).
@prepared
def _rules() -> QuerySet[DeadlineRule]:
    return DeadlineRule.objects.only("code", "name", "is_wait")


@prepared
def _owners(*ids: int) -> QuerySet[User]:
    return User.objects.filter(pk__in=ids).only("first_name", "last_name", "username")


@prepared
def _figure_rows(today: date, week_ends: date, first: date, *teams: int, all_teams: bool,
                 route: str) -> QuerySet[Any]:
    counts, owner_counts = DeadlineCount.objects.all(), OwnerDeadlineCount.objects.all()
    if not all_teams:
        counts, owner_counts = counts.filter(team_id__in=teams), owner_counts.filter(team_id__in=teams)
    if route:
        counts, owner_counts = counts.filter(route=route), owner_counts.filter(route=route)
    ours = Q(rule__is_wait=False)
    cols: dict[str, Field] = dict(route=CharField(), rule=BigIntegerField(), team=BigIntegerField(), week=DateField(),
                owner=BigIntegerField())

    def shape(qs: QuerySet, part: str, **keys: Any) -> QuerySet:
        return qs.values(part=Value(part, output_field=CharField()),
                         **{f"g_{k}": keys.get(k, _null(f)) for k, f in cols.items()})

    def total(within: Q | None = None) -> Coalesce:
        return Coalesce(Sum("n", filter=within), 0)

    opened = shape(counts.filter(kind=CountKind.DUE.value), "open",
                   route=F("route"), rule=F("rule_id"), team=F("team_id")).annotate(
        n1=total(Q(day__lt=today)),
        n2=total(Q(day=today)),
        n3=total(Q(day__gte=today, day__lte=week_ends)),
        n4=total(),
    )
    met = shape(counts.filter(ours, kind=CountKind.MET.value, day__gte=first, day__lte=today), "week",
                week=TruncWeek("day", output_field=DateField())).annotate(
        n1=Coalesce(Sum("on_time"), 0), n2=total(), n3=Value(0), n4=Value(0),
    )
    late = shape(owner_counts.filter(day__lt=today), "owner", owner=F("owner_id")).annotate(
        n1=total(), n2=Value(0), n3=Value(0), n4=Value(0))
    # The oldest overdue date, for owners only.
    opened = opened.annotate(oldest=_null(DateField()))
    met = met.annotate(oldest=_null(DateField()))
    late = late.annotate(oldest=Min("day"))
    return opened.order_by().union(met.order_by(), late.order_by(), all=True)


def _summary(rows: list[dict], rules: dict, team_names: dict[int, str]) -> OpenClockSummary:
    total = Counts("All teams", {})
    by_route: dict[str, Counts] = {}
    by_rule: dict[str, Counts] = {}
    by_team: dict[int, Counts] = {}
    waiting = wait_ended = 0
    for row in rows:
        counts = {"overdue": row["n1"], "due_today": row["n2"], "due_week": row["n3"], "open": row["n4"]}
        rule = rules[row["g_rule"]]
        if rule.is_wait:
            waiting += counts["open"] - counts["overdue"]
            wait_ended += counts["overdue"]
            continue
        total.add(counts)
        route, team = row["g_route"], row["g_team"]
        by_route.setdefault(route, Counts(RouteChoices(route).label, {"route": route})).add(counts)
        by_rule.setdefault(rule.code, Counts(rule.name, {"rule": rule.code})).add(counts)
        by_team.setdefault(team, Counts(team_names.get(team, f"Team {team}"), {"team": team})).add(counts)
    return OpenClockSummary(
        total=total,
        by_route=sorted(by_route.values(), key=lambda c: c.label),
        by_rule=sorted(by_rule.values(), key=lambda c: (-c.overdue, c.label)),
        by_team=sorted(by_team.values(), key=lambda c: (-c.overdue, c.label)),
        waiting=waiting,
        wait_ended=wait_ended,
    )


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def clock_list(clocks: QuerySet[DeadlineClock]) -> QuerySet[DeadlineClock]:
    """The rows of the filtered list behind a dashboard figure."""
    return clocks.select_related("sr", "sr__client", "sr__owner", "rule", "team")

