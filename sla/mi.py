"""Management information for ICE, PHSO and parliamentary-contact SRs
(the seeds' "Management Information - ICE/PHSO/Parliamentary Contact",
kept by hand in a separate database until now): every stage each SR
entered and left, with the dates and the working days it took, per SR and
added up by month and team.

Nothing here is typed by anyone: the stages come from the audit trail
(CaseEvent), whose every state change records the state it led to, and a
stage is the Stage label of those states (DESIGN §2) — consecutive states
with the same Stage are one stage. Working days are counted in the
client's region's calendar (workdays), as every deadline is.

Two queries whatever the size: the SRs' state changes in one ordered,
streamed query (the SR's reference, team and client joined in), and the
teams for the filter. Rows are computed as they stream."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import Region, RouteChoices, Team, User
from complaints.models import CaseEvent, Referrer, ServiceRequest
from complaints.permissions import team_ids
from complaints.routes import CLOSED, labels_for
from complaints.selectors import sr_readable
from workdays.calendar import working_days_between


class Kind:
    """Which SRs the MI covers (the filter's choices)."""

    ICE = "ice"
    PHSO = "phso"
    PARLIAMENTARY = "parliamentary"
    CHOICES = [(ICE, "ICE"), (PHSO, "PHSO / NI Ombudsman"), (PARLIAMENTARY, "Parliamentary contact (MP or MLA)")]


PARLIAMENTARY_Q = ~Q(parliamentary_contact="") | Q(referrer__in=[Referrer.MP, Referrer.MLA])
ALL_Q = Q(route__in=[RouteChoices.ICE, RouteChoices.PHSO]) | PARLIAMENTARY_Q


def kind_q(kind: str) -> Q:
    if kind == Kind.ICE:
        return Q(route=RouteChoices.ICE)
    if kind == Kind.PHSO:
        return Q(route=RouteChoices.PHSO)
    if kind == Kind.PARLIAMENTARY:
        return PARLIAMENTARY_Q
    return ALL_Q


def mi_service_requests(user: User) -> QuerySet[ServiceRequest]:
    """The SRs the MI covers, of the user's teams (every team for superusers)."""
    qs = ServiceRequest.objects.filter(ALL_Q)
    if not user.is_superuser:
        qs = qs.filter(team_id__in=sorted(team_ids(user)))
    return qs


def mi_teams(user: User) -> QuerySet[Team]:
    teams = Team.objects.all() if user.is_superuser else Team.objects.filter(pk__in=sorted(team_ids(user)))
    return teams.order_by("name")


@dataclass(frozen=True)
class StageRow:
    """One stage of one SR."""

    reference: str
    client: str
    route: str  # the route's name, as the pages show it
    team: str
    parliamentary: bool
    stage: str
    entered: date
    left: date | None  # None: the SR is still at this stage
    working_days: int  # to the day it was left, or to today while it lasts
    readable: bool = True

    @property
    def month(self) -> str:
        """The month the stage was completed in ("2026-11")."""
        return f"{self.left:%Y-%m}" if self.left else ""


def _stage(route: str, state: str) -> str:
    # The English labels whatever the client's region: one stage for the
    # MI whether the letters said PHSO or the NI Ombudsman.
    labels = labels_for(route, state)
    return labels.stage or labels.status


def stage_rows(srs: QuerySet[ServiceRequest], user: User, *, start: date | None = None, end: date | None = None,
               today: date | None = None) -> Iterator[StageRow]:
    """Every stage of these SRs, in SR and time order. With a date range,
    only the stages that overlap it (entered by `end`, and left on or after
    `start` or not yet left)."""
    today = today or timezone.localdate()
    routes = dict(RouteChoices.choices)
    events = (
        CaseEvent.objects.filter(sr__in=srs.values("pk"), to_state__gt="").exclude(to_state=F("from_state"))
        .annotate(readable=sr_readable(user, "sr"))
        .values_list("sr_id", "to_state", "created_at", "sr__reference", "sr__route", "sr__team__name",
                     "sr__client__name", "sr__client__region", "sr__parliamentary_contact", "sr__referrer",
                     "readable")
        .order_by("sr_id", "created_at", "id")
    )
    current: list = []
    for row in events.iterator(chunk_size=2000):
        if current and current[-1][0] != row[0]:
            yield from _rows_of(current, routes, start, end, today)
            current = []
        current.append(row)
    if current:
        yield from _rows_of(current, routes, start, end, today)


def _rows_of(events: list, routes: dict[str, str], start: date | None, end: date | None,
             today: date) -> Iterator[StageRow]:
    _, _, _, reference, route, team, client, region, contact, referrer, readable = events[0]
    region = region or Region.ENGLAND_AND_WALES
    parliamentary = bool(contact) or referrer in (Referrer.MP, Referrer.MLA)
    # (stage, entered) runs: a new one whenever the Stage changes.
    runs: list[tuple[str, date]] = []
    closed_on: date | None = None
    for _, state, at, *_rest in events:
        day = timezone.localdate(at)
        if state == CLOSED:
            closed_on = day
            break
        stage = _stage(route, state)
        if not runs or runs[-1][0] != stage:
            runs.append((stage, day))
    for i, (stage, entered) in enumerate(runs):
        left = runs[i + 1][1] if i + 1 < len(runs) else closed_on
        if end is not None and entered > end:
            continue
        if start is not None and left is not None and left < start:
            continue
        days = working_days_between(entered, left or today, region)
        yield StageRow(reference=reference, client=client, route=routes.get(route, route), team=team,
                       parliamentary=parliamentary, stage=stage, entered=entered, left=left, working_days=days,
                       readable=bool(readable))


@dataclass
class StageFigures:
    """Stages completed in one month by one team, at one route and stage."""

    month: str
    team: str
    route: str
    stage: str
    completed: int = 0
    working_days: int = 0
    longest: int = 0

    @property
    def average(self) -> Decimal:
        if not self.completed:
            return Decimal("0.0")
        return (Decimal(self.working_days) / self.completed).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def month_name(self) -> str:
        year, month = self.month.split("-")
        return f"{date(int(year), int(month), 1):%B %Y}"


def by_month_and_team(rows: Iterable[StageRow], *, start: date | None = None,
                      end: date | None = None) -> list[StageFigures]:
    """Completed stages added up by the month they were left in, team,
    route and stage; within the range when one is given."""
    figures: dict[tuple[str, str, str, str], StageFigures] = {}
    for row in rows:
        if row.left is None or (start is not None and row.left < start) or (end is not None and row.left > end):
            continue
        key = (row.month, row.team, row.route, row.stage)
        found = figures.get(key)
        if found is None:
            found = figures[key] = StageFigures(*key)
        found.completed += 1
        found.working_days += row.working_days
        found.longest = max(found.longest, row.working_days)
    return sorted(figures.values(), key=lambda f: (f.month, f.team, f.route, f.stage))


SR_CSV_HEADER = ["SR", "Client", "Route", "Team", "Parliamentary contact", "Stage", "Entered", "Left",
                 "Working days taken (so far, if not left)"]


def sr_csv_rows(rows: Iterable[StageRow]) -> Iterator[list[object]]:
    for row in rows:
        reference, client = (row.reference, row.client) if row.readable else ("Confidential SR", "Confidential")
        yield [reference, client, row.route, row.team, "Yes" if row.parliamentary else "No", row.stage,
               row.entered, row.left if row.left else "Not yet left", row.working_days]


SUMMARY_CSV_HEADER = ["Month", "Team", "Route", "Stage", "Stages completed", "Working days taken",
                      "Average working days", "Longest (working days)"]


def summary_csv_rows(figures: Iterable[StageFigures]) -> Iterator[list[object]]:
    for f in figures:
        yield [f.month_name, f.team, f.route, f.stage, f.completed, f.working_days, f.average, f.longest]
