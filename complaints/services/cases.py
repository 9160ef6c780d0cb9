"""Intake, notes, links and confidential access."""

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Team, User
from workdays.calendar import add_months

from ..models import Client, Note, Referrer, ServiceRequest, SRLink
from ..models.core import normalise_case_number
from ..permissions import can_add_note, can_override_eligibility, can_view
from ..pipeline import StepContext, run_create_steps
from ..routes import REGISTRY
from .audit import record_event
from .errors import NotPermitted, ServiceError
from .transitions import lock_service_request, touch

COMPLAINT_WINDOW_MONTHS = 14


@dataclass(frozen=True)
class Eligibility:
    ok: bool
    message: str = ""


def check_eligibility(*, route: str, client: Client, referrer: str, received_on: date) -> Eligibility:
    """The 14-month rule (DESIGN §4): a complaint is raised within 14 months
    of the child maintenance case closing; no limit when an MP/MLA, ICE or
    PHSO raises it."""
    if referrer in (Referrer.MP, Referrer.MLA, Referrer.ICE, Referrer.PHSO):
        return Eligibility(True)
    if client.case_closed_on is not None:
        limit = add_months(client.case_closed_on, COMPLAINT_WINDOW_MONTHS)
        if received_on > limit:
            return Eligibility(
                False,
                f"The client's case closed on {client.case_closed_on:%-d %B %Y}: a complaint had to be raised "
                f"by {limit:%-d %B %Y} (14 months). A team leader may accept it anyway and record why.",
            )
    return Eligibility(True)


@transaction.atomic
def create_client(
    *, name: str, address_line_1: str, town: str, postcode: str, region: str, case_number: str,
    address_line_2: str = "", language: str = "en", case_closed_on: date | None = None, phone: str = "",
) -> Client:
    """A new client record from what the user typed. A case number may have
    more than one record: intake treats a number whose client the user may
    not see as new (selectors.client_for_intake), and saying "already
    exists" would disclose it. An admin can merge such records."""
    if normalise_case_number(case_number) != case_number:
        raise ServiceError(f"{case_number[:40]} is not a child maintenance case number (10 to 12 digits).")
    return Client.objects.create(
        name=name.strip(), address_line_1=address_line_1.strip(), address_line_2=address_line_2.strip(),
        town=town.strip(), postcode=postcode.strip().upper(), region=region, language=language,
        case_number=case_number, case_closed_on=case_closed_on, phone=phone.strip(),
    )


CLIENT_LABELS = {"name": "name", "address_line_1": "address line 1", "address_line_2": "address line 2",
                 "town": "town", "postcode": "postcode", "region": "region", "case_closed_on": "case closed on"}


def _update_client(client: Client, values: dict[str, Any]) -> dict[str, str]:
    """Apply the typed values that differ; return "old → new" per field."""
    changed: dict[str, str] = {}
    for field, value in values.items():
        if value in (None, "") or field not in CLIENT_LABELS:
            continue
        if isinstance(value, str):
            value = value.strip().upper() if field == "postcode" else value.strip()
        old = getattr(client, field)
        if old != value:
            changed[field] = f"{old or '–'} → {value}"
            setattr(client, field, value)
    if changed:
        client.save(update_fields=list(changed))
    return changed


def _next_reference(sr: ServiceRequest) -> str:
    return f"SR-{sr.received_on.year}-{sr.pk:06d}"


@transaction.atomic
def create_service_request(
    *, actor: User, client: Client, route: str, team: Team, received_on: date, referrer: str,
    parliamentary_contact: str = "", dg_caselist: bool = False, confidential: bool = False,
    addressee: str = "", root_cause: str = "", resources: str = "", details: str = "",
    override_reason: str = "", related_sr: ServiceRequest | None = None, related_reason: str = "",
    parent: ServiceRequest | None = None, raised_by: str = "", client_update: dict[str, Any] | None = None,
) -> ServiceRequest:
    """Record a new SR (intake, a child SR for a plan action, or an SR a step
    raises): its first audit event, its link to a related SR, and what the
    route does when an SR is recorded (clocks, tasks), in one transaction.

    `client_update`: new values for the (held) client's fields that the
    user chose at intake over the details we held; applied here, in the
    same transaction, and written on the new SR's timeline."""
    now = timezone.now()
    changed = _update_client(client, client_update or {})
    if received_on > timezone.localdate(now):
        raise ServiceError("The date received cannot be in the future.")
    if team.route != route:
        raise ServiceError(f"{team} works the {team.get_route_display()} route, not this one.")
    eligibility = check_eligibility(route=route, client=client, referrer=referrer, received_on=received_on)
    override_reason = override_reason.strip()
    if not eligibility.ok:
        if not override_reason:
            raise ServiceError(eligibility.message)
        if not can_override_eligibility(actor):
            raise NotPermitted("Only a team leader can accept a complaint outside its time limit.")
    spec = REGISTRY.get(route)
    if spec is None:
        raise ServiceError(f"Unknown route {route!r}.")
    sr = ServiceRequest(
        reference=f"tmp-{uuid.uuid4().hex[:16]}", route=route, state=spec.initial_state, team=team, client=client, received_on=received_on,
        referrer=referrer, parliamentary_contact=parliamentary_contact.strip(), dg_caselist=dg_caselist,
        confidential=confidential, addressee=addressee.strip(), root_cause=root_cause.strip(),
        resources=resources.strip(), details=details.strip(),
        eligibility_override=override_reason if not eligibility.ok else "", parent=parent, updated_by=actor,
    )
    sr.save()
    # The readable reference needs the row id, so it is set in the same transaction.
    sr.reference = _next_reference(sr)
    sr.save(update_fields=["reference"])
    record_event(sr=sr, actor=actor, verb="created", now=now, to_state=sr.state, route=route,
                 team=team.name, referrer=referrer)
    if changed:
        record_event(sr=sr, actor=actor, verb="client_details_updated", now=now, **changed)
    if not eligibility.ok:
        record_event(sr=sr, actor=actor, verb="eligibility_overridden", now=now, reason=override_reason,
                     rule=eligibility.message)
    if confidential:
        # The person recording it keeps access; team leaders grant others.
        assign_perm("complaints.view_servicerequest", actor, sr)
    if related_sr is not None:
        if raised_by:
            # The raising SR is the link's origin: its step says what happens when this one closes.
            _link(related_sr, sr, related_reason, actor, now, raised_by=raised_by)
        else:
            _link(sr, related_sr, related_reason or "Earlier complaint on the same issue", actor, now)
    if spec.on_create.owner_is_creator:
        sr.owner = actor
        sr.save(update_fields=["owner"])
    run_create_steps(spec.on_create, StepContext(sr=sr, actor=actor, now=now, data={}))
    if parent is not None:
        record_event(sr=parent, actor=actor, verb="child_sr_raised", now=now, child=sr.reference)
    return sr


