"""Factories for the sla models. Rules come from the data migration, so a
clock names its rule by code."""

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from sla import calendar
from sla.counts import apply, tally
from sla.models import (
    ClosureDay,
    CountKind,
    DeadlineClock,
    DeadlineCount,
    DeadlineRule,
    OwnerDeadlineCount,
    ScanRun,
    Task,
    TaskKind,
)
from sla.scan import Bounds
from sla.services import compute_due_for, keep_next_due
from tests.factories import ServiceRequestFactory, TeamFactory, UserFactory


def rule(code: str) -> DeadlineRule:
    return DeadlineRule.objects.get(code=code)


class DeadlineClockFactory(factory.django.DjangoModelFactory):
    """A running clock written straight to the table, its due date computed
    from the rule and the client's region (pass due_on to pin it)."""

    class Meta:
        model = DeadlineClock
        exclude = ["rule_code"]
        skip_postgeneration_save = True

    rule_code = "resolution.response"
    sr = factory.SubFactory(ServiceRequestFactory)
    rule = factory.LazyAttribute(lambda o: DeadlineRule.objects.get(code=o.rule_code))
    route = factory.LazyAttribute(lambda o: o.sr.route)
    team = factory.LazyAttribute(lambda o: o.sr.team)
    owner = factory.LazyAttribute(lambda o: o.sr.owner)
    region = factory.LazyAttribute(lambda o: o.sr.client.region)
    started_on = date(2026, 11, 2)
    length = factory.LazyAttribute(lambda o: o.rule.length)
    unit = factory.LazyAttribute(lambda o: o.rule.unit)
    due_on = factory.LazyAttribute(lambda o: compute_due_for(o.unit, o.started_on, o.region, o.length))
    original_due_on = factory.LazyAttribute(lambda o: o.due_on)
    created_at = factory.LazyFunction(timezone.now)
    # What start_clock writes: the scan looks at a new clock on its next run.
    next_check_on = factory.LazyAttribute(
        lambda o: o.started_on if getattr(o, "met_on", None) is None and getattr(o, "cancelled_at", None) is None
        else None)

    @factory.post_generation
    def next_due(self, create: Any, extracted: Any, **kwargs: Any):
        """The SR's stored next deadline and the kept counts, as the clock
        services keep them."""
        if create:
            keep_next_due(self.sr)
            apply(tally([self.pk]))


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    key = factory.Sequence(lambda n: f"test:{n}")
    sr = factory.SubFactory(ServiceRequestFactory)
    kind = TaskKind.ACTION
    title = factory.Sequence(lambda n: f"Do step {n}")
    team = factory.LazyAttribute(lambda o: o.sr.team)
    due_on = date(2026, 12, 1)
    created_at = factory.LazyFunction(timezone.now)


class ClosureDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosureDay

    region = calendar.Region.ENGLAND_AND_WALES.value
    date = date(2027, 5, 5)
    name = "Office move"


class DeadlineCountFactory(factory.django.DjangoModelFactory):
    """A kept count written straight to the table (the services keep the real
    ones from the clocks: sla.counts)."""

    class Meta:
        model = DeadlineCount

    team = factory.SubFactory(TeamFactory)
    kind = CountKind.DUE
    day = date(2027, 1, 13)
    rule = factory.LazyFunction(lambda: DeadlineRule.objects.get(code="resolution.response"))
    route = factory.LazyAttribute(lambda o: o.team.route)
    n = 1


class OwnerDeadlineCountFactory(factory.django.DjangoModelFactory):
    """A kept count per owner written straight to the table (see above)."""

    class Meta:
        model = OwnerDeadlineCount

    team = factory.SubFactory(TeamFactory)
    owner = factory.SubFactory(UserFactory)
    day = date(2027, 1, 13)
    route = factory.LazyAttribute(lambda o: o.team.route)
    n = 1


class ScanRunFactory(factory.django.DjangoModelFactory):
    """A deadline scan that ran on a day, with the bounds it used."""

    class Meta:
        model = ScanRun

    day = factory.Sequence(lambda n: date(2026, 12, 1) + timedelta(days=n))
    bounds = factory.LazyAttribute(lambda o: Bounds.of(o.day).as_json())
    finished_at = factory.LazyFunction(timezone.now)
