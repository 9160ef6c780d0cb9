from datetime import date, timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import RouteChoices, Team
from complaints.fields import EARLIEST_DATE, LATEST_DATE, GovukDateField, ascii_int
from complaints.models import ServiceRequest

from .mi import Kind, kind_q
from .models import DeadlineClock, DeadlineRule
from .selectors import BUCKETS, bucket_q


class _RuleField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: DeadlineRule) -> str:
        return obj.name  # the name people know a deadline by, not its code


class RuleFilter(django_filters.ModelChoiceFilter):
    field_class = _RuleField


class ClockFilter(django_filters.FilterSet):
    """Filters of the clock list behind every dashboard figure. The
    dashboard builds its links from the same names."""

    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All your teams")
    route = django_filters.ChoiceFilter(choices=RouteChoices.choices, empty_label="All routes")
    rule = RuleFilter(
        queryset=DeadlineRule.objects.order_by("name", "code"), to_field_name="code", empty_label="All deadlines",
        label="Deadline",
    )
    bucket = django_filters.ChoiceFilter(choices=list(BUCKETS.items()), method="filter_bucket",
                                         empty_label="Any", label="Deadlines")
    owner = django_filters.CharFilter(method="filter_owner", widget=forms.HiddenInput, label="Caseworker")
    met_week = django_filters.DateFilter(method="filter_met_week", widget=forms.HiddenInput,
                                         label="Met in the week starting")

    class Meta:
        model = DeadlineClock
        fields = ["team", "route", "rule", "bucket", "owner", "met_week"]

    def __init__(self, *args: Any, teams: QuerySet[Team], today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = teams
        self.today = today or timezone.localdate()

    def filter_bucket(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(bucket_q(value, self.today)) if value else queryset

    def filter_owner(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        owner_id = ascii_int(value)  # the dashboard links by id; anything else matches nobody
        return queryset.filter(sr__owner_id=owner_id) if owner_id is not None else queryset.none()

    def filter_met_week(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        if not EARLIEST_DATE <= value <= LATEST_DATE:  # no deadline was met then (and the week's end may not exist)
            return queryset.none()
        start = value - timedelta(days=value.weekday())
        # Up to today, as the dashboard counts.
        return queryset.filter(met_on__gte=start, met_on__lte=min(start + timedelta(days=6), self.today))


# --- MI export (issue 13) ------------------------------------------------------


class GovukDateFilter(django_filters.Filter):
    """A GOV.UK date input (day, month, year) as a filter; the MI view reads
    the date itself to cut the stages, so it does not filter the SRs."""

    field_class = GovukDateField


class MIFilter(django_filters.FilterSet):
    """The MI export's filters: a date range, the team and which SRs (ICE,
    PHSO or parliamentary contact)."""

    start = GovukDateFilter(label="From", method="filter_start",
                            help_text="Stages left on or after this date, and those not yet left")
    end = GovukDateFilter(label="To", method="filter_end", help_text="Stages entered on or before this date")
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All your teams")
    kind = django_filters.ChoiceFilter(choices=Kind.CHOICES, method="filter_kind", empty_label="ICE, PHSO and "
                                       "parliamentary contact", label="Service requests")

    class Meta:
        model = ServiceRequest
        fields = ["start", "end", "team", "kind"]

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = teams

    def filter_start(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        # An SR closed before the range has no stage in it.
        return queryset.filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=value))

    def filter_end(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(created_at__date__lte=value)

    def filter_kind(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(kind_q(value)) if value else queryset

    def clean_range(self) -> tuple[date | None, date | None]:
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        return data.get("start"), data.get("end")
