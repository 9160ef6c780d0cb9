from typing import Any, ClassVar

import django_filters
from django import forms

from accounts.models import Region

from .copied import CopiedPerInstance
from .models import Route, ServiceRequest
from .selectors import all_statuses, states_with_status


class _FiltersCopied(CopiedPerInstance):
    """A filter's copy keeps its own options (extra: a list's statuses) and
    calls its method on its own filter set (parent), not the class's."""

    @staticmethod
    def copy_template(template: Any) -> Any:
        copied = CopiedPerInstance.copy_template(template)
        copied.extra = dict(template.extra)
        if template.method is not None:
            copied.method = template.method  # a new FilterMethod bound to the copy
        return copied


class ServiceRequestFilter(django_filters.FilterSet):
    route = django_filters.ChoiceFilter(choices=Route.choices, empty_label="Any route",
                                        widget=forms.Select(attrs={"class": "govuk-select"}))
    status = django_filters.ChoiceFilter(method="filter_status", label="Status", empty_label="Any status",
                                         widget=forms.Select(attrs={"class": "govuk-select"}))
    region = django_filters.ChoiceFilter(field_name="client__region", choices=Region.choices, label="Region",
                                         empty_label="Any region", widget=forms.Select(attrs={"class": "govuk-select"}))

    class Meta:
        model = ServiceRequest
        fields = ["route", "status", "region"]

    def __init__(self, *args: Any, statuses: list[str] | None = None, **kwargs: Any):
        """`statuses`: the Status labels the list can hold (default: all). A
        list that holds one kind only (Team queue: Pending Assignment) gets
        no status filter."""
        super().__init__(*args, **kwargs)
        statuses = all_statuses() if statuses is None else statuses
        if len(statuses) > 1:
            self.filters["status"].extra["choices"] = [(s, s) for s in statuses]
        else:
            del self.filters["status"]
        self._form_key = (type(self), *self.filters, *statuses)

    # django-filter builds a new form class, with a field per filter, for
    # every filter set: the same class for the same filters and statuses, so
    # built once for each (its fields are templates every form copies).
    _form_classes: ClassVar[dict[tuple[Any, ...], type[forms.Form]]] = {}

    def get_form_class(self) -> type[forms.Form]:
        form_class = self._form_classes.get(self._form_key)
        if form_class is None:
            form_class = self._form_classes[self._form_key] = super().get_form_class()
            # A filter form only shows and cleans its fields, never changes
            # them: each form copies them one level deep (complaints.copied).
            form_class.base_fields = CopiedPerInstance(form_class.base_fields)
        return form_class

    def filter_status(self, queryset: Any, name: str, value: Any) -> Any:
        # Status is derived from (route, state), so filter on those.
        return queryset.filter(states_with_status(value))


# After the class is made: django-filter's metaclass sets base_filters then.
ServiceRequestFilter.base_filters = _FiltersCopied(ServiceRequestFilter.base_filters)
