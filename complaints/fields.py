"""A GOV.UK date input (day, month, year boxes) as a Django form field."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError


class DateInputWidget(forms.MultiWidget):
    template_name = "govuk/widgets/date_input.html"

    def __init__(self, attrs=None):  # type: ignore[no-untyped-def]
        widgets = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-2"}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-date-input__input govuk-input--width-4"}),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name, value, attrs):  # type: ignore[no-untyped-def]
        # Django numbers sub-widget ids (_0, _1, _2) but names them by key
        # (_day, _month, _year); GOV.UK links errors to "<id>_day", so the
        # ids follow the names.
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id")
        if base_id:
            for suffix, sub in zip(("day", "month", "year"), context["widget"]["subwidgets"], strict=True):
                sub["attrs"]["id"] = f"{base_id}_{suffix}"
        return context

    def id_for_label(self, id_):  # type: ignore[no-untyped-def]
        return f"{id_}_day" if id_ else id_

    def decompress(self, value):  # type: ignore[no-untyped-def]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = DateInputWidget

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):  # type: ignore[no-untyped-def]
        if not data_list or not any(data_list):
            if self.required:
                raise ValidationError(f"Enter the {self.label.lower() if self.label else 'date'}")
            return None
        day, month, year = (str(v or "").strip() for v in data_list)
        missing = [name for name, v in (("day", day), ("month", month), ("year", year)) if not v]
        if missing:
            raise ValidationError(f"The date must include a {' and '.join(missing)}")
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValidationError("Enter a real date, for example 27 3 2026")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError("Enter a real date, for example 27 3 2026") from None
