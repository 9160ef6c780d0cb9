"""Template helpers that render Django forms as GOV.UK components, and the
few display rules the pages share (status tags, deadline wording)."""

import re
import uuid
from datetime import date, datetime
from functools import cache
from typing import Any, cast

from django import forms, template
from django.http import HttpRequest
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from complaints.govuk_fields import field_html
from complaints.models import ActionKind, Referrer, Route, ServiceRequest
from complaints.routes import labels_for
from complaints.services.transitions import all_transitions
from prepared.urls import reverse, static
from workdays.text import fmt_date

register = template.Library()


@register.simple_tag
def static_url(path: str) -> str:
    """{% static %}, remembered (prepared.urls.static)."""
    return static(path)


@register.simple_tag
def prepared_url(name: str, *args: Any) -> str:
    """{% url %}, remembered (prepared.urls.reverse): the layout's four
    addresses, on every page."""
    return reverse(name, *args)


@register.simple_tag
def govuk_field(field: Any, classes: str = "") -> SafeString:
    """A form field as a GOV.UK component (complaints.govuk_fields)."""
    return field_html(field, classes)


@register.simple_tag(takes_context=True)
def jinja(context: template.Context, name: str) -> SafeString:
    """The Jinja2 template `name` (config.jinja2), given this page's whole
    context: the hot pages' content inside the Django layout.

    Its forms carry the page's one CSRF token, as a Django template's do
    (the context's csrf_token is worked out once per page). Rendered through
    Django's Jinja2 backend, every {{ csrf_input }} masked the secret anew:
    the case page's nine forms drew nine random strings."""
    values: dict[str, Any] = {str(key): value for key, value in context.flatten().items()}
    request = values.get("request")
    backend = cast(Jinja2, engines["jinja2"])
    if not isinstance(request, HttpRequest) or "csrf_token" not in values:
        return SafeString(backend.get_template(name).render(values, request if isinstance(request, HttpRequest) else None))
    token = values["csrf_token"] = str(values["csrf_token"])
    values["csrf_input"] = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    return SafeString(backend.env.get_template(name).render(values))


@register.inclusion_tag("govuk/error_summary.html")
def govuk_error_summary(*forms_: Any) -> dict[str, Any]:
    errors = []
    for form in forms_:
        if form is None or not form.is_bound:
            continue
        for message in form.non_field_errors():
            errors.append(("", message))
        for field in form:
            for message in field.errors:
                anchor = field.id_for_label or field.auto_id
                if isinstance(field.field.widget, forms.MultiWidget):  # a date: its day box
                    anchor = f"{field.auto_id}_day"
                errors.append((anchor, message))
    return {"errors": errors}


_STATUS_COLOURS = {
    "Pending Assignment": "govuk-tag--purple",
    "In Progress": "govuk-tag--blue",
    "Wait": "govuk-tag--yellow",
    "Pending Approval": "govuk-tag--orange",
    "Closed": "govuk-tag--grey",
}


@register.filter
def status_tag_class(status: str) -> str:
    return _STATUS_COLOURS.get(status, "govuk-tag--light-blue")


_VERBS = {
    "created": "SR recorded",
    "note_added": "Note added",
    "letter_issued": "Letter issued",
    "clock_started": "Deadline started",
    "clock_met": "Deadline met",
    "clock_extended": "Deadline extended",
    "clock_moved": "Deadline moved",
    "clocks_cancelled": "Deadlines stopped",
    "related_sr_linked": "Related SR linked",
    "child_sr_raised": "Child SR raised",
    "confidential_viewed": "Confidential SR viewed",
    "confidential_access_granted": "Access granted",
    "eligibility_overridden": "Time limit overridden",
    "client_details_updated": "Client's details updated",
    "plan_started": "Resolution plan started",
    "plan_revised": "Resolution plan revised",
    "plan_reason_added": "Plan: reason added",
    "plan_action_added": "Plan: action added",
    "plan_action_done": "Plan: action done",
    "plan_action_progress": "Plan: action back in progress",
    "plan_action_changed": "Plan: action changed",
    "plan_action_removed": "Plan: action removed",
    "plan_action_child_sr": "Plan: child SR raised for an action",
    "plan_reason_changed": "Plan: reason changed",
    "plan_reason_removed": "Plan: reason removed",
    "ice_notified_of_closure": "Internal ICE told of the closure",
    "task_created": "Task raised",
    "task_done": "Task done",
}


