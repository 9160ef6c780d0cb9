"""Read-only facts about a Review SR that its transition conditions need:
the 6-month check and its client waits.

Read once per SR instance and kept on it, because the case page asks every
condition of the state in one go."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from workdays.calendar import add_months

from .facts import clock_facts
from .models import Route, ServiceRequest, SRLink

REVIEW_WINDOW_MONTHS = 6
ACKNOWLEDGE_RULE = "review.acknowledge"
CLIENT_REPLY_RULE = "review.client_reply"
CLOSURE_REPLY_RULE = "review.closure_reply"
ACKNOWLEDGEMENT_LETTER = "CMSL5829"
_CACHE = "_review_facts"


@dataclass(frozen=True)
class ReviewFacts:
    eligible: bool
    eligibility_message: str
    resolution_sr_id: int | None
    fig_ice_sr_id: int | None  # an ICE SR that failed its gateway and raised this one


def _linked(sr: ServiceRequest) -> list[ServiceRequest]:
    links = SRLink.objects.filter(Q(from_sr=sr) | Q(to_sr=sr)).select_related("from_sr", "to_sr")
    return [link.to_sr if link.from_sr_id == sr.pk else link.from_sr for link in links]


def eligibility(sr: ServiceRequest, linked: list[ServiceRequest] | None = None) -> tuple[bool, str, int | None, int | None]:
    """DESIGN §4: a Review needs a Resolution SR on the same issue, closed
    within 6 months of the review request (the Review SR's received date).
    An SR raised because ICE's gateway failed comes with ICE's referral, so
    it needs no Resolution SR. A team leader's recorded override counts."""
    linked = _linked(sr) if linked is None else linked
    fig = next((o for o in linked if o.route == Route.ICE and o.gateway_passed is False), None)
    fig_id = fig.pk if fig else None
    closed = sorted((o for o in linked if o.route == Route.RESOLUTION and o.closed_at is not None),
                    key=lambda o: o.closed_at or datetime.min, reverse=True)
    latest = closed[0] if closed else None
    if sr.eligibility_override:
        return True, "", latest.pk if latest else None, fig_id
    if fig is not None:
        return True, "", latest.pk if latest else None, fig_id
    if latest is None:
        return False, ("No closed Resolution SR is related to this review: a complaint must be cleared by the "
                       "resolution team first."), None, fig_id
    closed_on = timezone.localdate(latest.closed_at)
    limit = add_months(closed_on, REVIEW_WINDOW_MONTHS)
    if sr.received_on > limit:
        return False, (f"{latest.reference} closed on {closed_on:%-d %B %Y}: the review had to be asked for by "
                       f"{limit:%-d %B %Y} (6 months)."), latest.pk, fig_id
    return True, "", latest.pk, fig_id


def review_facts(sr: ServiceRequest) -> ReviewFacts:
    cached = sr.__dict__.get(_CACHE)
    if cached is None:
        ok, message, resolution_id, fig_id = eligibility(sr)
        cached = sr.__dict__[_CACHE] = ReviewFacts(eligible=ok, eligibility_message=message,
                                                   resolution_sr_id=resolution_id, fig_ice_sr_id=fig_id)
    return cached


def forget_review_facts(sr: ServiceRequest) -> None:
    sr.__dict__.pop(_CACHE, None)


def wait_over(sr: ServiceRequest, rule_code: str) -> bool:
    """The client's wait has ended: today is after its last day. A wait
    that is not running (never started, already met) is not 'over'."""
    due = clock_facts(sr).running_due.get(rule_code)
    return due is not None and timezone.localdate() > due
