"""How dates and deadlines read on pages, in CSVs and banners (UI.md):
"Thu 31 Dec 2026", "due Thu 31 Dec 2026 — 2 working days left"."""

from datetime import date
from functools import lru_cache

from . import calendar


@lru_cache(maxsize=4096)  # lists show the same few hundred dates over and over
def fmt_day(day: date) -> str:
    """"Thu 31 Dec 2026", as tables and deadline sentences show dates."""
    return f"{day:%a} {day.day} {day:%b %Y}"


@lru_cache(maxsize=4096)
def fmt_date(day: date) -> str:
    """"31 Dec 2026", as lists, CSVs and change records show a date."""
    return f"{day.day} {day:%b %Y}"


def days_between(start: date, end: date, region: str) -> int | None:
    """Working days in (start, end], or None if the calendar cannot count
    them: a date outside its horizon. Dates people enter are kept inside it,
    but pages must not fail on one stored before that was checked."""
    try:
        return calendar.working_days_between(start, end, region)
    except calendar.OutsideHorizon:
        return None


def days_phrase(n: int) -> str:
    return f"{n} working day{'' if n == 1 else 's'}"


def left_phrase(left: int) -> str:
    """"2 working days left", or "3 working days overdue" when negative."""
    return f"{days_phrase(left)} left" if left >= 0 else f"{days_phrase(-left)} overdue"


def deadline_text(due_on: date, today: date, region: str) -> str:
    """"due Thu 31 Dec 2026 — 2 working days left" (UI.md), for running clocks."""
    if due_on == today:
        return f"due today, {fmt_day(due_on)}"
    days = days_between(today, due_on, region)
    if days is None:
        return f"due {fmt_day(due_on)}" if due_on > today else f"was due {fmt_day(due_on)}"
    left = left_phrase(days)
    return f"due {fmt_day(due_on)} — {left}" if due_on > today else f"was due {fmt_day(due_on)} — {left}"
