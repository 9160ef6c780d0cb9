"""The route registry: which proxy model runs each route's state machine,
and the (Status, Sub Status, Stage) labels of every state.

Labels are derived from the state, never stored, so the three fields the
old system had people type can never disagree."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django_fsm import FSMFieldMixin, Transition

from accounts.models import Region, RouteChoices

from .steps import CreateSteps, PlanUse

if TYPE_CHECKING:
    from .models import ServiceRequest

CLOSED = "closed"


@dataclass(frozen=True)
class Labels:
    status: str
    sub_status: str
    stage: str


@dataclass(frozen=True)
class RouteSpec:
    route: str
    proxy: type["ServiceRequest"]
    labels: Mapping[Any, Labels]  # keyed by the route's state choices
    # What recording an SR of the route does (e.g. start the ICE gateway
    # clock when ICE's e-mail is logged), inside create_service_request's
    # transaction.
    on_create: CreateSteps = field(default_factory=CreateSteps)
    initial_state: str = "pending_assignment"
    # Resolution plans, switched on for named states; None: no plans.
    plans: PlanUse | None = None
    # The route's own fields: a model with a one-to-one `sr` to the SR,
    # which Record steps write to for fields the SR does not have.
    details: type[models.Model] | None = None
    # The procedure the route follows, and each state's own name (several
    # states may share their three labels), for the generated workflow page.
    title: str = ""
    names: Mapping[str, str] = field(default_factory=dict)
    # The labels Northern Ireland clients' SRs show where they differ (the
    # NI Ombudsman for PHSO, NICMS for CMG).
    ni_labels: Mapping[Any, Labels] = field(default_factory=dict)
    # An external body's route (ICE, PHSO): its name, and the states in
    # which the SR waits with it (working days with the body are counted
    # over these, and the external bodies' queue shows its stage).
    external_body: str = ""
    with_body_states: tuple[str, ...] = ()
    # --- PHSO / NI Ombudsman (issue 13) ---
    # The external body's name for Northern Ireland clients' SRs ("the NI
    # Ombudsman"), for e-mails and banners ({ombudsman}).
    ni_external_body: str = ""
    # The route's own name for Northern Ireland clients' SRs, on pages,
    # lists and CSVs ("NI Ombudsman" for PHSO).
    ni_name: str = ""
    # The states in which a drafted response waits for the Head of
    # Complaints Review's sign-off (the Approvals page lists them).
    sign_off_states: tuple[str, ...] = ()

    @property
    def states(self) -> list[str]:
        return list(self.labels)


REGISTRY: dict[str, RouteSpec] = {}
UNKNOWN = Labels("Unknown", "", "")


def register(spec: RouteSpec) -> RouteSpec:
    REGISTRY[spec.route] = spec
    return spec


def spec_for(route: str) -> RouteSpec:
    return REGISTRY[route]


def labels_for(route: str, state: str, region: str = "") -> Labels:
    spec = REGISTRY.get(route)
    if spec is None:
        return UNKNOWN
    if region == Region.NORTHERN_IRELAND and state in spec.ni_labels:
        return spec.ni_labels[state]
    return spec.labels.get(state, UNKNOWN)


@cache  # a handful of routes and regions; every row of every SR list asks
def route_name(route: str, region: str) -> str:
    """The route as the SR's client's region names it."""
    spec = REGISTRY.get(route)
    if spec is not None and spec.ni_name and region == Region.NORTHERN_IRELAND:
        return spec.ni_name
    return str(dict(RouteChoices.choices).get(route, route))


def as_route(sr: "ServiceRequest") -> "ServiceRequest":
    """The same row as an instance of its route's proxy model, so its
    transitions are available. Changes the instance's class in place, as
    django-fsm does for state proxies."""
    spec = REGISTRY.get(sr.route)
    if spec is not None and not isinstance(sr, spec.proxy):
        sr.__class__ = spec.proxy
    return sr



def route_transitions(spec: RouteSpec) -> list[Transition]:
    """Every transition declared on the route's proxy model, whatever the state."""
    state = cast(FSMFieldMixin, spec.proxy._meta.get_field("state"))
    return list(state.get_all_transitions(spec.proxy))
