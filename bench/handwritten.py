"""The least work that produces a product page's bytes (issue 14): the
baseline `bench.pages` divides the product's time by.

A renderer here is built from one product request of the page:

- its SQL statements are captured (with their parameters) from that request
  and replayed, every render, through a raw psycopg connection with a
  client-side cursor (as Django binds them) — the same statements, in the
  same order, including the session read, whose data is decoded;
- every part of the page that comes from those rows (the signed-in user's
  name, the badge, the rows of the lists, each item of the case page) is
  rendered from the replayed rows by hand-written f-strings below;
- the markup in between (layout, headings, table heads, forms) does not
  depend on the data: a hand-written page would hold it as string
  constants. Rather than copy ~30 kB of markup into this file, the constants
  are cut from the product's page once, at set-up: each hand-rendered piece
  must be found, in order, in the product's page (else set-up fails), and
  the text between pieces becomes the constants.

`same_bytes()` then compares a fresh render with a fresh product response
(CSRF and form tokens masked on both): the bench asserts it before timing.

Computations that are not rendering (working-day arithmetic for "2 working
days left", the route's label table) call the same pure functions the
product calls: the baseline must produce the same text, and those costs are
not what the ratio is about. Nothing here is used by the product."""

import re
import secrets
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from html import escape
from types import SimpleNamespace
from typing import Any

import psycopg
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client as TestClient
from django.utils import timezone

from accounts.models import RouteChoices
from complaints.models import Client, PlanAction, ResolutionPlan, ServiceRequest
from complaints.routes import labels_for, spec_for
from complaints.templatetags.govuk import event_change, event_details, event_title, status_tag_class
from sla.models import TaskKind
from sla.selectors import STATE_TAGS, explain_clock
from sla.tables import TASK_TAGS
from workdays.text import days_between, days_phrase, deadline_text, fmt_day

Statement = tuple[str, Sequence[Any]]
Rows = list[dict[str, Any]]

TOKENS = re.compile(r'(name="(?:csrfmiddlewaretoken|form_token)" value=")[^"]*(")')
CSRF_MARK = "\x00csrf\x00"
OVERDUE_KINDS = (TaskKind.OVERDUE, TaskKind.OVERDUE_TL, TaskKind.OVERDUE_MANAGER)
ALWAYS_OVERDUE = (*OVERDUE_KINDS, TaskKind.WAIT_EXPIRED)
ROUTE_LABELS = {value: str(label) for value, label in RouteChoices.choices}


def masked(page: str) -> str:
    """The page with its per-request tokens blanked."""
    return TOKENS.sub(r"\1\2", page)


def capture(client: TestClient, url: str) -> tuple[str, list[Statement]]:
    """One product request: its page and the statements it ran."""
    statements: list[Statement] = []

    def record(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode(), statements


def raw_connection() -> psycopg.Connection:
    """A connection set up as the product's: the same server settings, and
    the same binding (the server binds the parameters and keeps a statement
    prepared from its fifth run, as the product's connections do), so the
    same statements cost the renderer what they cost the product."""
    settings = connection.settings_dict
    options = settings.get("OPTIONS", {})
    params = {"dbname": settings["NAME"], "user": settings["USER"], "password": settings["PASSWORD"],
              "host": settings["HOST"], "port": settings["PORT"], "options": options.get("options")}
    server_binds = options.get("server_side_binding") is True
    raw = psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True,
                          cursor_factory=psycopg.Cursor if server_binds else psycopg.ClientCursor,
                          prepare_threshold=options.get("prepare_threshold") if server_binds else None)
    raw.execute("SET TIME ZONE 'UTC'")  # as Django's connection
    return raw


class OutsideTheBenchCase(Exception):
    """The bench's case has a shape this renderer does not write (it writes
    what the chosen rich case shows, and says so rather than guess)."""


