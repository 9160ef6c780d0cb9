"""A form field as a GOV.UK form group, written in Python.

Each field used to be rendered through a Jinja2 template that read the bound
field's properties (auto_id, html_name, errors, value(), …) again for every
place it wrote them, a value() per option of a select; its hidden inputs and
date inputs went through Django's widget templates. On the case page, whose
Plan tab holds three forms, that was a sixth of the page. Here each property
is read once and the markup is written with f-strings, every value escaped
(`_text`) as the template escaped it."""

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.formats import localize
from django.utils.safestring import SafeString

from .html import escape


def field_html(field: BoundField, classes: str = "") -> SafeString:
    widget = field.field.widget
    if isinstance(widget, forms.HiddenInput):
        value = widget.format_value(field.value())
        shown = "" if value is None else f' value="{_text(value)}"'
        return SafeString(f'<input type="hidden" name="{_text(field.html_name)}"{shown} id="{_text(field.auto_id)}">')
    parts = _Parts(field)
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)):
        body = _fieldset(field, widget, parts)
    elif isinstance(widget, forms.CheckboxInput):
        body = _checkbox(field, parts)
    else:
        body = _labelled(field, widget, parts)
    return SafeString(f'\n<div class="govuk-form-group{parts.group_error} {_text(classes)}">\n{body}\n</div>\n')


class _Parts:
    """What every kind of field writes, read once from the bound field."""

    def __init__(self, field: BoundField) -> None:
        self.id = _text(field.auto_id)
        self.help = _text(field.help_text) if field.help_text else ""
        self.errors = [_text(error) for error in field.errors]
        self.group_error = " govuk-form-group--error" if self.errors else ""
        described = (f"{self.id}-hint " if self.help else "") + (f"{self.id}-error" if self.errors else "")
        self.described_by = f' aria-describedby="{described}"' if described else ""

    def hint(self, extra_class: str = "") -> str:
        return f'<div id="{self.id}-hint" class="govuk-hint{extra_class}">{self.help}</div>' if self.help else ""

    def error_messages(self) -> str:
        return "".join(f'<p id="{self.id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
                       f'Error:</span> {error}</p>' for error in self.errors)


def _fieldset(field: BoundField, widget: forms.Widget, parts: _Parts) -> str:
    if isinstance(widget, forms.MultiWidget):
        inner, role = str(field), ' role="group"'  # the widget writes itself (complaints.fields.DateInputWidget)
    else:
        inner, role = _options(field, widget), ""
    return (f'<fieldset class="govuk-fieldset"{parts.described_by}{role}>\n'
            f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{_text(field.label)}</legend>\n'
            f'{parts.hint()}{parts.error_messages()}\n{inner}\n</fieldset>')


def _options(field: BoundField, widget: forms.Widget) -> str:
    """Radios or checkboxes, ids and ticks as Django's ChoiceWidget gives
    them (an option's id is the field's id and the option's index; a radio
    group ticks its first matching option only)."""
    radios = isinstance(widget, forms.RadioSelect)
    kind = "radios" if radios else "checkboxes"
    chosen = set(widget.format_value(field.value()))
    name, field_id = _text(field.html_name), _text(field.auto_id)
    items, ticked = [], False
    choices = list(field.field.choices)  # type: ignore[attr-defined]
    for index, (value, label) in enumerate(choices):
        value = "" if value is None else value
        tick = str(value) in chosen and not (radios and ticked)
        ticked |= tick
        option_id = f"{field_id}_{index}"
        items.append(
            f'<div class="govuk-{kind}__item">\n'
            f'<input class="govuk-{kind}__input" id="{option_id}" name="{name}" '
            f'type="{"radio" if radios else "checkbox"}" value="{_text(value)}"{" checked" if tick else ""}>\n'
            f'<label class="govuk-label govuk-{kind}__label" for="{option_id}">{_text(label)}</label>\n</div>')
    inline = " govuk-radios--inline" if radios and len(choices) <= 2 else ""
    return (f'<div class="govuk-{kind}{inline}" data-module="govuk-{kind}">\n' + "\n".join(items) + "\n</div>")


def _checkbox(field: BoundField, parts: _Parts) -> str:
    name, checked = _text(field.html_name), " checked" if field.value() else ""
    described = f' aria-describedby="{parts.id}-hint"' if parts.help else ""
    return (f'{parts.error_messages()}\n<div class="govuk-checkboxes govuk-checkboxes--small" '
            'data-module="govuk-checkboxes">\n<div class="govuk-checkboxes__item">\n'
            f'<input class="govuk-checkboxes__input" id="{parts.id}" name="{name}" type="checkbox" value="on"'
            f'{checked}{described}>\n'
            f'<label class="govuk-label govuk-checkboxes__label" for="{parts.id}">{_text(field.label)}</label>\n'
            f'{parts.hint(" govuk-checkboxes__hint")}\n</div>\n</div>')


def _labelled(field: BoundField, widget: forms.Widget, parts: _Parts) -> str:
    """A select, a textarea or a text input, with its label above."""
    label_for, name = _text(field.id_for_label), _text(field.html_name)
    error = "--error" if parts.errors else ""
    head = (f'<label class="govuk-label govuk-label--s" for="{label_for}">{_text(field.label)}</label>\n'
            f'{parts.hint()}{parts.error_messages()}\n')
    value = field.value()
    if isinstance(widget, forms.Select):
        current = str(value)  # an option is selected as the template compared them: as text
        options = "".join(f'<option value="{_text(option)}"{" selected" if str(option) == current else ""}>'
                          f'{_text(label)}</option>' for option, label in field.field.choices)  # type: ignore[attr-defined]
        error_class = f" govuk-select{error}" if error else ""
        return (f'{head}<select class="govuk-select{error_class}" id="{label_for}" name="{name}"'
                f'{parts.described_by}>\n{options}\n</select>')
    text = "" if value is None else _text(value)
    if isinstance(widget, forms.Textarea):
        rows = widget.attrs.get("rows") or 5
        error_class = f" govuk-textarea{error}" if error else ""
        return (f'{head}<textarea class="govuk-textarea{error_class}" id="{label_for}" name="{name}" '
                f'rows="{_text(rows)}"{parts.described_by}>{text}</textarea>')
    error_class = f" govuk-input{error}" if error else ""
    return (f'{head}<input class="govuk-input{error_class}" id="{label_for}" name="{name}" type="text" '
            f'value="{text}"{parts.described_by}>')


def _text(value: Any) -> str:
    """What a template's {{ value }} writes: escaped text, safe strings as
    they are, numbers and dates localized."""
    if value is None or value.__class__ is int:
        return str(value)
    return escape(value if value.__class__ is str or hasattr(value, "__html__") else localize(value))
