"""Read-only querysets for pages, scoped to what the user may see.

Visibility is one indexed lookup on the team foreign key (the user's
membership) plus, for confidential SRs only, guardian's direct-FK object
permission table — never an IN-list of SR ids."""

import logging
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    Expression,
    F,
    FilteredRelation,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404

from accounts.models import Membership, User
from accounts.roles import Role
from prepared import prepared

from .models import CaseEvent, Client, Note, ServiceRequest, ServiceRequestUserObjectPermission, SRLink
from .permissions import can_view, team_ids
from .routes import CLOSED, REGISTRY, as_route

log = logging.getLogger("complaints.access")


def visible_service_requests(user: User) -> QuerySet[ServiceRequest]:
    qs = ServiceRequest.objects.all()
    if user.is_superuser:
        return qs
    if not user.has_perm("complaints.view_servicerequest"):
        return qs.none()
    member = Exists(Membership.objects.filter(team_id=OuterRef("team_id"), user_id=user.pk))
    return qs.filter(member).filter(_open_or_granted(user.pk))


def _open_or_granted(user_id: int) -> Q:
    """Not confidential, or granted to this user (guardian's direct-FK table)."""
    granted = Exists(
        ServiceRequestUserObjectPermission.objects.filter(
            content_object_id=OuterRef("pk"), user_id=user_id, permission__codename="view_servicerequest"
        )
    )
    return Q(confidential=False) | Q(granted)


def client_for_intake(user: User, case_number: str) -> Client | None:
    """The stored client with this case number that this user may see, or
    None.

    Who may see which client: a user may see a client's stored details
    (name, address, case dates) only if they may see at least one SR of that
    client — the rule of permissions.can_view, so the client of a
    confidential SR is seen only by those granted that SR. The reason: a
    client record holds nothing a user needs unless they work one of that
    client's complaints, and a client of a complaint about a member of staff
    must not be found through another door.

    Intake looks a case number up through this rule alone. A number whose
    client the user may not see gets exactly the answer of a number nobody
    has recorded — None, from the same single query — so typing numbers
    into the new-SR form tells nothing about who is on file."""
    if not user.has_perm("complaints.view_servicerequest"):
        return None
    seen = visible_service_requests(user).filter(client_id=OuterRef("pk"))
    return Client.objects.filter(case_number=case_number).filter(Exists(seen)).order_by("-pk").first()


def sr_readable(user: User, path: str) -> Expression:
    """An annotation for rows that point at an SR through `path` ("sr" on a
    clock or a task): True where this user may read that SR's details.
    Deadline lists and tasks are scoped by team, and a confidential SR is
    visible only to those granted it (DESIGN §8): its rows are still counted
    and listed, but without its reference or client."""
    return readable_by(user.pk, path, superuser=user.is_superuser)


def readable_by(user_id: int, path: str, *, superuser: bool) -> Expression:
    """sr_readable by the user's id (for a prepared statement)."""
    if superuser:
        return Value(True)
    granted = Exists(ServiceRequestUserObjectPermission.objects.filter(
        content_object_id=OuterRef(f"{path}_id"), user_id=user_id, permission__codename="view_servicerequest"))
    return Case(When(**{f"{path}__confidential": False}, then=Value(True)), default=granted,
                output_field=BooleanField())


