"""Fill the database with realistic volume for the benches (DESIGN §9):

    python manage.py seed_volume --cases 200000          # ~1,000,000 clocks, 500 users
    python manage.py seed_volume --cases 200000 --reset  # delete volume data first

Volume rows are marked so they never clash with real ones and can be
deleted again: SR references "SR-V0000001", client case numbers "V…",
usernames "vol-…", team names "Volume …". On PostgreSQL rows go in with
COPY (ids allocated up front, sequences moved on afterwards); elsewhere with
bulk_create. Clocks are generated the way the routes start them: rules of
the SR's route, due dates from the working-day calendar of the client's
region; finished SRs have every clock met (mostly on time) or cancelled,
open SRs one or two running clocks spread around today, so a realistic
share is overdue.

It lives in casework (the top floor) because it writes the rows of every
app below: SRs, clocks, notes, plans and issued letters."""

import json
import random
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Membership, Region, Team, User
from accounts.roles import Role
from complaints.models import CaseEvent, Client, Note, ServiceRequest, SRLink
from complaints.plans.models import ActionKind, PlanAction, PlanReason, PlanStatus, ResolutionPlan
from complaints.routes import CLOSED, REGISTRY
from letters.models import IssuedLetter, LetterTemplate
from sla.counts import recount
from sla.models import DeadlineClock, DeadlineCount, DeadlineRule, OwnerDeadlineCount, RuleUnit, Task
from sla.services import compute_due_for

REFERENCE_PREFIX = "SR-V"
CASE_PREFIX = "V"
USER_PREFIX = "vol-"
TEAM_PREFIX = "Volume "

ROUTE_SHARE = {"resolution": 0.45, "review": 0.25, "ice": 0.2, "phso": 0.1}
TEAMS_PER_ROUTE = {"resolution": 8, "review": 5, "ice": 3, "phso": 2}
BIG_TEAM_WEIGHT = 5
REGION_SHARE = [(Region.ENGLAND_AND_WALES, 0.8), (Region.SCOTLAND, 0.12), (Region.NORTHERN_IRELAND, 0.08)]
ROUTE_RULES = {
    "resolution": ["resolution.response", "resolution.response", "ice.fig_resolution"],
    "review": ["review.acknowledge", "review.client_reply", "review.closure_reply", "ice.fig_resolution"],
    "ice": ["ice.gateway", "ice.resolution_reply", "ice.record_of_evidence", "ice.draft_report",
            "ice.recommendations", "ice.adhoc"],
    "phso": ["phso.pti_response", "phso.assessment_panel", "phso.draft_report", "phso.recommendations",
             "ice.adhoc"],
}
# Until the Review route registers its state table.
FALLBACK_STATES = {
    "review": ["pending_assignment", "in_progress", "awaiting_client_reply", "draft_action_plan",
               "pending_tl_approval", "pending_senior_approval", "awaiting_client_agreement", "pending_tl_decision",
               "undertaking_actions", "awaiting_closure_agreement", CLOSED],
}
CLOSING_CODES = ["resolved", "resolved", "no_action", "rejected", "withdrawn", "complete_ok", "complete_not_ok"]
OPEN_SHARE = 0.25
SURNAMES = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
            "Robinson", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Campbell", "Murphy",
            "Stewart", "Kelly", "Hughes", "Edwards", "Khan", "Lewis", "Clarke", "Jackson", "Wood", "Harris"]
FIRST_NAMES = ["Alex", "Sam", "Jo", "Chris", "Pat", "Morgan", "Jamie", "Ali", "Priya", "Niamh", "Callum",
               "Fiona", "Owen", "Rhys", "Siobhan", "Ewan", "Grace", "Aisha", "Tom", "Ruth", "Kiran", "Megan"]
TOWNS = {Region.ENGLAND_AND_WALES: ["Leeds", "Cardiff", "Bristol", "Hull", "Norwich", "Swansea", "Preston"],
         Region.SCOTLAND: ["Glasgow", "Edinburgh", "Dundee", "Aberdeen", "Falkirk"],
         Region.NORTHERN_IRELAND: ["Belfast", "Derry", "Newry", "Lisburn", "Omagh"]}


