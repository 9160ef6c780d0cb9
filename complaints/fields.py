"""A GOV.UK date input (day, month, year boxes) as a Django form field, and
the parsing of ids and numbers typed into addresses and forms."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.safestring import SafeString

from workdays.calendar import HORIZON_START, LATEST_ENTRY

# The dates a user may enter anywhere: what the working-day calendar can
# compute with (its planning horizon, less a year at the end for what is
# computed from a date entered). A date outside it would make every page
# that shows the SR's deadlines fail.
EARLIEST_DATE = HORIZON_START
LATEST_DATE = LATEST_ENTRY

DateBound = date | Callable[[], date]


def today() -> date:
    """Today in Europe/London: a bound that moves with the calendar."""
    return timezone.localdate()


def ascii_int(text: object, *, max_digits: int = 18) -> int | None:
    """The whole number written in `text` with the digits 0-9 only, or None.
    str.isdigit() also accepts '²' (int() then fails) and '٣' (int() reads
    3); a number too long for a database id is not one either."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > max_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


class DateInputWidget(forms.MultiWidget):
    """GOV.UK's date input: day, month and year boxes, each labelled."""

    LABELS = ("Day", "Month", "Year")

    def __init__(self, attrs: Any = None):
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        """Written here, not through a widget template (Django's form
        renderer cost a form page more than the rest of its fields). Django
        numbers sub-widget ids (_0, _1, _2) but names them by key (_day,
        _month, _year); GOV.UK links errors to "<id>_day", so the ids follow
        the names."""
        parts = [*(value if isinstance(value, list | tuple) else self.decompress(value)), None, None, None][:3]
        base_id = escape(str((attrs or {}).get("id") or self.attrs.get("id") or ""))
        items = []
        names = self.widgets_names  # type: ignore[attr-defined]  # set by MultiWidget, not in django-stubs
        for suffix, widget, label, part in zip(names, self.widgets, self.LABELS, parts, strict=True):
            sub_id = f"{base_id}{suffix}" if base_id else ""
            text = "" if part in ("", None) else escape(str(part))
            items.append(
                '<div class="govuk-date-input__item">\n<div class="govuk-form-group">\n'
                f'<label class="govuk-label govuk-date-input__label" for="{sub_id}">{label}</label>\n'
                f'<input class="{escape(widget.attrs["class"])}" id="{sub_id}" name="{escape(name + suffix)}" '
                f'type="text" inputmode="numeric" value="{text}">\n</div>\n</div>')
        return SafeString(f'<div class="govuk-date-input" id="{base_id}">\n' + "\n".join(items) + "\n</div>")

    def id_for_label(self, id_: Any) -> str:
        return f"{id_}_day" if id_ else id_

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """Day, month and year, with the GOV.UK date input's error messages
    ("Date received must be a real date"), one per field. `earliest` and
    `latest` (a date, or a callable such as `today`) narrow the range every
    date field has anyway: EARLIEST_DATE to LATEST_DATE."""

    widget = DateInputWidget

    def __init__(self, *, earliest: DateBound | None = None, latest: DateBound | None = None,
                 **kwargs: Any) -> None:
        # Parts are checked together in compress(), for one message per date.
        fields = (forms.CharField(required=False), forms.CharField(required=False), forms.CharField(required=False))
        super().__init__(fields=fields, require_all_fields=False, **kwargs)
        self.earliest = earliest
        self.latest = latest
        # Django's own "This field is required." when every box is empty.
        self.error_messages["required"] = f"Enter the {self._name_in_sentence}"

    @property
    def _name(self) -> str:
        return str(self.label) if self.label else "The date"

    @property
    def _name_in_sentence(self) -> str:
        name = self._name
        return name[:1].lower() + name[1:]

    def compress(self, data_list: Any) -> Any:
        if not data_list or not any(data_list):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"{self._name} must include a {' and '.join(missing)}", code="incomplete")
        d, m, y = ascii_int(day, max_digits=2), ascii_int(month, max_digits=2), ascii_int(year, max_digits=4)
        if d is None or m is None or y is None or len(year) != 4:
            raise ValidationError(f"{self._name} must be a real date", code="invalid")
        try:
            value = date(y, m, d)
        except ValueError:
            raise ValidationError(f"{self._name} must be a real date", code="invalid") from None
        self._check_range(value)
        return value

    def _check_range(self, value: date) -> None:
        earliest = self._bound(self.earliest, EARLIEST_DATE, max)
        latest = self._bound(self.latest, LATEST_DATE, min)
        if value < earliest:
            if self.earliest is today:
                raise ValidationError(f"{self._name} must be today or in the future", code="too_early")
            raise ValidationError(f"{self._name} must be the same as or after {_long_date(earliest)}",
                                  code="too_early")
        if value > latest:
            if self.latest is today:
                raise ValidationError(f"{self._name} must be today or in the past", code="too_late")
            raise ValidationError(f"{self._name} must be the same as or before {_long_date(latest)}",
                                  code="too_late")

    @staticmethod
    def _bound(bound: DateBound | None, limit: date, pick: Callable[[date, date], date]) -> date:
        if bound is None:
            return limit
        return pick(bound() if callable(bound) else bound, limit)


