"""Hostile input to every form and filter: no server error, nothing saved.

A world of SRs is built once through the real services, with an SR in a
state where each transition of each route can be taken. Then every POST
endpoint — new SR, notes, related SRs, every transition form of every route
(with its letter), the plan pages, Send a letter and its preview, extending
a deadline, allocation from the Team queue, sign-in — and every GET filter
gets hostile values in every field it has: NUL characters, huge and negative
numbers, Unicode digits ('²', '٣'), 20,000-character strings, impossible
dates.

Two levels, so that CI stays quick: each endpoint's forms are validated
in-process with every hostile value in every field (explicit examples) and
more random ones; each endpoint is then posted through the whole stack with
a few examples. A response must be below 500, a form must refuse, and the
SR, note, event, plan, letter and deadline tables must hold exactly what
they held before.

The fields come from the forms themselves, so a field added later is fuzzed
too; a transition added to a route without an SR in this world that can
take it fails the coverage check (add one to `build_world`). Deterministic:
derandomized, fixed numbers of examples, no deadline.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django import forms
from django.db.models import Sum
from django.test import RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.forms import SignInForm
from accounts.models import Grade
from accounts.roles import Role
from complaints.fields import GovukDateField
from complaints.models import (
    CaseEvent,
    Note,
    PlanAction,
    PlanReason,
    Referrer,
    ResolutionPlan,
    ServiceRequest,
)
from complaints.plans.services import current_plan, plan_mark_action_done
from complaints.routes import REGISTRY, as_route
from complaints.services.transitions import all_transitions, available_transitions
from complaints.views.cases import _form_class
from letters.forms import LetterCompositionForm
from letters.models import IssuedLetter
from letters.selectors import templates_for
from sla.models import DeadlineClock
from tests.factories import TeamFactory, UserFactory
from tests.phso import test_matrix as phso_matrix
from tests.review.helpers import MON_2_NOV_2026, add_plan, closed_resolution_sr, go, new_review, reload

from .helpers import new_sr

pytestmark = pytest.mark.django_db

FORM_EXAMPLES = 15  # random ones, on top of the explicit ones, per endpoint's forms
HTTP_EXAMPLES = 2  # random ones, on top of two explicit ones, per endpoint through the whole stack

# --- hostile values ---------------------------------------------------------------

HUGE = "99999999999999999999"
ANYTHING = [
    HUGE, "٣", "²", "-5", "\x00", "1\x00", f"-{HUGE}", "١٢٣", "-0.01", "1e308", "NaN", "Infinity", "0",
    "x" * 20_000, "9" * 20_000, "", " ", "<script>alert(1)</script>", "' OR 1=1 --", "\u202e", "0x1F", "1_000",
]
# Text a field can never take: a NUL character, or longer than any text
# field's limit (every free-text field has one).
IMPOSSIBLE_TEXT = ["x" * 20_000, "\x00", "note\x00", "²" * 20_000, "٣" * 20_000, "-5" * 10_000, HUGE * 1_000]
DATE_PARTS = [HUGE, "٣", "²", "-1", "0", "32", "13", "", "0000", "99999", "1999", "2076", "\x00", "x" * 20_000]
IMPOSSIBLE_DATES = [("31", "2", "2026"), ("29", "2", "2027"), ("31", "4", "2026"), ("1", "13", "2026"),
                    ("0", "1", "2026"), ("1", "1", "0000"), ("1", "1", "1999"), ("1", "1", "2076")]

anything = st.sampled_from(ANYTHING)
impossible_text = st.sampled_from(IMPOSSIBLE_TEXT)


def _one_bad_part(position_and_value: tuple[int, str]) -> tuple[str, ...]:
    """A plausible date with one hostile part, so the check of each part is
    reached (a hostile month stops nothing before the day is read)."""
    position, value = position_and_value
    parts = ["1", "1", "2026"]
    parts[position] = value
    return tuple(parts)


def _date(key: str, dmy: tuple[str, ...]) -> dict[str, str]:
    return {f"{key}_day": dmy[0], f"{key}_month": dmy[1], f"{key}_year": dmy[2]}


@dataclass(frozen=True)
class Fields:
    """The fields of an endpoint, by the hostile values each kind takes."""

    dates: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    others: tuple[str, ...] = ()  # numbers, choices, rows by id, checkboxes, the hidden version
    fixed: tuple[tuple[str, object], ...] = ()

    def __add__(self, more: "Fields") -> "Fields":
        return Fields(self.dates + more.dates, self.texts + more.texts, self.others + more.others,
                      self.fixed + more.fixed)

    def strategy(self) -> st.SearchStrategy[dict]:
        dated = st.one_of(st.tuples(st.integers(0, 2), st.sampled_from(DATE_PARTS)).map(_one_bad_part),
                          st.sampled_from(IMPOSSIBLE_DATES), st.tuples(*(st.sampled_from(DATE_PARTS),) * 3))
        parts = ([dated.map(lambda dmy, k=k: _date(k, dmy)) for k in self.dates]
                 + [impossible_text.map(lambda v, k=k: {k: v}) for k in self.texts]
                 + [anything.map(lambda v, k=k: {k: v}) for k in self.others])
        return st.tuples(*parts).map(lambda dicts: {**{k: v for d in dicts for k, v in d.items()},
                                                    **dict(self.fixed)})

    def explicit(self) -> list[dict]:
        """Each hostile value in every field at once, and each hostile date
        part in each position: the cases a few random examples may miss."""
        out = []
        for i, value in enumerate(ANYTHING + DATE_PARTS):
            data: dict[str, object] = {k: value for k in self.others}
            data.update({k: IMPOSSIBLE_TEXT[i % len(IMPOSSIBLE_TEXT)] for k in self.texts})
            for k in self.dates:
                data.update(_date(k, _one_bad_part((i % 3, value))))
            out.append({**data, **dict(self.fixed)})
        for position in range(3 if self.dates else 0):
            for value in DATE_PARTS:
                out.append({**{k: v for key in self.dates for k, v in _date(key, _one_bad_part((position, value))).items()},
                            **{k: "" for k in self.others + self.texts}, **dict(self.fixed)})
        for dmy in IMPOSSIBLE_DATES if self.dates else ():
            out.append({**{k: v for key in self.dates for k, v in _date(key, dmy).items()}, **dict(self.fixed)})
        return out


def fields_of(*forms_: forms.BaseForm) -> Fields:
    dates, texts, others = [], [], []
    for form in forms_:
        for name, form_field in form.fields.items():
            key = form.add_prefix(name)
            if isinstance(form_field, GovukDateField):
                dates.append(key)
            elif isinstance(form_field, forms.CharField) and not isinstance(form_field.widget, forms.HiddenInput):
                assert form_field.max_length, f"{type(form).__name__}.{name} takes text of any length"
                texts.append(key)
            else:
                others.append(key)
    return Fields(tuple(dates), tuple(texts), tuple(others))


def keys(*names: str, **fixed: object) -> Fields:
    return Fields(others=names, fixed=tuple(fixed.items()))


# --- the world ------------------------------------------------------------------------

Bind = Callable[[dict], list[forms.BaseForm]]


@dataclass
class Endpoint:
    name: str
    user: object
    url: str
    fields: Fields
    bind: Bind | None = None  # the endpoint's forms bound to posted data, to check in-process
    method: str = "post"


@dataclass
class World:
    caseworker: object
    team_leader: object
    srs: list[tuple[ServiceRequest, list]] = field(default_factory=list)  # SR and who may act on it
    extra: dict[str, object] = field(default_factory=dict)


def build_world(caseworker: Any, team_leader: Any, senior_leader: Any, resolution_team: Any, review_team: Any, other_team: Any,
                client_person: Any) -> World:
    world = World(caseworker=caseworker, team_leader=team_leader)
    cw, tl = caseworker, team_leader
    g7 = Grade.objects.get(code="G7")
    senior = [cw, tl, senior_leader]

    def resolution(*steps: str, redress: str | None = None) -> ServiceRequest:
        sr = go(new_sr(actor=cw, team=resolution_team, client=client_person, received_on=date(2026, 10, 26)),
                tl, "allocate", owner=cw)
        for step in steps:
            if step == "plan":
                add_plan(sr, cw, redress=redress)
            elif step == "done":
                for action in current_plan(sr).actions.all():
                    plan_mark_action_done(sr=sr, actor=cw, action_id=action.pk)
            elif step == "refer_plan":
                sr = go(sr, tl, step, grade=g7, form_sent=True, comments="Over my limit.")
            else:
                sr = go(sr, cw, step)
        return reload(sr)

    def review(*steps: str, related: bool = True, redress: str | None = None) -> ServiceRequest:
        earlier = closed_resolution_sr(team=resolution_team, client=client_person, closed_on=date(2026, 9, 15)) \
            if related else None
        sr = go(new_review(actor=cw, team=review_team, client=client_person, related=earlier), tl, "allocate",
                owner=cw)
        for step in steps:
            if step == "plan":
                add_plan(sr, cw, redress=redress)
            elif step == "done":
                for action in current_plan(sr).actions.all():
                    plan_mark_action_done(sr=sr, actor=cw, action_id=action.pk)
            elif step == "client_disagrees":
                sr = go(sr, cw, step, note="The client wants more.")
            else:
                sr = go(sr, cw, step)
        return reload(sr)

    srs: list[tuple[ServiceRequest, list]] = [
        (new_sr(actor=cw, team=resolution_team, client=client_person, received_on=date(2026, 10, 26)), [tl]),
        (resolution(), [cw, tl]),
        (resolution("start_plan", "plan"), [cw, tl]),
        (resolution("start_plan", "plan", redress="150.00"), [cw]),
        (resolution("start_plan", "plan", "submit_for_approval", redress="150.00"), [tl]),
        (resolution("start_plan", "plan", "submit_for_approval", redress="4000.00"), [tl]),
        (resolution("start_plan", "plan", "submit_for_approval", "refer_plan", redress="4000.00"), senior),
        (resolution("start_plan", "plan", "submit_plan"), [cw]),
        (resolution("start_plan", "plan", "submit_plan", "client_agrees", "done"), [cw]),
        (new_review(actor=cw, team=review_team, client=client_person,
                    related=closed_resolution_sr(team=resolution_team, client=client_person,
                                                 closed_on=date(2026, 9, 15))), [tl]),
        (review(), [cw, tl]),
        (review(related=False), [cw, tl]),
        (review("no_further_action"), [cw]),
        (review("start_plan", "plan", redress="150.00"), [cw]),
        (review("start_plan", "plan"), [cw]),
        (review("start_plan", "plan", "submit_for_approval", redress="150.00"), [tl]),
        (review("start_plan", "plan", "submit_for_approval", redress="4000.00"), [tl]),
        (review("start_plan", "plan", "send_plan_to_client"), [cw]),
        (review("start_plan", "plan", "send_plan_to_client", "client_disagrees"), [tl]),
        (review("start_plan", "plan", "send_plan_to_client", "client_agrees", "done"), [cw]),
        (review("start_plan", "plan", "send_plan_to_client", "client_agrees", "done", "send_closure_letter"), [cw]),
    ]
    # The undertaking resolution SR with its actions still open: for the plan's action pages.
    doing = resolution("start_plan", "plan", "submit_plan", "client_agrees")
    srs.append((doing, [cw]))

    # ICE and PHSO, with their own teams.
    ice_cw = UserFactory(username="ian", first_name="Ian", last_name="Murray", roles=[Role.CASEWORKER],
                         teams=[other_team])
    ice_tl = UserFactory(username="tess", first_name="Tess", last_name="Walker", roles=[Role.TEAM_LEADER],
                         teams=[other_team])
    ice_tl.grade = Grade.objects.get(code="HEO")
    ice_tl.save(update_fields=["grade"])
    arrived = date(2026, 10, 30)
    ice_data = {
        "pass_gateway": {"ice_reference": "ICE-1", "client_gave_copy": True, "third_party_account": "ICE"},
        "fail_gateway": {"ice_reference": "ICE-2", "fig_received_on": arrived},
        "adhoc_question": {"question": "When was the payment recorded?", "received_on": arrived,
                           "reply_due_on": date(2026, 12, 18)},
        "actions_done": {"reply": "Every recommended action is done."},
    }

    def ice(*steps: str, redress: str | None = None) -> ServiceRequest:
        sr = new_sr(actor=ice_cw, team=other_team, client=client_person, route="ice", referrer=Referrer.ICE,
                    received_on=date(2026, 10, 26))
        for step in steps:
            if step == "allocate":
                sr = go(sr, ice_tl, step, owner=ice_cw)
            elif step == "plan":
                add_plan(sr, ice_cw, redress=redress)
            elif step == "done":
                for action in current_plan(sr).actions.all():
                    plan_mark_action_done(sr=sr, actor=ice_cw, action_id=action.pk)
            elif step.endswith(("_received", "_requested", "_referred")):
                sr = go(sr, ice_cw, step, received_on=arrived)
            else:
                sr = go(sr, ice_cw, step, **ice_data.get(step, {}))
        return reload(sr)

    implementing = ("allocate", "pass_gateway", "closure_letter_received", "plan")
    srs += [(ice(*steps, redress=redress), [ice_cw, ice_tl]) for steps, redress in (
        ((), None), (("allocate",), None), (("allocate", "pass_gateway"), None),
        (("allocate", "fail_gateway"), None),
        (("allocate", "pass_gateway", "resolution_plan_received", "adhoc_question"), None),
        (("allocate", "pass_gateway", "roe_requested"), None),
        (("allocate", "pass_gateway", "draft_report_received"), None),
        (implementing, "150.00"), (implementing + ("submit_for_approval",), "150.00"),
        (implementing + ("submit_for_approval",), "4000.00"),
        (implementing + ("done",), None), (implementing + ("done", "actions_done"), None),
    )]
    phso_team = TeamFactory(name="Internal PHSO team", route="phso")
    pat = UserFactory(username="pat", first_name="Pat", last_name="O'Neill", roles=[Role.CASEWORKER],
                      teams=[phso_team])
    phso_tl = UserFactory(username="paula", first_name="Paula", last_name="Lead", roles=[Role.TEAM_LEADER],
                          teams=[phso_team])
    phso_tl.grade = Grade.objects.get(code="HEO")
    phso_tl.save(update_fields=["grade"])
    phso_senior = UserFactory(username="gina", first_name="Gina", last_name="Senior", roles=[Role.TEAM_LEADER],
                              teams=[phso_team])
    phso_senior.grade = g7
    phso_senior.save(update_fields=["grade"])
    hcr = UserFactory(username="hugh", first_name="Hugh", last_name="Head", roles=[Role.HEAD_OF_COMPLAINTS_REVIEW],
                      teams=[phso_team])
    first = new_sr(actor=pat, team=phso_team, client=client_person, route="phso", referrer=Referrer.PHSO,
                   received_on=date(2026, 10, 26))
    sent = go(new_sr(actor=pat, team=phso_team, client=client_person, route="phso", referrer=Referrer.PHSO,
                     received_on=date(2026, 10, 26)), pat, "information_sent", parliamentary_contact="A. Member MP",
              referred_by_member=True)
    srs += [(reload(first), [pat, phso_tl]), (reload(sent), [pat])]
    # Every other state and situation of the PHSO route, as its matrix test
    # makes them (the flows through the services are tested there).
    phso_users = {"owner": pat, "colleague": pat, "tl": phso_tl, "senior": phso_senior, "hcr": hcr,
                  "manager": phso_senior, "outsider": pat}
    for state, situation in phso_matrix.MATRIX:
        sr = phso_matrix.make_sr(state, situation, team=phso_team, client=client_person, users=phso_users)
        srs.append((reload(sr), [pat, phso_tl, phso_senior, hcr]))
    world.srs = srs
    world.extra.update(drafting=srs[2][0], doing=doing, in_progress=srs[1][0])
    return world


def transition_endpoints(world: World) -> tuple[list[Endpoint], set[tuple[str, str]]]:
    """One endpoint per (route, transition), with an SR that can take it."""
    endpoints, seen = [], set()
    for sr, users in world.srs:
        sr = reload(sr)
        for user in users:
            for t in available_transitions(sr, user):
                if (sr.route, t.name) in seen:
                    continue
                seen.add((sr.route, t.name))
                form_class = _form_class(t.custom.get("form", "complaints.forms.ConfirmForm"))
                letter = t.custom.get("letter")

                def bind(data: dict, form_class=form_class, sr=sr, user=user, letter=letter) -> list[forms.BaseForm]:
                    bound: list[forms.BaseForm] = [form_class(data, sr=sr, user=user)]
                    if letter:
                        bound.append(LetterCompositionForm(data, template_code=letter, sr=sr, prefix="letter"))
                    return bound

                blank = bind({})
                endpoints.append(Endpoint(f"{sr.route} {t.name}", user,
                                          reverse("sr-transition", args=[sr.reference, t.name]),
                                          fields_of(*blank), bind))
    return endpoints, seen


def other_endpoints(world: World) -> list[Endpoint]:
    from complaints.forms import IntakeForm, LinkForm, NoteForm
    from complaints.plans.forms import ActionForm, ActionProgressForm, ChildSRForm, ReasonForm
    from letters.forms import ChooseTemplateForm
    from sla.forms import ExtendClockForm

    cw, tl = world.caseworker, world.team_leader
    sr, drafting, doing = world.extra["in_progress"], world.extra["drafting"], world.extra["doing"]
    plan, doing_plan = current_plan(drafting), current_plan(doing)
    reason, action = plan.reasons.first(), plan.actions.first()
    doing_action = doing_plan.actions.first()
    clock = DeadlineClock.objects.running().filter(sr=sr).first()
    templates = templates_for(sr)
    code = templates[0].code
    ref = sr.reference

    def letter(data: dict) -> list[forms.BaseForm]:
        return [LetterCompositionForm(data, template_code=code, sr=sr)]

    def one(make: Callable[[dict], forms.BaseForm]) -> Bind:
        return lambda data: [make(data)]

    def sign_in(data: dict) -> forms.BaseForm:
        # django-axes reads the request of every sign-in attempt.
        return SignInForm(RequestFactory().post(reverse("login"), REMOTE_ADDR="10.9.9.9"), data=data)

    def endpoint(name: str, user: object, url: str, bind: Bind, more: Fields = Fields()) -> Endpoint:
        return Endpoint(name, user, url, fields_of(*bind({})) + more, bind)

    return [
        endpoint("new SR", cw, reverse("sr-new"), one(lambda d: IntakeForm(d, user=cw))),
        endpoint("note", cw, reverse("sr-note-add", args=[ref]), one(NoteForm)),
        endpoint("related SR", cw, reverse("sr-link-add", args=[ref]), one(LinkForm)),
        endpoint("plan reason", cw, reverse("plan-reason-add", args=[drafting.reference]), one(ReasonForm)),
        endpoint("plan reason change", cw, reverse("plan-reason-edit", args=[drafting.reference, reason.pk]),
                 one(ReasonForm)),
        endpoint("plan action", cw, reverse("plan-action-add", args=[drafting.reference]),
                 one(lambda d: ActionForm(d, plan=plan))),
        endpoint("plan action change", cw, reverse("plan-action-edit", args=[drafting.reference, action.pk]),
                 one(lambda d: ActionForm(d, plan=plan, action=action))),
        endpoint("plan action progress", cw, reverse("plan-action-progress", args=[doing.reference, doing_action.pk]),
                 one(ActionProgressForm)),
        endpoint("plan action child SR", cw, reverse("plan-action-child", args=[doing.reference, doing_action.pk]),
                 one(lambda d: ChildSRForm(d, user=cw))),
        endpoint("send a letter: choose", cw, reverse("letters:send", args=[ref]),
                 one(lambda d: ChooseTemplateForm(d, templates=templates))),
        endpoint("send a letter: compose", cw, reverse("letters:send", args=[ref]), letter, keys(template=code)),
        endpoint("letter preview", cw, reverse("letters:preview", args=[ref]), letter,
                 keys("_letter_prefix", _letter_template=code)),
        endpoint("letter preview, any template", cw, reverse("letters:preview", args=[ref]), letter,
                 keys("_letter_template")),
        endpoint("extend a deadline", tl, reverse("sla:extend-clock", args=[clock.pk]),
                 one(lambda d: ExtendClockForm(d, current_due=clock.due_on))),
        Endpoint("allocate from the Team queue", tl, reverse("team-queue"), keys("srs", "owner")),
        endpoint("sign in", None, reverse("login"), one(sign_in)),
        # A hostile name with a password, so that it reaches authentication
        # (and the record of failed attempts).
        Endpoint("sign in, any username", None, reverse("login"),
                 Fields(texts=("username",), fixed=(("password", "not-the-password"),)),
                 one(sign_in)),
    ]


def filter_endpoints(world: World) -> list[Endpoint]:
    cw, tl = world.caseworker, world.team_leader
    listing = ("route", "status", "region", "sort", "page", "per_page")
    return [
        Endpoint("My work filters", cw, reverse("my-work"), keys(*listing), method="get"),
        Endpoint("Team queue filters", tl, reverse("team-queue"), keys(*listing), method="get"),
        Endpoint("Search", cw, reverse("search"), keys("q", "sort", "page", "per_page"), method="get"),
        Endpoint("Approvals", tl, reverse("approvals"), keys("sort", "page"), method="get"),
        Endpoint("Dashboard filters", tl, reverse("sla:dashboard"), keys("team", "route"), method="get"),
        Endpoint("Deadline list filters", tl, reverse("sla:clock-list"),
                 keys("team", "route", "rule", "bucket", "owner", "met_week", "sort", "page", "export"),
                 method="get"),
        Endpoint("DG caselist filters", tl, reverse("sla:dg-caselist"), keys(*listing, "export"), method="get"),
    ]


# --- the test -----------------------------------------------------------------------


def _saved() -> tuple:
    """What the tables that hold casework contain (and every SR's version,
    which any change through a service bumps)."""
    return (
        ServiceRequest.objects.count(), ServiceRequest.objects.aggregate(v=Sum("version"))["v"],
        Note.objects.count(), CaseEvent.objects.count(), ResolutionPlan.objects.count(), PlanReason.objects.count(),
        PlanAction.objects.count(), IssuedLetter.objects.count(), DeadlineClock.objects.count(),
        tuple(DeadlineClock.objects.order_by("pk").values_list("due_on", flat=True)),
    )


SETTINGS = dict(derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))


def _with_examples(test: Callable, examples: list[dict]) -> Callable:
    for data in examples:
        test = example(data=data)(test)
    return test


def _check_forms(endpoint: Endpoint) -> None:
    """Every hostile value in every field: the forms refuse, without an error."""
    if endpoint.bind is None:
        return
    bind = endpoint.bind

    @settings(max_examples=FORM_EXAMPLES, **SETTINGS)
    @given(data=endpoint.fields.strategy())
    def hostile(data: dict) -> None:
        bound = bind(data)
        assert not all(form.is_valid() for form in bound), f"{endpoint.name} accepted {data!r:.300}"

    _with_examples(hostile, endpoint.fields.explicit())()


def _check_http(client: Any, endpoint: Endpoint) -> None:
    """A few examples through the whole stack: below 500, nothing saved."""
    if endpoint.user is None:
        client.logout()
    else:
        client.force_login(endpoint.user)
    call: Callable = client.post if endpoint.method == "post" else client.get

    @settings(max_examples=HTTP_EXAMPLES, **SETTINGS)
    @given(data=endpoint.fields.strategy())
    def hostile(data: dict) -> None:
        before = _saved()
        response = call(endpoint.url, data)
        if response.streaming:
            b"".join(response.streaming_content)  # a CSV is produced as it is read
        assert response.status_code < 500, f"{endpoint.name}: {response.status_code}"
        assert _saved() == before, f"{endpoint.name} saved something from hostile input"

    _with_examples(hostile, endpoint.fields.explicit()[:2])()


@pytest.fixture
def world(caseworker, team_leader, senior_leader, resolution_team, review_team, other_team, client_person):
    with time_machine.travel(MON_2_NOV_2026, tick=False) as traveller:
        built = build_world(caseworker, team_leader, senior_leader, resolution_team, review_team, other_team,
                            client_person)
        # Three weeks on: the client's 7- and 14-day waits are over, so the
        # steps that wait for them can be taken too.
        traveller.shift(timedelta(days=21))
        yield built


def test_hostile_input_gives_no_server_error_and_saves_nothing(client, world):
    transitions, covered = transition_endpoints(world)
    every = {(route, name) for route in REGISTRY for name in all_transitions(as_route(ServiceRequest(route=route)))}
    assert every - covered == set(), "transitions no SR in build_world can take: " + ", ".join(
        f"{route} {name}" for route, name in sorted(every - covered))
    for endpoint in transitions + other_endpoints(world) + filter_endpoints(world):
        _check_forms(endpoint)
        _check_http(client, endpoint)


def test_the_check_sees_a_valid_submission_save(client, caseworker, team_leader, resolution_team, client_person):
    """The control: the same check notices when a form does save."""
    sr = go(new_sr(actor=caseworker, team=resolution_team, client=client_person), team_leader, "allocate",
            owner=caseworker)
    client.force_login(caseworker)
    before = _saved()
    response = client.post(reverse("sr-note-add", args=[sr.reference]), {"text": "Called the client."})
    assert response.status_code == 302
    assert _saved() != before
