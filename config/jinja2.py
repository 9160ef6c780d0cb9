"""The Jinja2 environment of the hot pages' content (issue 14).

The layout (base.html), forms and rarely-seen pages stay Django templates;
the content of the pages everyone opens all day — the dashboard, the case
page's tabs, My work's lists — is Jinja2, compiled to Python once per
process. Rendering them through the Django template engine was the largest
part of each page after its statements: every `{{ }}` a chain of lookups,
every `{% if %}` a node walk.

A Jinja2 page writes the same bytes as the Django template it replaced:
`finalize` gives every `{{ }}` what Django's `{{ }}` does (a moment in UK
time, localised, escaped by Django's escape, so `'` is `&#x27;` as on every
other page), and Django's filters are used where the pages used them.
The content is included from a Django template with `{% jinja "name" %}`
(complaints.templatetags.govuk), which passes it the page's whole context.
"""

import html
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import jinja2
from django.http import HttpRequest
from django.template import defaultfilters
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django_tables2.templatetags.django_tables2 import render_attrs

from complaints.html import query_with
from prepared.urls import reverse, static


def _as_django_writes(value: Any) -> Any:
    """What Django's `{{ value }}` writes (render_value_in_context)."""
    if value.__class__ is str:
        # Django's escape is html.escape behind keep_lazy, whose check of
        # its argument cost more than the escaping; a str is not lazy.
        return SafeString(html.escape(value))
    if hasattr(value, "__html__"):
        return value
    if value is None or value.__class__ is int:
        # What localize gives an int without USE_THOUSAND_SEPARATOR (not
        # set here), without its format lookups: the dashboard writes ~200.
        return str(value)
    return conditional_escape(localize(template_localtime(value)))


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """`{% url name arg … %}`."""
    return reverse(name, *args, **kwargs)


def querystring_replace(request: HttpRequest, updates: dict[str, Any]) -> SafeString:
    """django-tables2's `{% querystring_replace %}`: this page's query string
    with `updates` (a sort or page link of a table)."""
    return query_with(dict(request.GET.lists()), updates)


def _date(value: date | datetime | None, arg: str | None = None) -> str:
    # Django's |date is given the value in local time by the template engine.
    return defaultfilters.date(template_localtime(value), arg)


def _default(value: Any, fallback: Any) -> Any:
    """Django's |default: the fallback for any false value (Jinja's own
    `default` only replaces an undefined one)."""
    return value or fallback


def _yesno(value: Any, words: str) -> str:
    yes, no, *maybe = words.split(",")
    if value is None and maybe:
        return maybe[0]
    return yes if value else no


@jinja2.pass_context
def render_table(context: jinja2.runtime.Context, table: Any) -> SafeString:
    """django-tables2's `{% render_table table %}`: the table's own template
    (tables/govuk_table*.html, Jinja2 templates) given the table and the
    request, after the table's before_render."""
    request = context.get("request")
    table.before_render(request)
    return SafeString(context.environment.get_template(table.template_name).render(
        {"table": table, "request": request}))


def environment(**options: Any) -> jinja2.Environment:
    from complaints.templatetags import govuk

    # Lenient like Django's templates: an attribute of a missing value is
    # empty, never an error (a page must not fail on an unset optional field).
    options["undefined"] = jinja2.ChainableUndefined
    env = jinja2.Environment(finalize=_as_django_writes, keep_trailing_newline=True, **options)
    filters: dict[str, Callable[..., Any]] = {
        "date": _date,
        "dj_default": _default,
        "yesno": _yesno,
        "capfirst": defaultfilters.capfirst,
        "linebreaksbr": defaultfilters.linebreaksbr,
        "floatformat": defaultfilters.floatformat,
        "default_if_none": defaultfilters.default_if_none,
    }
    filters.update(govuk.register.filters)  # status_tag_class, short_day, timeline_time, …
    env.filters.update(filters)
    env.globals.update({
        "url": url,
        "querystring_replace": querystring_replace,
        "render_attrs": render_attrs,
        "static": static,
        "event_title": govuk.event_title,
        "event_change": govuk.event_change,
        "form_token": govuk.form_token,
        "govuk_field": govuk.govuk_field,
        "render_table": render_table,
    })
    return env