class Renderer(ABC):
    """Replays the statements, renders the pieces, joins them with the
    constants cut from the product's page."""

    def __init__(self, raw: psycopg.Connection, statements: list[Statement], product_page: str, path: str) -> None:
        self.raw, self.statements, self.path = raw, statements, path
        assert "django_session" in statements[0][0], "the first statement is the session read"
        self.constants = self._cut(masked(product_page), self.pieces(self.fetch()))

    # -- the per-request work ------------------------------------------------
    def fetch(self) -> list[Rows]:
        results: list[Rows] = []
        with self.raw.cursor() as cursor:
            for sql, params in self.statements:
                cursor.execute(sql, params)
                names: list[str] = []
                for column in cursor.description or ():
                    # A later column of the same name (a joined table's id or
                    # name) is name#2, name#3, ...
                    seen = sum(1 for n in names if n == column.name or n.startswith(column.name + "#"))
                    names.append(f"{column.name}#{seen + 1}" if seen else column.name)
                results.append([dict(zip(names, row, strict=True)) for row in cursor.fetchall()])
        # The session read, unexpired as of now (config.sessions).
        assert results[0][0]["expire_date"] > datetime.now(UTC), "the session has not expired"
        session = SessionStore().decode(results[0][0]["session_data"])
        assert str(session["_auth_user_id"]) == str(results[1][0]["id"]), "the session names the user read"
        return results

    def render(self) -> str:
        pieces = self.pieces(self.fetch())
        out = [self.constants[0]]
        for piece, constant in zip(pieces, self.constants[1:], strict=True):
            out.append(piece)
            out.append(constant)
        csrf = secrets.token_urlsafe(48)[:64]  # as Django's masked token: 64 characters
        return "".join(out).replace(CSRF_MARK, csrf)

    @abstractmethod
    def pieces(self, results: list[Rows]) -> list[str]:
        """The page's data-driven parts, in order, from the statements' rows."""

    def rows(self, results: list[Rows], start: str, contains: str = "", *, optional: bool = False) -> Rows:
        """The rows of the one statement that starts so (and contains that);
        none for an optional statement the product did not run (it reads
        some items only when a statement before says there are any)."""
        found = [rows for (sql, _), rows in zip(self.statements, results, strict=True)
                 if sql.startswith(start) and contains in sql]
        if optional and not found:
            return []
        assert len(found) == 1, (start, len(found))
        return found[0]

    # -- set-up --------------------------------------------------------------
    @staticmethod
    def _cut(page: str, pieces: list[str]) -> list[str]:
        constants, at = [], 0
        for number, piece in enumerate(pieces):
            found = page.find(masked(piece), at)
            if found < 0:
                # Say where it parts from the page: its longest prefix found.
                size = len(piece)
                while size and page.find(masked(piece)[:size], at) < 0:
                    size -= 1
                near = page.find(masked(piece)[:size], at) + size
                raise AssertionError(f"piece {number} parts from the product's page after "
                                     f"{masked(piece)[max(0, size - 80):size]!r}: it has "
                                     f"{masked(piece)[size:size + 120]!r}, the page {page[near:near + 120]!r}")
            constants.append(page[at:found])
            at = found + len(masked(piece))
        constants.append(page[at:])
        return [c.replace('name="csrfmiddlewaretoken" value=""', f'name="csrfmiddlewaretoken" value="{CSRF_MARK}"')
                for c in constants]


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _user_pieces(results: list[Rows]) -> list[str]:
    user = results[1][0]
    return [f'data-testid="signed-in-user">{escape(_name(user["first_name"], user["last_name"], user["username"]))}'
            "</span>"]


def _access(renderer: "Renderer", results: list[Rows]) -> tuple[set[tuple[str, str]], dict[int, str]]:
    """The user's permissions and their teams' routes, from the one statement
    that reads both (the team rows are those with a team id)."""
    perms: set[tuple[str, str]] = set()
    teams: dict[int, str] = {}
    for row in renderer.rows(results, '(SELECT "auth_group"."name"'):
        if row["value1"] is not None:
            teams[row["value1"]] = row["permissions__codename"]
        else:
            perms.add((row["permissions__content_type__app_label"], row["permissions__codename"]))
    return perms, teams


def _badge(count: int, label: str) -> str:
    if not count:
        return ""
    return f'<span class="moj-notification-badge">{count}<span class="govuk-visually-hidden"> {label}</span></span>'