def _refuse_non_ascii(field: forms.Field, value: Any) -> None:
    # Django's number fields read '٣' as 3 and '١٢' as 12.
    if isinstance(value, str) and not value.isascii():
        raise ValidationError(field.error_messages["invalid"], code="invalid")


class NumberField(forms.IntegerField):
    """A whole number typed with the digits 0-9."""

    def to_python(self, value: Any) -> int | None:
        _refuse_non_ascii(self, value)
        return super().to_python(value)


class AmountField(forms.DecimalField):
    """Pounds and pence typed with the digits 0-9."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # django-stubs types DecimalField as an IntegerField
        _refuse_non_ascii(self, value)
        return super().to_python(value)


class RowChoiceField(forms.ModelChoiceField):
    """A choice of rows posted by id: the digits 0-9 only ('٣' would
    otherwise choose row 3)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and ascii_int(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class RowsChoiceField(forms.ModelMultipleChoiceField):
    """Rows ticked, posted by id: the digits 0-9 only, and no more of them
    than an id has (a longer number would overflow the database's integer)."""

    def clean(self, value: Any) -> Any:
        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        if any(ascii_int(str(v)) is None for v in values):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                  params={"value": ""})
        return super().clean(value)


def _label(field: forms.Field, name: str) -> str:
    return str(field.label or name.replace("_", " ").capitalize()).rstrip("?:")


def _in_sentence(label: str) -> str:
    return label[:1].lower() + label[1:] if not label[1:2].isupper() else label


def govuk_error_messages(fields: dict[str, forms.Field]) -> None:
    """One clear message per field in the GOV.UK style where a form has not
    written its own, instead of Django's ("This field is required.",
    "Ensure this value has at most 200 characters (it has 5000).", "Select
    a valid choice. … is not one of the available choices.")."""
    for name, field in fields.items():
        label = _label(field, name)
        defaults: dict[str, object] = {}
        for klass in reversed(type(field).__mro__):
            defaults.update(getattr(klass, "default_error_messages", {}))
        messages = field.error_messages

        def unset(code: str, messages: dict = messages, defaults: dict = defaults) -> bool:
            return code not in messages or messages[code] == defaults.get(code)

        choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
        if unset("required") and not isinstance(field, GovukDateField):
            messages["required"] = f"{'Choose' if choosing else 'Enter'} {_in_sentence(label)}"
        if unset("invalid_choice"):
            messages["invalid_choice"] = f"Choose {_in_sentence(label)} from the list"
        max_length = getattr(field, "max_length", None)
        if max_length and unset("max_length"):
            messages["max_length"] = f"{label} must be {max_length:,} characters or fewer"
        if isinstance(field, forms.IntegerField | forms.DecimalField):
            if unset("invalid"):
                messages["invalid"] = f"{label} must be a number"
            for code in ("max_digits", "max_whole_digits", "max_value"):
                if unset(code) and getattr(field, "max_value", None) is not None:
                    messages[code] = f"{label} must be {field.max_value:,} or less"


class GovukForm(forms.Form):
    """A form whose fields speak GOV.UK when they fail (govuk_error_messages).

    The messages are written once per form class, into the fields every form
    of it copies (Form.__init__ copies each field with its messages), not
    for each form: the case page builds four forms on every view."""

    _govuk_messages_written: ClassVar[bool] = False  # set on each form class itself

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if not cls.__dict__.get("_govuk_messages_written"):
            govuk_error_messages(cls.base_fields)
            cls._govuk_messages_written = True
        super().__init__(*args, **kwargs)
