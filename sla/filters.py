from datetime import date, timedelta

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import RouteChoices, Team

from .models import DeadlineClock, DeadlineRule
from .selectors import BUCKETS, bucket_q


class ClockFilter(django_filters.FilterSet):
    """Filters of the clock list behind every dashboard figure. The
    dashboard builds its links from the same names."""

    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), empty_label="All your teams")
    route = django_filters.ChoiceFilter(choices=RouteChoices.choices, empty_label="All routes")
    rule = django_filters.ModelChoiceFilter(
        queryset=DeadlineRule.objects.all(), to_field_name="code", empty_label="All rules"
    )
    bucket = django_filters.ChoiceFilter(choices=list(BUCKETS.items()), method="filter_bucket",
                                         empty_label="Any", label="Deadlines")
    owner = django_filters.NumberFilter(field_name="sr__owner_id", widget=forms.HiddenInput, label="Caseworker")
    met_week = django_filters.DateFilter(method="filter_met_week", widget=forms.HiddenInput,
                                         label="Met in the week starting")

    class Meta:
        model = DeadlineClock
        fields = ["team", "route", "rule", "bucket", "owner", "met_week"]

    def __init__(self, *args, teams: QuerySet[Team], today: date | None = None, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = teams
        self.today = today or timezone.localdate()

    def filter_bucket(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(bucket_q(value, self.today)) if value else queryset

    def filter_met_week(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        start = value - timedelta(days=value.weekday())
        # Up to today, as the dashboard counts.
        return queryset.filter(met_on__gte=start, met_on__lte=min(start + timedelta(days=6), self.today))