def _link(a: ServiceRequest, b: ServiceRequest, reason: str, actor: User, now: datetime, raised_by: str = "") -> SRLink:
    if a.pk == b.pk:
        raise ServiceError("An SR cannot be related to itself.")
    if SRLink.objects.filter(from_sr=a, to_sr=b).exists() or SRLink.objects.filter(from_sr=b, to_sr=a).exists():
        raise ServiceError(f"{a.reference} and {b.reference} are already related.")
    link = SRLink.objects.create(from_sr=a, to_sr=b, reason=reason.strip(), created_by=actor, raised_by=raised_by)
    record_event(sr=a, actor=actor, verb="related_sr_linked", now=now, other=b.reference, reason=reason)
    record_event(sr=b, actor=actor, verb="related_sr_linked", now=now, other=a.reference, reason=reason)
    return link


def link_if_unlinked(*, actor: User, sr: ServiceRequest, other: ServiceRequest, reason: str,
                     now: datetime) -> SRLink | None:
    """Link two SRs inside the caller's transaction (a step), unless they
    are the same SR or already linked either way."""
    if sr.pk == other.pk or SRLink.objects.filter(Q(from_sr=sr, to_sr=other) | Q(from_sr=other, to_sr=sr)).exists():
        return None
    return _link(sr, other, reason, actor, now)


@transaction.atomic
def link_service_requests(*, actor: User, sr: ServiceRequest, other: ServiceRequest, reason: str) -> SRLink:
    if not can_view(actor, other):
        raise ServiceError("No SR with that reference.")
    if not reason.strip():
        raise ServiceError("Say why the SRs are related.")
    return _link(sr, other, reason, actor, timezone.now())


@transaction.atomic
def add_note(*, actor: User, sr: ServiceRequest, text: str) -> Note:
    text = text.strip()
    if not text:
        raise ServiceError("Enter the note.")
    if not can_add_note(actor, sr):
        raise NotPermitted("You cannot add notes to this SR.")
    now = timezone.now()
    note = Note.objects.create(sr=sr, author=actor, text=text)
    record_event(sr=sr, actor=actor, verb="note_added", now=now, note_id=note.pk)
    return note


@transaction.atomic
def grant_confidential_access(*, actor: User, sr: ServiceRequest, user: User, expected_version: int) -> None:
    """A team leader lets one more person see a confidential SR."""
    now = timezone.now()
    sr = lock_service_request(sr.pk, expected_version)
    if not (actor.has_perm("complaints.allocate_servicerequest") and can_view(actor, sr)):
        raise NotPermitted("Only a team leader with access can grant access to a confidential SR.")
    if not sr.confidential:
        raise ServiceError("This SR is not confidential: everyone in its team can see it.")
    touch(sr, actor, now, [])
    _grant_view(sr=sr, user=user, actor=actor, now=now)


def grant_owner_access(*, sr: ServiceRequest, actor: User, now: datetime) -> None:
    """The new owner of a confidential SR gets the object permission to see
    it (inside the allocating transition's transaction)."""
    if sr.owner is None:
        return
    _grant_view(sr=sr, user=sr.owner, actor=actor, now=now, reason="Allocated to them")


def _grant_view(*, sr: ServiceRequest, user: User, actor: User, now: datetime, **details: str) -> None:
    assign_perm("complaints.view_servicerequest", user, sr)
    record_event(sr=sr, actor=actor, verb="confidential_access_granted", now=now, user=user.display_name,
                 **details)


def record_confidential_view(*, actor: User, sr: ServiceRequest) -> None:
    """DESIGN §8: every view of a confidential SR is logged (who, when)."""
    record_event(sr=sr, actor=actor, verb="confidential_viewed", now=timezone.now())
