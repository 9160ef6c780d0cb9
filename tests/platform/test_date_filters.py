"""The date filters of hot templates write what Django's |date wrote."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template

from complaints.templatetags.govuk import day_month, short_day, short_when

MOMENTS = [
    datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # British Summer Time: the next day in the UK
    datetime(2026, 12, 31, 9, 5, tzinfo=UTC),
    datetime(2027, 3, 28, 0, 59, tzinfo=UTC),  # the hour the clocks go forward
]
DAYS = [date(2026, 1, 5), date(2026, 9, 30), date(2027, 12, 1)]


def date_filter(value: object, format_: str) -> str:
    """|date in a template, which shows a moment in the current (UK) time."""
    return Template(f'{{{{ value|date:"{format_}" }}}}').render(Context({"value": value}))


@pytest.mark.parametrize("value", MOMENTS)
def test_moments_as_date_wrote_them_in_uk_time(value: datetime) -> None:
    assert short_when(value) == date_filter(value, "j M Y H:i")
    assert short_day(value) == date_filter(value, "j M Y")


@pytest.mark.parametrize("value", DAYS)
def test_days_as_date_wrote_them(value: date) -> None:
    assert short_day(value) == date_filter(value, "j M Y")
    assert day_month(value) == date_filter(value, "j M")


def test_nothing_is_written_for_no_date() -> None:
    assert short_day(None) == short_when(None) == day_month(None) == "" == date_filter(None, "j M Y")