class MyWork(Renderer):
    """My work at 100 rows: the tasks panel's rows, the SR rows, the badge."""

    PER_PAGE = 100
    TASKS = 25

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._labels: dict[tuple[str, str, str], tuple[str, str, str]] = {}
        super().__init__(*args, **kwargs)

    def _status(self, route: str, state: str, region: str) -> tuple[str, str, str]:
        key = (route, state, region)
        if key not in self._labels:  # the route's label table, as a constant would hold it
            labels = labels_for(route, state, region)
            self._labels[key] = (labels.status, labels.sub_status, status_tag_class(labels.status))
        return self._labels[key]

    def pieces(self, results: list[Rows]) -> list[str]:
        srs = self.rows(results, 'SELECT "complaints_servicerequest"."id"')
        tasks = self.rows(results, 'SELECT "sla_task"."id"')
        count = self.rows(results, "SELECT (SELECT COUNT(*)")[0]
        perms, teams = _access(self, results)
        if "ice" in teams.values():
            raise OutsideTheBenchCase("the bench's caseworker is in no ICE team")
        today = timezone.localdate()
        return [
            *_user_pieces(results),
            '<strong class="govuk-service-navigation__active-fallback">My work</strong>\n                '
            + _badge(next(iter(count.values())), "open tasks"),
            ('<a href="/sr/new/" role="button" class="govuk-button govuk-!-float-right" data-module="govuk-button">'
             "Record a new SR</a>") if ("complaints", "add_servicerequest") in perms else "",
            self._tasks_heading(tasks),
            self._task_rows(tasks[:self.TASKS], today),
            self._sr_rows(srs[:self.PER_PAGE], today),
            self._next_link(len(srs) > self.PER_PAGE),
        ]

    def _tasks_heading(self, tasks: Rows) -> str:
        shown = min(len(tasks), self.TASKS)
        more = f"more than {shown}" if len(tasks) > self.TASKS else str(shown)
        return f'Tasks <span class="govuk-caption-m govuk-!-display-inline">({more} open)</span></h2>'

    def _task_rows(self, tasks: Rows, today: date) -> str:
        form_tokens = uuid.uuid4()
        token_head, token_tail = str(form_tokens)[:24], form_tokens.int & ((1 << 48) - 1)
        out = []
        for task in tasks:
            kind, due = task["kind"], task["due_on"]
            if not task["sr_readable"]:
                raise OutsideTheBenchCase("the bench's caseworker reads every SR of the panel")
            colour = "red" if kind in ALWAYS_OVERDUE or (due is not None and due < today) else "yellow"
            title = task["title"]
            # The panel reads its tasks as values() rows (sla.selectors.PANEL_FIELDS).
            rule = task["clock__rule__name"]
            if kind in OVERDUE_KINDS and task["clock__region"] is not None and due is not None and today > due:
                late = days_between(due, today, task["clock__region"])
                title = f"Overdue by {days_phrase(late)}: {rule}" if late else f"Overdue: {rule}"
            title = escape(title)
            reference = escape(task["sr__reference"])
            out.append(
                '<tr class="govuk-table__row"><td class="govuk-table__cell">'
                f'<strong class="govuk-tag govuk-tag--{colour}">{escape(TASK_TAGS[kind])}</strong>'
                '<span class="govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0">'
                f'{title}</span></td><td class="govuk-table__cell app-nowrap">'
                f'<a class="govuk-link" href="/sr/{reference}/">{reference}</a>'
                '<span class="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-0">'
                f'{escape(task["sr__client__name"])}</span></td>'
                f'<td class="govuk-table__cell app-nowrap">{fmt_day(due) if due else "–"}</td>'
                f'<td class="govuk-table__cell"><form method="post" action="/deadlines/tasks/{task["id"]}/done/" '
                'class="app-inline-form" novalidate>'
                f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_MARK}">'
                f'<input type="hidden" name="next" value="{escape(self.path)}">'
                f'<input type="hidden" name="form_token" value="{token_head}{token_tail ^ task["id"]:012x}">'
                '<button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" '
                f'data-module="govuk-button">Mark as done<span class="govuk-visually-hidden">: {title} on '
                f'{reference}</span></button></form></td></tr>\n'
            )
        return "".join(out)

    def _sr_rows(self, srs: Rows, today: date) -> str:
        out = []
        for sr in srs:
            # My work reads its rows as values(): the client's columns come as client__*.
            reference, region = escape(sr["reference"]), sr["client__region"]
            status, sub_status, tag = self._status(sr["route"], sr["state"], region)
            status_html = f'<strong class="govuk-tag {tag}">{escape(status)}</strong>'
            if sub_status:
                status_html += f' <span class="govuk-body-s">{escape(sub_status)}</span>'
            if sr["lock_assignment"]:
                status_html += ' <strong class="govuk-tag govuk-tag--orange">Assignment locked</strong>'
            due = sr["next_due_on"]
            if due is None:
                deadline = '<span class="govuk-body-s">No running deadline</span>'
            else:
                deadline = f'<span class="govuk-body-s">{escape(deadline_text(due, today, region))}</span>'
                if due < today:
                    deadline = f'<strong class="govuk-tag govuk-tag--red">Overdue</strong> {deadline}'
            received = sr["received_on"]
            out.append(
                '<tr class="govuk-table__row"><td class="govuk-table__cell app-nowrap">'
                f'<a class="govuk-link" href="/sr/{reference}/">{reference}</a></td>'
                f'<td class="govuk-table__cell">{escape(sr["client__name"])}</td>'
                f'<td class="govuk-table__cell">{escape(ROUTE_LABELS.get(sr["route"], sr["route"]))}</td>'
                f'<td class="govuk-table__cell">{status_html}</td><td class="govuk-table__cell">{deadline}</td>'
                f'<td class="govuk-table__cell">{received.day} {received:%b %Y}</td></tr>\n'
            )
        return "".join(out)

    @staticmethod
    def _next_link(more: bool) -> str:
        return '<div class="govuk-pagination__next">' if more else ""