@cache
def _transition_labels(route: str) -> dict[str, str]:
    """A route's transition names and the labels its buttons show."""
    return {name: t.custom.get("label", name) for name, t in all_transitions(ServiceRequest(route=route)).items()}


@register.simple_tag
def event_title(event: Any, sr: ServiceRequest) -> str:
    """What happened, in the words of the button that did it."""
    if event.verb in _VERBS:
        return _VERBS[event.verb]
    label = _transition_labels(sr.route).get(event.verb)
    return label or event.verb.replace("_", " ").capitalize()


@register.filter
def timeline_time(moment: datetime) -> SafeString:
    """<time datetime="2026-11-27T15:00:00+00:00">27 November 2026 at 15:00</time>
    for a timeline entry or note, in UK time: what |date:'c' and
    |date:"j F Y \\a\\t H:i" wrote, from Python's isoformat and strftime
    (the |date filter cost ~40 µs a call, twice an entry, on a case page of
    dozens of entries; issue 14)."""
    # UK time, as the footer says every page shows (the app never activates
    # another zone): the default zone, kept, rather than the current one,
    # whose lookup in request-local storage cost a third of this filter.
    local = moment.astimezone(timezone.get_default_timezone())
    # Digits, signs and an English month name: nothing to escape.
    return SafeString(f'<time datetime="{local.isoformat()}">{local.day} {local:%B %Y} at {local:%H:%M}</time>')


def _local(value: date | datetime) -> date | datetime:
    """A moment in UK time, as |date shows it; a date as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


# "j M Y", "j M Y H:i" and "j M" as |date writes them, from Python's
# strftime: |date goes through the translation and format machinery for
# every call (~40 µs), and list rows, letters and the dashboard's weeks call
# it for every row (issue 14). English month abbreviations, as the pages.
def _written(value: date | datetime | None, form: str) -> str:
    return "" if value is None or value == "" else f"{(local := _local(value)).day} {local:{form}}"


@register.filter
def short_day(value: date | datetime | None) -> str:
    return _written(value, "%b %Y")


@register.filter
def short_when(value: datetime | None) -> str:
    return _written(value, "%b %Y %H:%M")


@register.filter
def day_month(value: date | None) -> str:
    return _written(value, "%b")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag
def event_change(event: Any, sr: ServiceRequest) -> str:
    """"In Progress → Pending Approval / Pending TL Approval" for a state change."""
    if not event.to_state or event.from_state == event.to_state:
        return ""

    def text(state: str) -> str:
        labels = labels_for(sr.route, state, sr.client.region)
        return f"{labels.status} / {labels.sub_status}" if labels.sub_status else labels.status

    return f"{text(event.from_state)} → {text(event.to_state)}" if event.from_state else text(event.to_state)


# Details an event keeps for the audit trail but a reader has no use for:
# row ids, task keys and the rule codes of deadline events (each of those
# events carries a sentence, its "message", that names the rule).
_INTERNAL_KEYS = frozenset({"id", "task", "rule", "rules", "rule_name", "started_on", "due_on", "met_on",
                            "from_due_on", "to_due_on", "on_time"})
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _choice_labels() -> dict[str, dict[str, str]]:

    return {"kind": dict(ActionKind.choices), "route": dict(Route.choices), "referrer": dict(Referrer.choices)}


def _readable(key: str, value: object) -> str:
    if isinstance(value, dict):
        value = value.get("label", "")
    if isinstance(value, list):
        value = ", ".join(str(v.get("label", "") if isinstance(v, dict) else v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return text
        return fmt_date(day)
    return _choice_labels().get(key, {}).get(text, text)


@register.filter
def event_details(event: Any) -> list[tuple[str, str]]:
    """The event's details as (label, text) rows for the timeline, in words:
    no ids, keys or codes (DESIGN §10), dates as the tables write them. An
    event that carries its own sentence ("message") shows that instead of
    its parts."""
    details = event.details or {}
    message = details.get("message")
    rows = [("", str(message))] if message else []
    for key, value in details.items():
        if value in (None, "", [], {}) or key == "message" or key in _INTERNAL_KEYS or key.endswith("_id"):
            continue
        text = _readable(key, value)
        if not text or (message and text in message):
            continue
        rows.append((key.replace("_", " ").capitalize(), text))
    return rows


@register.simple_tag
def form_token() -> str:
    """A fresh token for a state-changing form: sent twice, it acts once
    (complaints.idempotency)."""
    return SafeString(f'<input type="hidden" name="form_token" value="{uuid.uuid4()}">')  # a UUID needs no escaping
