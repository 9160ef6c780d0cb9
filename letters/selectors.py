"""Read-only queries about letters."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from complaints.models import CaseEvent, ServiceRequest
from complaints.selectors import get_visible_sr_or_404
from prepared import prepared

from .conditions import refusal
from .models import IssuedLetter, LetterTemplate


def letters_for_sr(sr: ServiceRequest) -> QuerySet[IssuedLetter]:
    """The SR's letters, newest first, without their (large) frozen HTML."""
    return _letters_of(sr.pk)


@prepared
def _letters_of(sr_id: int) -> QuerySet[IssuedLetter]:
    return (
        IssuedLetter.objects.filter(sr_id=sr_id).select_related("issued_by").defer("html", "composition")
        .order_by("-issued_at", "-id")
    )


@prepared
def _active_templates() -> QuerySet[LetterTemplate]:
    return LetterTemplate.objects.filter(active=True).order_by("code")


def templates_for(sr: ServiceRequest) -> list[LetterTemplate]:
    """Active templates that may be issued on this SR in its current state."""
    return [
        t for t in _active_templates()
        if t.allows(sr.route, sr.state, is_open=sr.is_open) and not refusal(t.code, sr)
    ]


def get_visible_letter_or_404(user: User, pk: int) -> IssuedLetter:
    """A letter whose SR this user may see; 404 otherwise (as for the SR)."""
    letter = IssuedLetter.objects.select_related("sr").defer("html").filter(pk=pk).first()
    if letter is None:
        raise Http404("No such letter")
    letter.sr = get_visible_sr_or_404(user, letter.sr.reference)
    return letter


def state_entered_at(sr: ServiceRequest, state: str) -> datetime | None:
    """When the SR last entered `state` (from its audit trail)."""
    event = CaseEvent.objects.filter(sr=sr, to_state=state).exclude(from_state=state).order_by("-created_at", "-id")
    return event.values_list("created_at", flat=True).first()


def letter_issued_since(sr: ServiceRequest, template_code: str, since: datetime | None) -> IssuedLetter | None:
    qs = IssuedLetter.objects.filter(sr=sr, template_code=template_code).defer("html")
    if since is not None:
        qs = qs.filter(issued_at__gte=since)
    return qs.order_by("-issued_at", "-id").first()


def letter_issued_since_state(sr: ServiceRequest, template_code: str, state: str | None = None) -> bool:
    """Has `template_code` been issued since the SR entered `state` (its
    current state if not given)? For route conditions such as "CMSL5800
    was sent before the 7-day wait can end"."""
    since = state_entered_at(sr, state or sr.state)
    return letter_issued_since(sr, template_code, since) is not None