def same_bytes(product: Callable[[], str], renderer: Renderer) -> bool:
    return masked(product()) == masked(renderer.render())


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _when(moment: datetime) -> str:
    """|date:"j F Y \\a\\t H:i" with its datetime attribute (|date:'c')."""
    local = _local(moment)
    return f'<time datetime="{local.isoformat()}">{local.day} {local:%B %Y} at {local:%H:%M}</time>'


def _short_when(moment: datetime) -> str:  # |date:"j M Y H:i"
    local = _local(moment)
    return f"{local.day} {local:%b %Y %H:%M}"


def _labels(model: Any, field: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


class CasePage(Renderer):
    """The case page of one SR: identity bar, summary and client, deadlines,
    plan, letters, related SRs, timeline and notes, each from its rows.
    What stays constant between pieces: the tabs, the forms, the actions menu
    (a table of the route's transitions by state and role: for this one SR
    and user it is one constant)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.referrers = _labels(ServiceRequest, "referrer")
        self.regions = _labels(Client, "region")
        self.languages = _labels(Client, "language")
        self.kinds = _labels(PlanAction, "kind")
        self.plan_statuses = _labels(ResolutionPlan, "status")
        self.client_approved = _labels(ResolutionPlan, "client_approved")
        super().__init__(*args, **kwargs)

    def pieces(self, results: list[Rows]) -> list[str]:
        sr = self.rows(results, 'SELECT "complaints_servicerequest"."id"', '"complaints_servicerequest"."reference" = %s')[0]
        count = self.rows(results, "SELECT (SELECT COUNT(*)")[0]
        today = timezone.localdate()
        region = sr["region#2"]
        labels = labels_for(sr["route"], sr["state"], region)
        owner = _name(sr["first_name"], sr["last_name"], sr["username"]) if sr["owner_id"] else None
        route = ROUTE_LABELS.get(sr["route"], sr["route"])
        reference = escape(sr["reference"])
        written = self.rows(results, '(SELECT %s AS "value1", "complaints_caseevent"."id"')
        pieces = [
            *_user_pieces(results),
            "My work\n                " + _badge(next(iter(count.values())), "open tasks"),
            f'<h1 class="govuk-heading-m govuk-!-margin-bottom-1">{reference} · {escape(sr["name#2"])}</h1>\n'
            f'      <span class="moj-identity-bar__title">\n        {escape(route)}\n'
            f'        · <strong class="govuk-tag {status_tag_class(labels.status)}">{escape(labels.status)}</strong>\n'
            f'        {"/ " + escape(labels.sub_status) if labels.sub_status else ""} / {escape(labels.stage)}\n'
            f'        · Owner: {escape(owner) if owner else "unallocated"}\n',
            self._summary(sr, labels, route, owner),
            self._clocks(self.rows(results, 'SELECT "sla_deadlineclock"."id"'), today),
            *self._plan(results, sr),
            self._letters(self.rows(results, 'SELECT "letters_issuedletter"."id"')),
            self._related(results, sr),
            # The timeline and the notes come in one statement, newest first.
            self._timeline([r for r in written if r["value1"] == "event"], sr["route"], region),
            self._notes([r for r in written if r["value1"] == "note"]),
        ]
        return pieces

    def _summary(self, sr: dict[str, Any], labels: Any, route: str, owner: str | None) -> str:
        def row(key: str, value: str) -> str:
            return (f'  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{key}</dt>'
                    f'<dd class="govuk-summary-list__value">{value}</dd></div>\n')

        if sr["resolution_code"] or sr["gateway_passed"] is not None or sr["eligibility_override"] or sr["parent_id"]:
            raise OutsideTheBenchCase("the bench's case has no resolution code, gateway, override or parent")
        received = sr["received_on"]
        referrer = escape(self.referrers.get(sr["referrer"], sr["referrer"]))
        if sr["parliamentary_contact"]:
            referrer += f" ({escape(sr['parliamentary_contact'])})"
        address = "".join(f"{escape(line)}<br>" for line in (sr["address_line_1"], sr["address_line_2"], sr["town"],
                                                              sr["postcode"]) if line)
        lock = ' <strong class="govuk-tag govuk-tag--orange">Assignment locked</strong>' if sr["lock_assignment"] else ""
        return (
            row("Reference", escape(sr["reference"])) + row("Route", escape(route))
            + row("Status", f'<strong class="govuk-tag {status_tag_class(labels.status)}">{escape(labels.status)}'
                            "</strong>")
            + row("Sub Status", escape(labels.sub_status) or "–") + row("Stage", escape(labels.stage)) + "  \n"  # the empty {% if %} line of a resolution code
            + row("Team", escape(sr["name"])) + row("Owner", (escape(owner) if owner else "Unallocated") + lock)
            + row("Received", f"{received:%A} {received.day} {received:%B %Y}") + row("Raised by", referrer)
            + row("DG caselist", "Yes" if sr["dg_caselist"] else "No") + "  \n"  # and of the gateway
            + row("Addressee", escape(sr["addressee"]) or "–") + row("Root cause", escape(sr["root_cause"]) or "–")
            + row("Resources", escape(sr["resources"]) or "–")
            + row("Complaint details", escape(sr["details"]).replace("\n", "<br>") or "–")
            + "  \n  \n"  # and of an override and a parent
            + "</dl>\n<h2 class=\"govuk-heading-m\">Client</h2>\n<dl class=\"govuk-summary-list\">\n"
            + row("Name", escape(sr["name#2"])) + row("Case number", escape(sr["case_number"]))
            + row("Address", address) + row("Region", escape(self.regions.get(sr["region#2"], sr["region#2"])))
            + row("Preferred language", escape(self.languages.get(sr["language"], sr["language"])))
        )

    def _clocks(self, clocks: Rows, today: date) -> str:
        out = []
        for c in clocks:
            clock = SimpleNamespace(
                rule=SimpleNamespace(name=c["name"]), effective_unit=c["unit"] or c["unit#2"], length=c["length"],
                started_on=c["started_on"], original_due_on=c["original_due_on"], region=c["region"],
                extended_to=c["extended_to"], extension_reason=c["extension_reason"])
            due, met, cancelled = c["due_on"], c["met_on"], c["cancelled_at"]
            running = met is None and cancelled is None
            if cancelled is not None:
                state = "cancelled"
            elif met is not None:
                state = "met on time" if met <= due else "met late"
            else:
                state = "overdue" if today > due else "running"
            if running:
                text = deadline_text(due, today, c["region"])
            elif met:
                text = f"met {fmt_day(met)} (due {fmt_day(due)})"
            else:
                text = f"cancelled (was due {fmt_day(due)})"
            if c["is_wait"] or (running and self.can_extend):
                raise OutsideTheBenchCase("the bench's case has no client wait and its caseworker extends none")
            started = c["started_on"]
            out.append(
                '\n    <tr class="govuk-table__row">\n      <td class="govuk-table__cell">\n'
                f'        {escape(c["name"])}\n'
                '        <details class="govuk-details govuk-!-margin-top-2 govuk-!-margin-bottom-0">\n'
                '          <summary class="govuk-details__summary">\n'
                '            <span class="govuk-details__summary-text">Why this date</span>\n'
                '          </summary>\n'
                f'          <div class="govuk-details__text">{escape(explain_clock(clock))}</div>\n'
                '        </details>\n      </td>\n'
                f'      <td class="govuk-table__cell app-nowrap">{started.day} {started:%b %Y}</td>\n'
                f'      <td class="govuk-table__cell">\n        {escape(text)}\n        \n      </td>\n'
                f'      <td class="govuk-table__cell"><strong class="govuk-tag {STATE_TAGS[state]}">'
                f'{state[:1].upper() + state[1:]}</strong></td>\n    </tr>\n    '
            )
        return "".join(out)

    can_extend = False

    def _plan(self, results: list[Rows], sr: dict[str, Any]) -> list[str]:
        plans = self.rows(results, 'SELECT "complaints_resolutionplan"."id"')
        if not plans:
            raise OutsideTheBenchCase("the bench's case has a plan")
        plan = plans[0]
        if plan["submitted_at"] or plan["status"] != "draft" or self.rows(results,
                                                                         'SELECT "complaints_planapproval"."id"',
                                                                         optional=True):
            raise OutsideTheBenchCase("the bench's case has a draft plan, not submitted, without approvals")
        # The plans' reasons joined to their actions, in one statement.
        reasons, actions = [], []
        for row in self.rows(results, 'SELECT "complaints_planreason"."id"'):
            if row["plan_id"] != plan["id"]:
                continue
            if not reasons or reasons[-1]["id"] != row["id"]:
                reasons.append(row)
            if row["actions__id"] is not None:
                actions.append({"reason_id": row["id"], **{key.removeprefix("actions__"): value
                                                           for key, value in row.items() if key.startswith("actions__")}})
        total = sum((a["amount"] or 0) for a in actions)
        if total:
            raise OutsideTheBenchCase("the bench's case has no redress")
        # A draft in a state where its owner drafts (the caseworker owns the
        # bench's case): each reason and action has its Change and Remove,
        # and the add-action form offers the reasons.
        use = spec_for(sr["route"]).plans
        if use is None or sr["state"] in use.action_states:
            raise OutsideTheBenchCase("the bench's plan is not being carried out")
        editable = sr["state"] in use.edit_states
        reference = escape(sr["reference"])
        form_tokens = uuid.uuid4()

        def remove(what: str, pk: int, label: str) -> str:
            return (f'<form method="post" action="/sr/{reference}/plan/{what}/{pk}/remove/" class="app-inline-form">'
                    f'<input type="hidden" name="csrfmiddlewaretoken" value="{CSRF_MARK}">'
                    f'<input type="hidden" name="form_token" value="{uuid.uuid5(form_tokens, f"{what}{pk}")}">'
                    '<button type="submit" class="app-link-button govuk-link">Remove<span class="govuk-visually-hidden">'
                    f' {label}</span></button></form>')
        # As the Plan tab words Client Approved while the client is asked.
        client_approved = ("Waiting for the client's reply" if sr["state"] == "awaiting_client_agreement"
                           and plan["client_approved"] == "not_asked" else self.client_approved[plan["client_approved"]])
        out = [
            f'Revision {plan["revision"]} · <strong class="govuk-tag govuk-tag--grey">'
            f'{escape(self.plan_statuses[plan["status"]])}</strong></dd></div>\n'
            '  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Drafted by</dt>'
            '<dd class="govuk-summary-list__value">'
            f'{escape(_name(plan["first_name"], plan["last_name"], plan["username"]))}</dd></div>\n'
            '  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Client Approved</dt>'
            f'<dd class="govuk-summary-list__value">{escape(client_approved)}</dd></div>\n'
            '  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Financial redress in total'
            '</dt><dd class="govuk-summary-list__value" data-testid="plan-total">£0.00</dd></div>\n'
            '  <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Actions still to do</dt>'
            f'<dd class="govuk-summary-list__value">{sum(1 for a in actions if not a["done"])}</dd></div>\n'
        ]
        for number, reason in enumerate(reasons, 1):
            grounds = escape(reason["grounds"])
            if reason["comments"]:
                raise OutsideTheBenchCase("the bench's plan reasons have no comments")
            rows = []
            for a in (a for a in actions if a["reason_id"] == reason["id"]):
                if a["comments"] or a["child_sr_id"] or a["amount"]:
                    raise OutsideTheBenchCase("the bench's actions have no comments, child SR or amount")
                due = a["due_on"]
                progress = ('<strong class="govuk-tag govuk-tag--green">Done</strong>' if a["done"]
                            else '<strong class="govuk-tag govuk-tag--blue">In Progress</strong>')
                description = escape(a["description"])
                changes = (
                    '\n      <td class="govuk-table__cell app-nowrap">\n        <a class="govuk-link" '
                    f'href="/sr/{reference}/plan/actions/{a["id"]}/edit/">Change<span class="govuk-visually-hidden"> '
                    f'{description}</span></a> ·\n        {remove("actions", a["id"], description)}\n        \n'
                    '      </td>\n      ' if editable else ""
                )
                rows.append(
                    '\n    <tr class="govuk-table__row">\n'
                    f'      <td class="govuk-table__cell">{description}\n        \n        \n      </td>\n'
                    f'      <td class="govuk-table__cell">{escape(self.kinds[a["kind"]])}</td>\n'
                    f'      <td class="govuk-table__cell app-nowrap">{due.day} {due:%b %Y}</td>\n'
                    '      <td class="govuk-table__cell govuk-table__cell--numeric">–</td>\n'
                    f'      <td class="govuk-table__cell">{progress}</td>\n      {changes}\n    </tr>\n  '
                )
            has_actions = any(a["reason_id"] == reason["id"] for a in actions)
            changes = (
                '<p class="govuk-body">\n  <a class="govuk-link" '
                f'href="/sr/{reference}/plan/reasons/{reason["id"]}/edit/">Change<span class="govuk-visually-hidden"> '
                f'reason {grounds}</span></a>\n  '
                + ("" if has_actions else f'· {remove("reasons", reason["id"], "reason " + grounds)}')
                + '\n</p>\n\n' if editable else ""
            )
            out.append(
                f'<h3 class="govuk-heading-s govuk-!-margin-top-6">Reason {number}: {grounds}</h3>\n'
                f"\n\n{changes}"  # the empty {% if %} line of comments, then the changes
                f'<div class="app-table-wrapper" tabindex="0" role="region" aria-label="Actions for {grounds}">\n'
                '<table class="govuk-table">\n'
                f'  <caption class="govuk-table__caption govuk-visually-hidden">Actions for {grounds}</caption>\n'
            )
            out.append("".join(rows))
        if editable and reasons:
            out.append('<option value="">Choose a reason</option>' + "".join(
                f'<option value="{r["id"]}">{escape(r["grounds"])}</option>' for r in reasons))
        return out

    def _letters(self, letters: Rows) -> str:
        out = []
        for letter in letters:
            if letter["language"] == "cy" or letter["pdf"]:
                raise OutsideTheBenchCase("the bench's letters are English and still rendering")
            code = escape(letter["template_code"])
            out.append(
                '\n    <tr class="govuk-table__row">\n'
                f'      <td class="govuk-table__cell"><strong>{code}</strong> {escape(letter["heading"])}</td>\n'
                f'      <td class="govuk-table__cell">{_short_when(letter["issued_at"])}<br>'
                '<span class="govuk-hint govuk-!display-inline">'.replace("!display", "!-display")
                + f'{escape(_name(letter["first_name"], letter["last_name"], letter["username"]))}</span></td>\n'
                '      <td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--yellow">Rendering</strong></td>\n'
                '      <td class="govuk-table__cell">–</td>\n'
                f'      <td class="govuk-table__cell"><a class="govuk-link" href="/letters/{letter["id"]}/">Check'
                f'<span class="govuk-visually-hidden"> {code}</span></a></td>\n    </tr>\n    '
            )
        return "".join(out)

    def _related(self, results: list[Rows], sr: dict[str, Any]) -> str:
        teams = _access(self, results)[1]
        related = []
        # Related and child SRs come in one statement, each SR once with the
        # link each way that joins it to this one.
        for other in self.rows(results, 'SELECT "complaints_servicerequest"."id"', 'U0."parent_id" = %s'):
            if other["parent_id"] == sr["id"]:
                raise OutsideTheBenchCase("the bench's case has no child SRs")
            if other["team_id"] not in teams:
                continue  # not the caseworker's to see
            if other["confidential"]:
                raise OutsideTheBenchCase("the bench's case relates no confidential SR of its caseworker's teams")
            for way in ("to", "from"):
                if other[f"{way}_id"] is not None:
                    related.append((other[f"{way}_at"], other[f"{way}_id"], other, other[f"{way}_reason"]))
        related.sort(key=lambda link: (link[0], link[1]))
        out = ['<h2 class="govuk-heading-m">Related SRs</h2>\n']
        if related:
            out.append(
                '\n<div class="app-table-wrapper" tabindex="0" role="region" aria-label="Related SRs">\n'
                '<table class="govuk-table">\n  <thead class="govuk-table__head"><tr class="govuk-table__row">'
                '<th scope="col" class="govuk-table__header">Reference</th>'
                '<th scope="col" class="govuk-table__header">Route</th>'
                '<th scope="col" class="govuk-table__header">Status</th>'
                '<th scope="col" class="govuk-table__header">Why related</th></tr></thead>\n'
                '  <tbody class="govuk-table__body">\n  ')
            for _, _, other, reason in related:
                reference = escape(other["reference"])
                status = labels_for(other["route"], other["state"], other["region"]).status
                out.append(
                    f'\n    <tr class="govuk-table__row"><td class="govuk-table__cell"><a class="govuk-link" '
                    f'href="/sr/{reference}/">{reference}</a></td>'
                    f'<td class="govuk-table__cell">{escape(ROUTE_LABELS.get(other["route"], other["route"]))}</td>'
                    f'<td class="govuk-table__cell">{escape(status)}</td>'
                    f'<td class="govuk-table__cell">{escape(reason)}</td></tr>\n  ')
            out.append("\n  </tbody>\n</table>\n</div>\n")
        else:
            out.append('<p class="govuk-body">No related SRs.</p>')
        out.append('\n<h3 class="govuk-heading-s">Child SRs</h3>\n<p class="govuk-body">No child SRs.</p>')
        return "".join(out)

    def _timeline(self, events: Rows, route: str, region: str) -> str:
        sr = SimpleNamespace(route=route, client=SimpleNamespace(region=region))
        out = []
        for e in events:
            event = SimpleNamespace(verb=e["verb"], from_state=e["from_state"], to_state=e["to_state"],
                                    details=e["details"])
            if e["verb"] == "letter_issued":
                raise OutsideTheBenchCase("the bench's timeline has no letter events")
            by = (_name(e["actor__first_name"], e["actor__last_name"], e["actor__username"]) if e["actor_id"]
                  else "the system")
            change = event_change(event, sr)
            details = event_details(event)
            description = f'<p class="govuk-body-s">{escape(change)}</p>' if change else ""
            description += "\n      "
            if details:
                description += ('\n        <ul class="govuk-list govuk-body-s">'
                                + "".join(f"<li>{escape(label) + ': ' if label else ''}{escape(text)}</li>"
                                          for label, text in details) + "</ul>\n      ")
            out.append(
                '\n  <div class="moj-timeline__item">\n    <div class="moj-timeline__header">\n'
                f'      <h3 class="moj-timeline__title">{escape(event_title(event, sr))}</h3>\n'
                f'      <p class="moj-timeline__byline">by {escape(by)}</p>\n    </div>\n'
                f'    <p class="moj-timeline__date">{_when(e["created_at"])}</p>\n'
                f'    <div class="moj-timeline__description">\n      {description}\n    </div>\n  </div>\n  '
            )
        return "".join(out)

    def _notes(self, notes: Rows) -> str:
        return "".join(
            '\n  <div class="moj-timeline__item">\n    <div class="moj-timeline__header"><h3 class="moj-timeline__title">'
            f'Note</h3><p class="moj-timeline__byline">by {escape(_name(n["actor__first_name"], n["actor__last_name"], n["actor__username"]))}'
            f'</p></div>\n    <p class="moj-timeline__date">{_when(n["created_at"])}</p>\n'
            f'    <div class="moj-timeline__description app-timeline-details">{escape(n["value2"])}</div>\n  </div>\n  '
            for n in notes
        )
