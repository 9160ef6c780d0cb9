"""Placeholders in admin-edited letter text.

Admin text is never given to the Django template engine. It may contain
only `{{ name }}` with a name from PLACEHOLDERS — plain values computed
by the app — and we substitute them ourselves with a regex. Anything else
that looks like template code (tags, comments, filters, attribute access,
unknown names) is refused when the text is saved, with a message saying
why, and is printed literally if it ever slipped through.
"""

import re

from django.utils.html import escape

# The fixed, documented list. Values are plain strings computed by
# letters.compose.facts_for_sr (or sample_facts for admin previews).
PLACEHOLDERS: dict[str, str] = {
    "client_name": "The client's name",
    "client_address": "The client's postal address, one line per line",
    "reference": "The SR reference, e.g. SR-2026-000123",
    "case_number": "The client's child maintenance case number",
    "today": "The date of the letter, e.g. 24 December 2026",
    "received_date": "The date the complaint was received",
    "caseworker_name": "The name of the caseworker who owns the SR (or whoever issues the letter)",
    "team_name": "The team dealing with the complaint",
    "team_phone": "The team's phone number",
    "reply_days": "The template's reply period in days, e.g. 7",
    "reply_by_date": "The letter date plus the template's reply period",
    "plan_due_date": "The latest due date of the actions in the resolution plan",
    "organisation": "CMG, or NICMS for Northern Ireland clients",
    "organisation_name": "Child Maintenance Group, or Northern Ireland Child Maintenance Service",
    "ombudsman": "Parliamentary and Health Service Ombudsman, or Northern Ireland Public Services Ombudsman",
    "ombudsman_short": "PHSO, or NI Ombudsman",
    "ombudsman_address": "The ombudsman's postal address, one line per line",
    "ombudsman_phone": "The ombudsman's phone number",
    "representative": "MP, or MP or MLA in Northern Ireland",
}

# `{{ name }}` exactly: a lower-case identifier, nothing else inside.
PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z][a-z0-9_]*)\s*\}\}")
# Anything that opens or closes template syntax.
TEMPLATE_SYNTAX_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}|\{%|%\}|\{#|#\}|\{\{|\}\}", re.DOTALL)


def placeholder_list() -> str:
    return ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)


def validate_text(text: str) -> list[str]:
    """Why this text may not be saved (an empty list if it may)."""
    errors: list[str] = []
    for match in TEMPLATE_SYNTAX_RE.finditer(text or ""):
        found = match.group(0)
        shown = found if len(found) <= 60 else found[:57] + "…"
        good = PLACEHOLDER_RE.fullmatch(found)
        if good:
            if good.group(1) not in PLACEHOLDERS:
                errors.append(f"“{shown}” is not a placeholder we know. Use one of: {placeholder_list()}.")
            continue
        inner = found.strip("{}%# \n\t")
        if found.startswith("{%") or found.startswith("{#") or found.endswith("%}") or found.endswith("#}"):
            why = "template tags and comments are not allowed in letter text"
        elif "." in inner or "[" in inner:
            why = "placeholders are plain names — attribute access such as “.name” is not allowed"
        elif "|" in inner:
            why = "filters (“|”) are not allowed in placeholders"
        elif found in ("{{", "}}"):
            why = "a placeholder must be written as {{ name }} with both braces"
        else:
            why = "a placeholder is a plain lower-case name such as {{ client_name }}"
        errors.append(f"“{shown}”: {why}. Use one of: {placeholder_list()}.")
    return errors


def substitute(text: str, values: dict[str, str]) -> str:
    """Escape `text`, then replace known placeholders with their escaped
    values. Returns HTML-safe text (no tags yet)."""
    out: list[str] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        out.append(escape(text[pos:match.start()]))
        name = match.group(1)
        # Unknown names were refused on save; if one got here, print it as written.
        # Multi-line values (addresses) keep their line breaks.
        out.append(escape(values[name]).replace("\n", "<br>") if name in values else escape(match.group(0)))
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def to_html(text: str, values: dict[str, str] | None = None) -> str:
    """Admin or caseworker text as HTML blocks: blank lines separate
    paragraphs, single newlines are line breaks, "- " lines are bullets.
    Placeholders are filled only when `values` is given (admin text); free
    text from caseworkers is printed exactly as typed."""
    text = (text or "").replace("\r\n", "\n").strip()
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    html: list[str] = []
    for block in blocks:
        lines = [line.rstrip() for line in block.split("\n")]
        filled = [substitute(line, values) if values is not None else escape(line) for line in lines]
        if all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{f.lstrip()[2:]}</li>" for f in filled)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(filled) + "</p>")
    return "\n".join(html)
