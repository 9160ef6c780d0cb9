"""The ICE team's queue (seed 000: the internal ICE team handles each case
until it is resolved and manages linked and multiple cases): each open ICE
SR with its ICE stage, the working days it has spent with ICE, its next
deadline (ad-hoc questions counted, with the earliest), and the client's
other SRs beside it. A page costs a fixed number of queries whatever its
length: the SRs, then their state changes, clocks and the clients' other
SRs for the whole page at once."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from complaints.models import CaseEvent, Route, ServiceRequest
from complaints.permissions import team_routes
from complaints.routes import spec_for
from complaints.selectors import visible_service_requests
from sla.models import DeadlineClock
from workdays.text import days_between

ADHOC_RULE = "ice.adhoc"


@dataclass
class QueueRow:
    sr: ServiceRequest
    days_with_ice: int | None = None
    adhoc_open: int = 0
    adhoc_next: date | None = None
    others: list[ServiceRequest] = field(default_factory=list)


def ice_queue(user: User) -> QuerySet[ServiceRequest]:
    """Open ICE SRs the user may see, the most urgent first."""
    return (
        visible_service_requests(user).filter(route=Route.ICE, closed_at__isnull=True)
        .select_related("client", "owner")
        .order_by(F("next_due_on").asc(nulls_last=True), "received_on", "id")
    )


def _days_with_ice(events: list[CaseEvent], region: str, today: date) -> int | None:
    """Working days in the periods the SR waited with ICE, up to today."""
    with_body = set(spec_for(Route.ICE).with_body_states)
    total, since = 0, None
    for event in events:
        day = timezone.localdate(event.created_at)
        if event.to_state in with_body and since is None:
            since = day
        elif event.to_state not in with_body and since is not None:
            counted = days_between(since, day, region)
            if counted is None:
                return None
            total, since = total + counted, None
    if since is not None:
        counted = days_between(since, today, region)
        if counted is None:
            return None
        total += counted
    return total


def queue_rows(user: User, srs: list[ServiceRequest]) -> list[QueueRow]:
    ids = [sr.pk for sr in srs]
    today = timezone.localdate()
    moves: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in (CaseEvent.objects.filter(sr_id__in=ids).exclude(to_state="").exclude(to_state=F("from_state"))
                  .only("sr_id", "from_state", "to_state", "created_at").order_by("created_at", "id")):
        moves[event.sr_id].append(event)
    adhoc: dict[int, list[date]] = defaultdict(list)
    for sr_id, due in (DeadlineClock.objects.running().filter(sr_id__in=ids, rule__code=ADHOC_RULE)
                       .order_by("due_on").values_list("sr_id", "due_on")):
        adhoc[sr_id].append(due)
    visible = visible_service_requests(user)
    others: dict[int, list[ServiceRequest]] = defaultdict(list)
    clients = {sr.client_id for sr in srs}
    # The client's other SRs: those the user may see, and the references of
    # any other that is not about a member of staff (the ICE team manages
    # linked and multiple cases).
    for other in (ServiceRequest.objects.filter(client_id__in=clients)
                  .filter(Q(confidential=False) | Q(pk__in=visible.values("pk")))
                  .only("reference", "route", "state", "client_id", "closed_at", "client__region")
                  .select_related("client").order_by("-received_on", "-id")):
        others[other.client_id].append(other)
    rows = []
    for sr in srs:
        row = QueueRow(sr=sr, days_with_ice=_days_with_ice(moves[sr.pk], sr.client.region, today),
                       adhoc_open=len(adhoc[sr.pk]), adhoc_next=adhoc[sr.pk][0] if adhoc[sr.pk] else None,
                       others=[o for o in others[sr.client_id] if o.pk != sr.pk])
        rows.append(row)
    return rows


def in_an_ice_team(user: User) -> bool:
    # The routes come with the team ids the page reads anyway (one statement).
    return user.is_superuser or Route.ICE in team_routes(user)