class Command(BaseCommand):
    help = "Bulk-insert realistic volume data (SRs, clocks, users) for the performance benches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=200_000)
        parser.add_argument("--users", type=int, default=500)
        parser.add_argument("--clocks-per-case", type=float, default=5.0, help="Average clocks per SR")
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument("--reset", action="store_true", help="Delete volume data first")

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.monotonic()
        if connection.vendor == "postgresql":
            # Bulk COPYs of millions of rows: the web's statement timeout
            # (settings.base) is not for this session.
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")
        self.rng = random.Random(opts["seed"])
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        if opts["reset"]:
            self.reset()
        elif ServiceRequest.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
            raise CommandError("Volume data is already there: run again with --reset to replace it.")
        if opts["cases"] <= 0:
            return
        self.rules = {r.code: r for r in DeadlineRule.objects.all()}
        missing = {code for codes in ROUTE_RULES.values() for code in codes} - set(self.rules)
        if missing:
            raise CommandError(f"Deadline rules missing (run migrate): {', '.join(sorted(missing))}")
        with transaction.atomic():
            self.skip_fk_triggers()
            teams, caseworkers = self.people(opts["users"])
            self.step("teams and users", started)
            clients = self.clients(max(1, int(opts["cases"] * 0.8)))
            self.step(f"{len(clients):,} clients", started)
            srs = self.service_requests(opts["cases"], teams, caseworkers, clients)
            self.step(f"{len(srs):,} SRs", started)
            n_clocks, n_events = self.clocks_and_events(srs, opts["clocks_per_case"])
            self.step(f"{n_clocks:,} clocks, {n_events:,} timeline events", started)
            n_rich = self.rich_cases(srs)
            self.step(f"{n_rich:,} cases with notes, links, letters and a plan", started)
            self.fix_sequences()
            # The clocks went in by COPY, past the services that keep the
            # dashboard's counts: count them once, set-based.
            recount()
            self.step("deadline counts", started)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Team, User, Membership, Client, ServiceRequest, DeadlineClock, DeadlineCount,
                              OwnerDeadlineCount, CaseEvent, Task):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        self.step("done", started)

    def skip_fk_triggers(self) -> None:
        """The generated rows are consistent by construction, so on PostgreSQL
        (as a superuser) skip the per-row foreign-key triggers that would
        otherwise run for millions of rows at commit."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")

    def step(self, what: str, started: float) -> None:
        self.stdout.write(f"{time.monotonic() - started:7.1f}s  {what}")

    # --- reset ---------------------------------------------------------------

    def reset(self) -> None:
        """Delete volume rows with a few set-based statements; rows that real
        use hung on them (notes, letters, ...) go through the ORM."""
        volume = ServiceRequest.objects.filter(reference__startswith=REFERENCE_PREFIX)
        with transaction.atomic():
            for model in (Task, DeadlineClock, CaseEvent):
                model._default_manager.filter(sr__in=volume)._raw_delete(connection.alias)
            # What rich_cases added (issued letters refuse the ORM's delete).
            PlanAction.objects.filter(plan__sr__in=volume)._raw_delete(connection.alias)
            PlanReason.objects.filter(plan__sr__in=volume)._raw_delete(connection.alias)
            ResolutionPlan.objects.filter(sr__in=volume)._raw_delete(connection.alias)
            IssuedLetter.objects.filter(sr__in=volume)._raw_delete(connection.alias)
            Note.objects.filter(sr__in=volume)._raw_delete(connection.alias)
            SRLink.objects.filter(Q(from_sr__in=volume) | Q(to_sr__in=volume))._raw_delete(connection.alias)
            _delete_fast(volume)
            _delete_fast(Client.objects.filter(case_number__startswith=CASE_PREFIX, service_requests__isnull=True))
            User.objects.filter(username__startswith=USER_PREFIX).delete()
            Team.objects.filter(name__startswith=TEAM_PREFIX).delete()
        self.stdout.write("Deleted the previous volume data.")

    # --- people --------------------------------------------------------------

    def people(self, n_users: int) -> tuple[dict[str, list[Team]], dict[int, list[int]]]:
        """Teams per route, with team leaders, managers and caseworkers."""
        teams: dict[str, list[Team]] = {}
        for route, count in TEAMS_PER_ROUTE.items():
            teams[route] = Team.objects.bulk_create([
                Team(name=f"{TEAM_PREFIX}{route} team {i + 1}", route=route, phone="0800 000 0000")
                for i in range(count)
            ])
        all_teams = [t for ts in teams.values() for t in ts]
        n_leaders = 2 * len(all_teams)
        n_managers = max(1, len(all_teams) // 2)
        n_caseworkers = max(len(all_teams), n_users - n_leaders - n_managers)
        rng = self.rng
        users = [
            User(username=f"{USER_PREFIX}{i:04d}", first_name=rng.choice(FIRST_NAMES), last_name=rng.choice(SURNAMES),
                 email=f"{USER_PREFIX}{i:04d}@example.org", password="!", is_active=True, date_joined=self.now)
            for i in range(n_leaders + n_managers + n_caseworkers)
        ]
        users = User.objects.bulk_create(users, batch_size=1000)
        groups = {g.name: g for g in Group.objects.filter(name__in=[r.value for r in Role])}
        memberships: list[Membership] = []
        user_groups = []
        through = User.groups.through
        caseworkers: dict[int, list[int]] = {t.pk: [] for t in all_teams}
        # Caseworkers spread over teams in proportion to each route's share.
        weights = [ROUTE_SHARE[t.route] / TEAMS_PER_ROUTE[t.route] for t in all_teams]
        for i, user in enumerate(users):
            if i < n_leaders:
                role, member_of = Role.TEAM_LEADER, [all_teams[i // 2]]
            elif i < n_leaders + n_managers:
                role = Role.MANAGER
                k = i - n_leaders
                member_of = all_teams[k * 2:(k + 1) * 2] or [all_teams[k % len(all_teams)]]
                if k == 0:
                    # A manager over every team (the Head of Operations): the
                    # benches' manager in many teams, the same one every time.
                    member_of = all_teams
            else:
                role = Role.CASEWORKER
                k = i - n_leaders - n_managers
                team = all_teams[k] if k < len(all_teams) else rng.choices(all_teams, weights)[0]
                member_of = [team]
                caseworkers[team.pk].append(user.pk)
            if role.value in groups:
                user_groups.append(through(user_id=user.pk, group_id=groups[role.value].pk))
            memberships += [Membership(user=user, team=t) for t in member_of]
        Membership.objects.bulk_create(memberships, batch_size=2000)
        through.objects.bulk_create(user_groups, batch_size=2000)
        return teams, caseworkers

    # --- clients and SRs -------------------------------------------------------

    def clients(self, n: int) -> list[tuple[int, str]]:
        """[(client id, region)]."""
        first_id = _next_id(Client)
        regions = [r for r, _ in REGION_SHARE]
        weights = [w for _, w in REGION_SHARE]
        rng = self.rng
        out: list[tuple[int, str]] = []
        rows = []
        for i in range(n):
            pk = first_id + i
            region = rng.choices(regions, weights)[0]
            out.append((pk, region))
            rows.append({
                "id": pk, "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
                "address_line_1": f"{rng.randint(1, 300)} {rng.choice(SURNAMES)} Road", "address_line_2": "",
                "town": rng.choice(TOWNS[region]), "postcode": f"AB{rng.randint(1, 99)} {rng.randint(1, 9)}CD",
                "region": region, "language": "cy" if region == Region.ENGLAND_AND_WALES and rng.random() < 0.03
                else "en", "case_number": f"{CASE_PREFIX}{pk:012d}", "case_closed_on": None, "phone": "",
                "created_at": self.now,
            })
        _write(Client, rows)
        return out

    def service_requests(self, n: int, teams: dict[str, list[Team]], caseworkers: dict[int, list[int]],
                         clients: list[tuple[int, str]]) -> list[dict]:
        """The SR rows (kept, with their region, for the clocks)."""
        first_id = _next_id(ServiceRequest)
        rng = self.rng
        routes = list(ROUTE_SHARE)
        weights = list(ROUTE_SHARE.values())
        states = {route: [s for s in (REGISTRY[route].states if route in REGISTRY else FALLBACK_STATES[route])
                          if s != CLOSED] for route in routes}
        rows = []
        for i in range(n):
            pk = first_id + i
            route = rng.choices(routes, weights)[0]
            # Each route's first team is five times the size of the others:
            # the benches compare a big and a small team page for page.
            team = rng.choices(teams[route], [BIG_TEAM_WEIGHT] + [1] * (len(teams[route]) - 1))[0]
            client_id, region = rng.choice(clients)
            is_open = rng.random() < OPEN_SHARE
            state = rng.choice(states[route]) if is_open else CLOSED
            owner = None
            if state not in ("pending_assignment", "initial_request") and caseworkers[team.pk]:
                owner = rng.choice(caseworkers[team.pk])
            rows.append({
                "id": pk, "reference": f"{REFERENCE_PREFIX}{pk:07d}", "route": route, "state": state,
                "owner_id": owner, "team_id": team.pk, "client_id": client_id, "received_on": None,
                "referrer": rng.choices(["client", "mp", "ice", "phso"], [0.8, 0.1, 0.05, 0.05])[0],
                "parliamentary_contact": "", "dg_caselist": rng.random() < 0.03, "confidential": False,
                "addressee": "", "root_cause": "", "resources": "", "details": "Volume data for the benches.",
                "resolution_code": "" if is_open else rng.choice(CLOSING_CODES), "gateway_passed": None,
                "lock_assignment": False, "eligibility_override": "", "parent_id": None, "closed_at": None,
                "version": 1, "updated_by_id": None,
                "_region": region, "_open": is_open,
            })
        return rows

    # --- clocks ---------------------------------------------------------------

    def plan_clocks(self, sr: dict, n: int) -> list[dict]:
        """The clocks of one SR in start order; sets the SR's dates."""
        rng = self.rng
        region = sr["_region"]
        codes = ROUTE_RULES[sr["route"]]
        picks = [rng.choice(codes) for _ in range(n)]
        gaps = [rng.randint(2, 25) for _ in range(n)]
        clocks = []
        if sr["_open"]:
            # The last clock (sometimes two) still runs, started recently
            # enough that most are not yet due.
            running = {n - 1} | ({n - 2} if n > 1 and picks[-2] != picks[-1] and rng.random() < 0.3 else set())
            last_start = self.today - timedelta(days=int(rng.random() * 1.15 * self._span(picks[-1])))
            start = last_start - timedelta(days=sum(gaps[1:]))
        else:
            running = set()
            start = self.today - timedelta(days=sum(gaps[1:]) + rng.randint(20, 1000))
        received = start - timedelta(days=rng.randint(0, 5))
        sr["received_on"] = received
        last_event = start
        for i, code in enumerate(picks):
            if i:
                start = start + timedelta(days=gaps[i])
            rule = self.rules[code]
            if rule.unit == RuleUnit.SET_BY_OTHER:
                length = None
                due = compute_due_for(RuleUnit.CALENDAR_DAYS, start, region, 10)
            else:
                length = rule.length
                due = compute_due_for(rule.unit, start, region, length)
            clock = {"rule_id": rule.pk, "code": code, "started_on": start, "due_on": due, "length": length,
                     "unit": rule.unit, "met_on": None, "cancelled_at": None}
            if i not in running:
                if rng.random() < 0.08:
                    cancelled = min(start + timedelta(days=rng.randint(1, 10)), self.today)
                    clock["cancelled_at"] = datetime.combine(cancelled, dtime(15), tzinfo=UTC)
                    last_event = max(last_event, cancelled)
                else:
                    if rng.random() < 0.85:
                        met = due - timedelta(days=rng.randint(0, max(0, (due - start).days)))
                    else:
                        met = due + timedelta(days=rng.randint(1, 12))
                    met = min(max(met, start), self.today)
                    clock["met_on"] = met
                    last_event = max(last_event, met)
            clocks.append(clock)
        if not sr["_open"]:
            closed = min(last_event + timedelta(days=rng.randint(0, 3)), self.today)
            sr["closed_at"] = datetime.combine(closed, dtime(16), tzinfo=UTC)
        return clocks

    def _span(self, code: str) -> int:
        """Roughly how many calendar days a rule's clock runs."""
        rule = self.rules[code]
        if rule.unit == RuleUnit.WORKING_DAYS:
            return int((rule.length or 0) * 1.45)
        if rule.unit == RuleUnit.WEEKS:
            return (rule.length or 0) * 7
        return rule.length or 10

    def clocks_and_events(self, srs: list[dict], per_case: float) -> tuple[int, int]:
        rng = self.rng
        low, high = 2, max(2, int(round(2 * per_case)) - 2)
        planned = [(sr, self.plan_clocks(sr, rng.randint(low, high))) for sr in srs]
        # SRs first (their dates are now known), then clocks and events.
        sr_rows = []
        for sr, clocks in planned:
            row = {k: v for k, v in sr.items() if not k.startswith("_")}
            # What the clock services keep: the earliest running due date.
            running_due = [c["due_on"] for c in clocks if c["met_on"] is None and c["cancelled_at"] is None]
            row["next_due_on"] = min(running_due) if running_due else None
            row["created_at"] = row["updated_at"] = datetime.combine(sr["received_on"], dtime(9), tzinfo=UTC)
            sr_rows.append(row)
        _write(ServiceRequest, sr_rows)

        clock_id = _next_id(DeadlineClock)
        event_id = _next_id(CaseEvent)
        n_clocks = n_events = 0

        def clock_rows() -> Iterator[dict]:
            nonlocal clock_id, n_clocks
            for sr, clocks in planned:
                for c in clocks:
                    yield {"id": clock_id, "sr_id": sr["id"], "rule_id": c["rule_id"], "route": sr["route"],
                           "team_id": sr["team_id"], "owner_id": sr["owner_id"], "region": sr["_region"],
                           "started_on": c["started_on"], "length": c["length"], "unit": c["unit"],
                           "due_on": c["due_on"],
                           "original_due_on": c["due_on"], "met_on": c["met_on"], "cancelled_at": c["cancelled_at"],
                           "extended_to": None, "extension_reason": "",
                           "created_at": _at(c["started_on"], 10),
                           # As started: the next scan looks at every running clock once.
                           "next_check_on": c["started_on"] if c["met_on"] is None and c["cancelled_at"] is None
                           else None}
                    clock_id += 1
                    n_clocks += 1

        def event_rows() -> Iterator[dict]:
            nonlocal event_id, n_events
            for sr, clocks in planned:
                events = [("created", sr["received_on"], 9, {"route": sr["route"], "volume": True}, "", sr["state"])]
                for c in clocks:
                    events.append(("clock_started", c["started_on"], 10,
                                   {"rule": c["code"], "due_on": c["due_on"].isoformat()}, "", ""))
                    if c["met_on"]:
                        events.append(("clock_met", c["met_on"], 15, {"rule": c["code"],
                                       "on_time": c["met_on"] <= c["due_on"]}, "", ""))
                for verb, day, hour, details, from_state, to_state in events:
                    yield {"id": event_id, "sr_id": sr["id"], "actor_id": sr["owner_id"], "verb": verb,
                           "from_state": from_state, "to_state": to_state, "details": details,
                           "created_at": _at(day, hour)}
                    event_id += 1
                    n_events += 1

        _write(DeadlineClock, clock_rows())
        _write(CaseEvent, event_rows())
        return n_clocks, n_events

    def rich_cases(self, srs: list[dict], share: float = 0.02) -> int:
        """Some open, owned SRs get what real case pages carry — notes,
        links to other SRs, issued letters and a resolution plan — so the
        case page bench exercises every per-item path, not just clocks."""
        rng = self.rng
        owned = [sr for sr in srs if sr["_open"] and sr["owner_id"]]
        rich = [sr for sr in owned if rng.random() < share]
        template = LetterTemplate.objects.order_by("pk").first()
        notes, links, letters = [], [], []
        seen_links: set[tuple[int, int]] = set()
        for sr in rich:
            for n in range(rng.randint(5, 15)):
                notes.append(Note(sr_id=sr["id"], author_id=sr["owner_id"],
                                  text=f"Called the client (note {n + 1}). " + "They asked about the timescale. " * 3))
            for _ in range(rng.randint(1, 3)):
                other = rng.choice(srs)["id"]
                if other != sr["id"] and (sr["id"], other) not in seen_links:
                    seen_links.add((sr["id"], other))
                    links.append(SRLink(from_sr_id=sr["id"], to_sr_id=other, reason="Same client, earlier complaint",
                                        created_by_id=sr["owner_id"]))
            if template is not None:
                for n in range(rng.randint(1, 3)):
                    letters.append(IssuedLetter(
                        sr_id=sr["id"], template=template, template_code=template.code, template_version=1,
                        heading=f"{template.heading} ({n + 1})", language="en", composition={}, paragraph_versions={},
                        html="<p>Volume letter.</p>", issued_by_id=sr["owner_id"], issued_at=self.now))
        Note.objects.bulk_create(notes, batch_size=2000)
        SRLink.objects.bulk_create(links, batch_size=2000)
        IssuedLetter.objects.bulk_create(letters, batch_size=2000)
        plans = ResolutionPlan.objects.bulk_create([
            ResolutionPlan(sr_id=sr["id"], revision=1, status=PlanStatus.DRAFT, drafted_by_id=sr["owner_id"],
                           created_at=self.now) for sr in rich], batch_size=2000)
        reasons = PlanReason.objects.bulk_create([
            PlanReason(plan=plan, grounds=f"Ground {g + 1} of the complaint", position=g)
            for plan in plans for g in range(2)], batch_size=2000)
        PlanAction.objects.bulk_create([
            PlanAction(plan_id=reason.plan_id, reason=reason, description=f"Put right part {a + 1}",
                       kind=ActionKind.OTHER, due_on=self.today + timedelta(days=10 + a), position=a)
            for reason in reasons for a in range(2)], batch_size=2000)
        return len(rich)

    def fix_sequences(self) -> None:
        """Explicit ids were used: move each sequence past them."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for model in (Client, ServiceRequest, DeadlineClock, CaseEvent):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def _at(day: date, hour: int) -> datetime | str:
    """A moment on that day (UTC): ISO text for COPY, which is much cheaper
    to send than a datetime; a datetime for bulk_create."""
    if connection.vendor == "postgresql":
        return f"{day.isoformat()}T{hour:02d}:00:00+00:00"
    return datetime.combine(day, dtime(hour), tzinfo=UTC)


def _delete_fast(qs: models.QuerySet) -> None:
    """DELETE … WHERE for rows nothing else points at; the ORM (cascades,
    PROTECT) for the few that something does."""
    model = qs.model
    touched = models.Q(pk__in=[])
    for rel in model._meta.related_objects:
        if rel.many_to_many or not rel.field.concrete:
            continue
        pointing = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": qs.values("pk")})
        touched |= models.Q(pk__in=pointing.values(rel.field.attname))
    # Children first: a volume SR may be the PROTECTed parent of another.
    for row in qs.filter(touched).order_by("-pk"):
        row.delete()
    model._base_manager.filter(pk__in=qs.values("pk"))._raw_delete(connection.alias)


def _next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(m=models.Max("id"))["m"] or 0) + 1


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


def _write(model: type[models.Model], rows: Iterable[dict]) -> None:
    """COPY on PostgreSQL, bulk_create elsewhere. A column the row leaves out
    gets the field's default, so a field added later does not break this."""
    fields = _columns(model)
    defaults: dict[str, Any] = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = timezone.now()
        elif f.has_default():
            defaults[f.attname] = f.get_default()
        elif f.null:
            defaults[f.attname] = None
        else:
            defaults[f.attname] = ""
    if connection.vendor == "postgresql":
        # Text for dates and JSON: psycopg adapts str far faster than aware
        # datetimes, and COPY parses them the same way.
        def convert(field: models.Field) -> Any:
            if isinstance(field, models.JSONField):
                return json.dumps
            if isinstance(field, models.DateField):  # DateTimeField too
                return lambda v: v if v is None or isinstance(v, str) else v.isoformat()
            return None

        plan = [(f.attname, defaults[f.attname], convert(f)) for f in fields]
        columns = ", ".join(f'"{f.column}"' for f in fields)
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row([
                        (conv(row.get(name, default)) if conv else row.get(name, default))
                        for name, default, conv in plan
                    ])
        return
    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**{f.attname: row.get(f.attname, defaults[f.attname]) for f in fields}))
        if len(batch) >= 5000:
            model._default_manager.bulk_create(batch)
            batch = []
    if batch:
        model._default_manager.bulk_create(batch)
