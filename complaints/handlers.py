"""The steps the core carries out itself: recording form fields, raising a
linked SR (and what happens when it closes), and granting a confidential
SR's new owner access. Registered with the pipeline at start-up."""

from django.core.exceptions import ImproperlyConfigured

from accounts.models import Team

from .models import ServiceRequest, SRLink
from .pipeline import (
    StepContext,
    after_transition,
    closed_follow_up,
    handles,
    handles_raise_sr,
    handles_record,
    run_step,
)
from .routes import REGISTRY, as_route, route_transitions, spec_for
from .services.audit import record_event
from .services.cases import create_service_request, grant_owner_access, link_if_unlinked
from .services.errors import ServiceError
from .steps import LinkSRs, RaiseSR, declaration_of

_SR_FIELDS = frozenset(f.name for f in ServiceRequest._meta.concrete_fields)


@handles_record
def record(fields: tuple[str | tuple[str, str], ...], ctx: StepContext) -> list[str]:
    """Copy form fields onto the SR, or onto the route's details row for
    fields only that route has. Returns the SR fields changed."""
    changed: list[str] = []
    details = None
    for entry in fields:
        target, source = (entry, entry) if isinstance(entry, str) else entry
        if source not in ctx.data:
            # A field the form does not have (a step run by a service or the
            # demo data with less than the page asks for) is left as it is.
            continue
        value = ctx.data[source]
        if target in _SR_FIELDS:
            setattr(ctx.sr, target, value)
            changed.append(target)
            continue
        if details is None:
            model = spec_for(ctx.sr.route).details
            if model is None:
                raise ImproperlyConfigured(f"The {ctx.sr.route} route records {target!r} but has no details model.")
            details = model._default_manager.get_or_create(sr=ctx.sr)[0]
        setattr(details, target, value)
    if details is not None:
        details.save()
    return changed


def _team_for(step: RaiseSR, route: str, ctx: StepContext) -> Team:
    if step.team_field:
        team = ctx.data.get(step.team_field)
        if isinstance(team, Team) and team.route == route:
            return team
        raise ServiceError("Choose the team that will work the new SR.")
    team = Team.objects.filter(route=route).order_by("name").first()
    if team is None:
        raise ServiceError(f"There is no {route} team to raise the SR with.")
    return team


@handles_raise_sr
def raise_sr(step: RaiseSR, ctx: StepContext) -> ServiceRequest:
    """A new SR for the same client and complaint, linked both ways, with
    nothing retyped; then its own declared steps."""
    origin = ctx.sr
    route = step.route(origin, ctx.data) if callable(step.route) else step.route
    team = _team_for(step, route, ctx)
    copied = {name: getattr(origin, name) for name in step.copy}
    raised = create_service_request(
        actor=ctx.actor, client=origin.client, route=route, team=team, received_on=ctx.today,
        referrer=origin.route if origin.route in ("ice", "phso") else origin.referrer, **copied,
        related_sr=origin, related_reason=step.reason, raised_by=f"{origin.route}:{ctx.transition}",
    )
    inner = ctx.for_sr(raised)
    for sub in step.steps:
        run_step(sub, inner)
    return raised


def _raise_declaration(link: SRLink) -> RaiseSR | None:
    route, _, name = link.raised_by.partition(":")
    spec = REGISTRY.get(route)
    if spec is None:
        return None
    for t in route_transitions(spec):
        if t.name == name:
            return declaration_of(t.custom).raise_sr
    return None


@closed_follow_up
def raised_sr_closed(ctx: StepContext, phase: str) -> None:
    """An SR raised by another one's step closed: run what that step
    declared for this moment, on this SR ("self") and on the SR that raised
    it ("origin")."""
    links = SRLink.objects.filter(to_sr=ctx.sr).exclude(raised_by="").select_related("from_sr")
    for link in links:
        step = _raise_declaration(link)
        if step is None:
            continue
        if phase == "self":
            for sub in step.on_close:
                run_step(sub, ctx)
        else:
            origin = as_route(link.from_sr)
            inner = ctx.for_sr(origin)
            inner.values.update(origin=ctx.sr.reference, raised=ctx.sr.reference,
                                resolution_code=ctx.sr.get_resolution_code_display())
            for sub in step.origin_on_close:
                run_step(sub, inner)
            record_event(sr=origin, actor=ctx.actor, verb="raised_sr_closed", now=ctx.now,
                         other=ctx.sr.reference, resolution_code=ctx.sr.get_resolution_code_display())


@handles(LinkSRs)
def link_srs(step: LinkSRs, ctx: StepContext) -> None:
    """The SRs the caseworker ticked, linked to this one both ways."""
    for other in ctx.data.get(step.field) or ():
        if isinstance(other, ServiceRequest):
            link_if_unlinked(actor=ctx.actor, sr=ctx.sr, other=other, reason=step.reason, now=ctx.now)


@after_transition
def confidential_owner_access(ctx: StepContext) -> None:
    """Whoever a confidential SR is allocated to must be able to open it."""
    sr = ctx.sr
    if sr.confidential and sr.owner_id and sr.owner_id != ctx.owner_before:
        grant_owner_access(sr=sr, actor=ctx.actor, now=ctx.now)
