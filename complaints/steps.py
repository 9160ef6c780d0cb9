"""The step vocabulary: what a transition does besides changing state.

A route declares each transition's steps next to its label, form and who
may run it, so the declaration reads as the written procedure does:

    @transition(
        field="state", source=S.IN_PROGRESS, target=S.AWAITING_CLIENT_REPLY, permission=tp_work,
        custom=declare(
            label="No further action: send CMSL5800", form=CONFIRM, who="Owner", order=20,
            letter="CMSL5800",
            clocks=[StartClock(CLIENT_REPLY_RULE)],
            message="CMSL5800 issued; 7-day wait ends {due[review.client_reply]}.",
            help="…",
        ),
    )
    def no_further_action(self, *, actor: User, now: datetime, data: dict[str, Any]) -> None: ...

The steps are data. `complaints.pipeline` runs them inside the
transition's transaction, in the order its docstring gives; the apps that
own clocks, tasks, letters and e-mail (sla, letters) register the code that
carries each kind out. `describe_workflows` reads the same data to print
each route as the table a complaints manager checks against the procedure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .pipeline import StepContext


# --- where a date comes from ---------------------------------------------------


class DateSource(Protocol):
    def resolve(self, ctx: StepContext) -> date | None: ...

    def describe(self) -> str: ...


@dataclass(frozen=True)
class Received:
    """The date the SR was received (the complaint reached the team)."""

    def resolve(self, ctx: StepContext) -> date:
        return ctx.sr.received_on

    def describe(self) -> str:
        return "the date received"


@dataclass(frozen=True)
class Today:
    def resolve(self, ctx: StepContext) -> date:
        return ctx.today

    def describe(self) -> str:
        return "the day of the step"


@dataclass(frozen=True)
class FormDate:
    """A date the caseworker entered on the step's form (e.g. the date ICE's
    document arrived, or the reply date ICE set)."""

    field: str
    label: str = ""

    def resolve(self, ctx: StepContext) -> date | None:
        value = ctx.data.get(self.field)
        return value if isinstance(value, date) else None

    def describe(self) -> str:
        return self.label or f"the {self.field.replace('_', ' ')} given on the form"


@dataclass(frozen=True)
class EventDate:
    """The day an earlier step happened (the latest event of that kind), or
    today if it never did: e.g. the acknowledgement counts from allocation."""

    verb: str
    label: str = ""

    def resolve(self, ctx: StepContext) -> date:
        return ctx.event_date(self.verb) or ctx.today

    def describe(self) -> str:
        return self.label or f"the day of “{self.verb.replace('_', ' ')}”"


@dataclass(frozen=True)
class ClockDue:
    """The due date of a clock running on the SR (for a task's due date)."""

    rule: str

    def resolve(self, ctx: StepContext) -> date | None:
        return ctx.due.get(self.rule)

    def describe(self) -> str:
        return f"when the {self.rule} deadline is due"


@dataclass(frozen=True)
class FixedDate:
    """A date known when the step is built (a plan action's due date)."""

    day: date

    def resolve(self, ctx: StepContext) -> date:
        return self.day

    def describe(self) -> str:
        return f"{self.day:%-d %b %Y}"


RECEIVED = Received()
TODAY = Today()


# --- the steps -----------------------------------------------------------------


@dataclass(frozen=True)
class StartClock:
    """Start a deadline clock of `rule` (returns the running one if there is
    one, unless the rule allows several — ICE's ad-hoc questions)."""

    rule: str
    start: DateSource = TODAY
    # A date set by ICE / PHSO (rules whose unit is "date set by ICE / PHSO").
    due: DateSource | None = None
    # A boolean form field: when true the rule's alternative length applies
    # (15 working days instead of 10 when ICE asked for a chronology).
    longer_if: str | None = None
    # A form field whose text names this clock (several may run at once).
    label_field: str | None = None


@dataclass(frozen=True)
class MeetClock:
    rule: str
    # A form field holding the id of the clock met, when several may run.
    which: str | None = None


@dataclass(frozen=True)
class CancelClock:
    rule: str


class Assignee(StrEnum):
    OWNER = "owner"  # the SR's owner (its team while unallocated)
    TEAM = "team"  # the SR's team


@dataclass(frozen=True)
class RoleAssignee:
    """Everyone in the SR's team who holds this role (e.g. the Head of
    Complaints Review)."""

    role: str

    def __str__(self) -> str:
        return self.role


@dataclass(frozen=True)
class RaiseTask:
    """A piece of work on My work. `name` identifies the kind of task: at
    most one open task of a name per SR, and CloseTask(name) closes it.
    `title` may use {reference}, {client} and {owner}."""

    name: str
    title: str
    assignee: Assignee | RoleAssignee = Assignee.OWNER
    due: DateSource | None = None
    # Several tasks of one name on an SR (one per plan action): each its key.
    key: str = ""


@dataclass(frozen=True)
class CloseTask:
    """Close the SR's open tasks of this name (or the one with this key)."""

    name: str
    key: str = ""


@dataclass(frozen=True)
class Record:
    """Copy these form fields onto the SR (or the route's details row, for
    fields only that route has), under the same names."""

    fields: tuple[str, ...]


@dataclass(frozen=True)
class RaiseSR:
    """Raise a new SR for the same client and complaint and link it to this
    one both ways, with nothing retyped.

    - `route`: a route, or a function of (sr, data) choosing one;
    - `team_field`: the form field naming its team (else the first team of
      that route by name);
    - `copy`: the SR fields carried over;
    - `steps`: run on the new SR when it is raised (e.g. start its clock);
    - `on_close`: run on the new SR when it closes, however it closes
      (withdrawal included), before its running clocks stop (e.g. meet the
      clock `steps` started);
    - `origin_on_close`: run on *this* SR at that moment (e.g. close its
      "notify ICE of complaint closure" task, e-mail ICE)."""

    route: str | Callable[[Any, dict[str, Any]], str]
    reason: str
    team_field: str | None = None
    copy: tuple[str, ...] = ("details", "addressee", "root_cause", "resources", "parliamentary_contact",
                             "confidential", "dg_caselist")
    steps: tuple[Step, ...] = ()
    on_close: tuple[Step, ...] = ()
    origin_on_close: tuple[Step, ...] = ()
    describe_route: str = ""  # for the workflow table when `route` is a function


@dataclass(frozen=True)
class SendEmail:
    """An e-mail to a named mailbox (settings.CASEWORK_MAILBOXES), sent from
    the outbox after commit and shown on the timeline. Subject and body may
    use {reference}, {client}, {owner}, {resolution_code}, {raised}, {origin}
    and the form's fields."""

    to: str
    subject: str
    body: str
    # --- PHSO / NI Ombudsman (issue 13) ---
    # The mailbox for Northern Ireland clients' SRs, when it differs (the NI
    # Ombudsman instead of PHSO).
    ni_to: str = ""


# --- linking SRs that already exist (ICE gateway, seed 000 step 4) --------------


@dataclass(frozen=True)
class LinkSRs:
    """Link the SRs a form field names (a list the caseworker ticked) to
    this one, both ways; an SR already linked is left as it is."""

    field: str
    reason: str


class PlanOp(StrEnum):
    """What a step does to the SR's resolution plan (complaints.plans)."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    REFER = "refer"
    CLIENT_AGREED = "client_agreed"
    CLIENT_DISAGREED = "client_disagreed"
    # The client disagreed and the plan goes straight back to be revised
    # (no team leader's decision in between): it is final no more.
    CLIENT_DISAGREED_REVISE = "client_disagreed_revise"
    GO_AHEAD = "go_ahead"
    REVISE = "revise"


Step = StartClock | MeetClock | CancelClock | RaiseTask | CloseTask | Record | RaiseSR | SendEmail | LinkSRs


# A hand-written effect: for what the vocabulary cannot say. It returns a
# sentence for the banner, or "".
Effect = Callable[["StepContext"], str]


@dataclass(frozen=True)
class Declaration:
    """Everything a transition does, as data."""

    # Form field names, or (SR field, form field) pairs.
    record: tuple[str | tuple[str, str], ...] = ()
    plan: PlanOp | None = None
    clocks: tuple[StartClock | MeetClock | CancelClock, ...] = ()
    tasks: tuple[RaiseTask | CloseTask, ...] = ()
    raise_sr: RaiseSR | None = None
    letter: str | None = None
    emails: tuple[SendEmail, ...] = ()
    effect: Effect | None = None
    message: str = ""
    links: tuple[LinkSRs, ...] = ()

    @property
    def starts(self) -> list[StartClock]:
        return [c for c in self.clocks if isinstance(c, StartClock)]

    @property
    def meets(self) -> list[MeetClock]:
        return [c for c in self.clocks if isinstance(c, MeetClock)]

    @property
    def cancels(self) -> list[CancelClock]:
        return [c for c in self.clocks if isinstance(c, CancelClock)]

    @property
    def raises(self) -> list[RaiseTask]:
        return [t for t in self.tasks if isinstance(t, RaiseTask)]

    @property
    def closes(self) -> list[CloseTask]:
        return [t for t in self.tasks if isinstance(t, CloseTask)]


NO_STEPS = Declaration()


def declare(
    *, label: str, form: str, who: str, order: int = 50, help: str = "", letter: str | None = None,
    record: Sequence[str | tuple[str, str]] = (), plan: PlanOp | None = None,
    clocks: Sequence[StartClock | MeetClock | CancelClock] = (), tasks: Sequence[RaiseTask | CloseTask] = (),
    raise_sr: RaiseSR | None = None, emails: Sequence[SendEmail] = (), effect: Effect | None = None,
    message: str = "", hidden: bool = False, links: Sequence[LinkSRs] = (),
) -> dict[str, Any]:
    """The `custom` dict of a @transition: the label, form and help the pages
    show, and the steps (`custom["steps"]`) the pipeline runs."""
    return {
        "label": label, "form": form, "who": who, "order": order, "help": help, "letter": letter,
        "hidden": hidden,
        "steps": Declaration(record=tuple(record), plan=plan, clocks=tuple(clocks), tasks=tuple(tasks),
                             raise_sr=raise_sr, letter=letter, emails=tuple(emails), effect=effect,
                             message=message, links=tuple(links)),
    }


def declaration_of(custom: dict[str, Any]) -> Declaration:
    steps = custom.get("steps")
    return steps if isinstance(steps, Declaration) else NO_STEPS


@dataclass(frozen=True)
class PlanUse:
    """A route switches resolution plans on for named states: where the plan
    may be edited, and where its agreed actions are carried out (each action
    a task for the owner while the SR is in one of those states)."""

    edit_states: tuple[str, ...] = ()
    action_states: tuple[str, ...] = ()
    # The states in which the SR waits for a decision on its plan (the
    # Approvals page lists them).
    waiting_states: tuple[str, ...] = ()
    senior_state: str = ""  # referred to a higher grade
    # A team leader rejected the plan (Sub Status Rejected): it is revised
    # there, or sent again as it is.
    rejected_state: str = ""


@dataclass(frozen=True)
class CreateSteps:
    """What happens when an SR of the route is recorded."""

    clocks: tuple[StartClock, ...] = ()
    tasks: tuple[RaiseTask, ...] = ()
    owner_is_creator: bool = False  # the person who logs it answers it (no allocation step)