def _for_case_page(qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    # Who last changed it is read with the row lock when a form is stale
    # (services.transitions), never from here: not joined. Of a parent SR
    # the page shows only its reference.
    return (qs.select_related("client", "team", "owner").annotate(parent_reference=F("parent__reference"))
            .order_by()[:1])


@prepared
def _sr_by_reference(reference: str) -> QuerySet[ServiceRequest]:
    return _for_case_page(ServiceRequest.objects.filter(reference=reference))  # unique


@prepared
def _sr_by_reference_for(reference: str, user_id: int) -> QuerySet[ServiceRequest]:
    return _for_case_page(ServiceRequest.objects.filter(reference=reference).filter(_open_or_granted(user_id)))


def get_visible_sr_or_404(user: User, reference: str) -> ServiceRequest:
    """The SR if this user may know it exists; otherwise 404 (and logged)."""
    sr = None
    if user.is_superuser:
        sr = next(iter(_sr_by_reference(reference)), None)
    elif user.has_perm("complaints.view_servicerequest"):
        found = next(iter(_sr_by_reference_for(reference, user.pk)), None)
        # The team is checked against the user's team ids, read with their
        # roles (permissions.team_ids), rather than by the membership
        # subquery of visible_service_requests: the same rule, and the one
        # statement every case page and form starts with compiles and plans
        # in about half the time (issue 14).
        if found is not None and found.team_id in team_ids(user):
            sr = found
    if sr is None:
        log.warning("access denied: user=%s reference=%s", user.pk, reference[:40])
        raise Http404("No service request with that reference")
    return as_route(sr)


def _list_columns(qs: QuerySet[ServiceRequest], *, extra: tuple[str, ...] = ()) -> QuerySet[ServiceRequest]:
    """Only what the list tables show (the SR and client rows are wide, and
    each related row is one more model instance per table row), plus the
    `extra` fields a table adds ("team__name" joins the team)."""
    fields = ["reference", "route", "state", "received_on", "lock_assignment", "team_id", "owner_id", "client_id",
              "next_due_on", "client__name", "client__region", *extra]
    related = {"client"} | {field.split("__")[0] for field in extra if "__" in field}
    return qs.select_related(*sorted(related)).only(*fields)


def _in_teams(user: User, qs: QuerySet[ServiceRequest]) -> QuerySet[ServiceRequest]:
    """The team scope once more, as the list of the user's teams (read once
    per request): the membership test alone leaves PostgreSQL to start from
    the membership table and sort the whole queue; with the team ids it
    reads the list's partial index in page order and stops after a page."""
    if user.is_superuser:
        return qs
    return qs.filter(team_id__in=sorted(team_ids(user)))


MY_WORK_FIELDS = ("id", "reference", "route", "state", "received_on", "lock_assignment", "next_due_on",
                  "client__name", "client__region")


def my_work(user: User) -> QuerySet[Any]:
    """The user's open SRs (sorted by the stored next deadline through
    sr_owner_due_idx), as rows of what My work shows: the page lists up to
    a hundred, and a model instance and its client's per row cost more
    than the rest of the row."""
    return _my_work(user.pk).all()


@lru_cache(maxsize=1024)
def _my_work(user_id: int) -> QuerySet[Any]:
    # Built once per user, cloned for each page (.all() above) and never run
    # itself: resolving its lookups and its columns' join cost 0.8 ms a
    # page, a clone a few microseconds. Nothing in it but the user's id.
    return ServiceRequest.objects.filter(owner_id=user_id, closed_at__isnull=True).values(*MY_WORK_FIELDS)


def team_queue(user: User) -> QuerySet[ServiceRequest]:
    """Open unallocated SRs of the teams the user belongs to."""
    qs = _in_teams(user, visible_service_requests(user)).filter(owner__isnull=True, closed_at__isnull=True)
    return _list_columns(qs, extra=("team__name",))


def dg_caselist(user: User) -> QuerySet[ServiceRequest]:
    """Open SRs on the Director General's caselist (high profile or with a
    parliamentary contact) that the user may see, with their owner and next
    deadline: what a manager reports upwards."""
    qs = _in_teams(user, visible_service_requests(user)).filter(dg_caselist=True, closed_at__isnull=True)
    return _list_columns(qs, extra=("team__name", "owner__username", "owner__first_name", "owner__last_name",
                                    "parliamentary_contact"))


def search(user: User, query: str) -> QuerySet[ServiceRequest]:
    """By SR reference, child maintenance case number or client name."""
    query = query.strip()
    qs = visible_service_requests(user)
    condition = (
        Q(reference__iexact=query) | Q(client__case_number__iexact=query) | Q(client__name__icontains=query)
    )
    return _list_columns(qs.filter(condition)).order_by("-received_on", "-id")


def states_with_status(status: str) -> Q:
    """A filter for a derived Status label: the (route, state) pairs that
    show it. Status is never stored, so this is how lists filter by it."""
    q = Q(pk__in=[])
    for spec in REGISTRY.values():
        states = [state for state, labels in spec.labels.items() if labels.status == status]
        if states:
            q |= Q(route=spec.route, state__in=states)
    return q


def all_statuses(*, open_only: bool = False) -> list[str]:
    """The Status labels of every route, in the routes' order; `open_only`
    leaves out Closed (for lists that only hold open SRs)."""

    seen: dict[str, None] = {}
    for spec in REGISTRY.values():
        for state, labels in spec.labels.items():
            if not (open_only and state == CLOSED):
                seen.setdefault(labels.status, None)
    return list(seen)


def timeline_and_notes(sr: ServiceRequest) -> tuple[list[CaseEvent], list[Note]]:
    """The case page's timeline and notes, newest first, each with the name
    of who wrote it: one statement (a UNION ALL of the two reads, a row's
    first column saying which) rather than one each, and only the columns
    the page shows — not every column of the user."""
    timeline: list[CaseEvent] = []
    written: list[Note] = []
    rows = _timeline_rows(sr.pk)
    # Instances through Model.from_db, as a queryset builds them (each
    # model's columns in its own order); of the writer, only their name.
    for (kind, pk, created_at, verb, from_state, to_state, details, text,
         user_id, first_name, last_name, username) in rows:
        if kind == "event":
            event = CaseEvent.from_db(rows.db, _EVENT_FIELDS, (pk, sr.pk, user_id, verb, from_state, to_state,
                                                               details, created_at))
            event.sr = sr
            if user_id is not None:  # (without one, the system's: event.actor is None, read from nothing)
                event.actor = User.from_db(rows.db, _NAME_FIELDS, (user_id, username, first_name, last_name))
            timeline.append(event)
        else:
            note = Note.from_db(rows.db, _NOTE_FIELDS, (pk, sr.pk, user_id, text, created_at))
            note.sr = sr
            note.author = User.from_db(rows.db, _NAME_FIELDS, (user_id, username, first_name, last_name))
            written.append(note)
    return timeline, written


@prepared
def _timeline_rows(sr_id: int) -> QuerySet[Any]:
    nothing = Value(None, output_field=CharField())
    events = CaseEvent.objects.filter(sr_id=sr_id).order_by().values_list(
        Value("event"), "id", "created_at", "verb", "from_state", "to_state", "details", nothing,
        "actor_id", "actor__first_name", "actor__last_name", "actor__username")
    notes = Note.objects.filter(sr_id=sr_id).order_by().values_list(
        Value("note"), "id", "created_at", nothing, nothing, nothing, Value(None, output_field=JSONField()), "text",
        "author_id", "author__first_name", "author__last_name", "author__username")
    return events.union(notes, all=True).order_by("-created_at", "-id")


_EVENT_FIELDS = ["id", "sr_id", "actor_id", "verb", "from_state", "to_state", "details", "created_at"]
_NOTE_FIELDS = ["id", "sr_id", "author_id", "text", "created_at"]
_NAME_FIELDS = ["id", "username", "first_name", "last_name"]  # in User's column order


def relatives(user: User, sr: ServiceRequest) -> tuple[list[tuple[ServiceRequest, str]], list[ServiceRequest]]:
    """The SRs related to this one (from either end of a link, in the order
    the links were made, each with the link's reason) and its child SRs,
    those this user may see: one statement for both. An SR has a handful of
    links and children: read them all, then apply the same rule as
    everywhere (permissions.can_view) to each, rather than a visibility
    subquery per row. Each link direction is joined on its own condition
    (at most one link each way: unique_sr_link), so an SR comes once."""
    rows = _relatives_rows(sr.pk)
    links: dict[int, tuple[datetime, ServiceRequest, str]] = {}
    kids: list[ServiceRequest] = []
    for other in rows:
        if not can_view(user, other):
            continue
        if other.to_id is not None:
            links[other.to_id] = (other.to_at, other, other.to_reason)
        if other.from_id is not None:  # (an SR linked to itself is one link, once)
            links[other.from_id] = (other.from_at, other, other.from_reason)
        if other.parent_id == sr.pk:
            kids.append(other)
    # In the order the links were made (created_at, then id), as before.
    ordered = sorted(links.items(), key=lambda item: (item[1][0], item[0]))
    return [(other, reason) for _, (_, other, reason) in ordered], kids


@prepared
def _relatives_rows(sr_id: int) -> QuerySet[Any]:
    return (
        ServiceRequest.objects
        .annotate(link_to=FilteredRelation("links_in", condition=Q(links_in__from_sr_id=sr_id)),
                  link_from=FilteredRelation("links_out", condition=Q(links_out__to_sr_id=sr_id)))
        # Found through their indexes (an OR over the joins would read every SR).
        .filter(pk__in=ServiceRequest.objects.filter(parent_id=sr_id).order_by().values("pk").union(
            SRLink.objects.filter(from_sr_id=sr_id).values("to_sr_id"),
            SRLink.objects.filter(to_sr_id=sr_id).values("from_sr_id"), all=True))
        .annotate(to_id=F("link_to__id"), to_reason=F("link_to__reason"), to_at=F("link_to__created_at"),
                  from_id=F("link_from__id"), from_reason=F("link_from__reason"), from_at=F("link_from__created_at"))
        .select_related("client")
        # What the page shows of them and can_view reads: fewer columns to
        # build and read than two whole rows each.
        .only("reference", "route", "state", "team_id", "confidential", "parent_id", "client__region")
        .order_by("id")
    )


def related(user: User, sr: ServiceRequest) -> list[tuple[ServiceRequest, str]]:
    return relatives(user, sr)[0]


def children(user: User, sr: ServiceRequest) -> list[ServiceRequest]:
    return relatives(user, sr)[1]


def caseworkers_of(team_id: int) -> QuerySet[User]:
    """Who may be given an SR of this team: its active caseworkers."""
    return User.objects.filter(
        memberships__team_id=team_id, is_active=True, groups__name=Role.CASEWORKER.value
    ).distinct().order_by("first_name", "last_name")


def caseworkers_by_team(team_ids: list[int]) -> list[tuple[str, list[User]]]:
    """The caseworkers of each team, by team name (one query): the Team
    queue offers each SR only to those who may take it."""
    rows = (
        User.objects.filter(memberships__team_id__in=team_ids, is_active=True, groups__name=Role.CASEWORKER.value)
        .annotate(team_name=F("memberships__team__name"))
        .only("username", "first_name", "last_name")
        .order_by("memberships__team__name", "first_name", "last_name", "pk")
    )
    grouped: dict[str, list[User]] = {}
    for user in rows:
        grouped.setdefault(user.team_name, []).append(user)
    return list(grouped.items())
