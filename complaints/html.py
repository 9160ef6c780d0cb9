"""format_html for the hot path of table cells.

django.utils.html.escape is wrapped in keep_lazy, which inspects every
argument for lazy strings; on a 100-row table that check cost more than the
escaping. Escaping is the same (Python's html.escape, as Django uses), and
anything with __html__ (already safe) is inserted as it is."""

from html import escape as _escape
from typing import Any
from urllib.parse import urlencode

from django.utils.safestring import SafeString


def escape(value: Any) -> str:
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape(str(value))


def format_html(template: str, *args: Any, **kwargs: Any) -> SafeString:
    return SafeString(template.format(*map(escape, args), **{k: escape(v) for k, v in kwargs.items()}))


def query_with(params: dict[str, list[str]], updates: dict[str, Any]) -> SafeString:
    """This page's query string (`params`: request.GET.lists()) with
    `updates`, escaped: a sort or page link of a table."""
    merged: dict[str, Any] = {**params, **{k: v for k, v in updates.items() if k not in ("", None)}}
    return SafeString(escape("?" + urlencode(merged, doseq=True)))
