"""Working-day calendar for the three UK regions (DESIGN.md section 4).

A working day is Monday to Friday that is neither a bank holiday of the region
(the ``holidays`` package, substitute days included) nor an office closure day.

Deadlines are computed for a million clocks at a time, so nothing here walks a
calendar day by day per call. Each region's calendar is built once over a fixed
planning horizon into:

* ``working_days``  - the horizon's working days, in order
* ``last[day]``     - index in ``working_days`` of the last working day on or before ``day``
* ``first[day]``    - index in ``working_days`` of the first working day on or after ``day``

"N working days after ``day``" is then ``working_days[last[day] + N]``: two look-ups,
whatever N is. The tables are keyed by ``date`` because a dict look-up is the
cheapest way from a date to a number in Python; the bulk form uses numpy arrays of
the same tables indexed by day number.

Closure days live in the database, but this module must stay importable without
Django (the benchmark and pure tests use it), so the ``sla`` app registers a loader
with ``set_closure_loader`` and calls ``invalidate`` whenever a closure changes.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

import holidays
import numpy as np
import numpy.typing as npt

__all__ = [
    "HORIZON_END",
    "HORIZON_START",
    "LATEST_ENTRY",
    "Explanation",
    "OutsideHorizon",
    "Region",
    "add_calendar_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "add_working_days_bulk",
    "explain",
    "explain_summary",
    "invalidate",
    "is_working_day",
    "set_closure_loader",
    "working_days_between",
]


class Region(StrEnum):
    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS: dict[Region, str] = {
    Region.ENGLAND_AND_WALES: "England and Wales",
    Region.SCOTLAND: "Scotland",
    Region.NORTHERN_IRELAND: "Northern Ireland",
}

# Wales shares England's bank holidays, so E&W uses the ENG subdivision.
_SUBDIVISIONS: dict[Region, str] = {
    Region.ENGLAND_AND_WALES: "ENG",
    Region.SCOTLAND: "SCT",
    Region.NORTHERN_IRELAND: "NIR",
}

# Wide enough for historic cases and any deadline or eligibility window we will
# compute; small enough (~28k days) that the tables cost next to nothing.
HORIZON_START = date(2000, 1, 1)
HORIZON_END = date(2075, 12, 31)
# The latest date a person may give as a date to work to (a due date, an
# extension): a year inside the horizon, leaving room for what is computed
# from it (the escalation ladder, reply dates, waits).
LATEST_ENTRY = date(HORIZON_END.year - 1, 12, 31)

_BASE = HORIZON_START.toordinal()
_SIZE = HORIZON_END.toordinal() - _BASE + 1
# numpy's datetime64[D] counts days from 1970-01-01; this turns it into our offset.
_BASE_EPOCH = _BASE - date(1970, 1, 1).toordinal()

_WEEKEND_NAMES = ("Saturday", "Sunday")


class OutsideHorizon(ValueError):
    """A date (or a result) falls outside the planning horizon of the calendar."""

    def __init__(self, what: object) -> None:
        super().__init__(
            f"{what} is outside the working-day calendar's planning horizon "
            f"({HORIZON_START.isoformat()} to {HORIZON_END.isoformat()})"
        )


ClosureLoader = Callable[[], Mapping[str, Mapping[date, str]]]


@dataclass(frozen=True, slots=True)
class _RegionCalendar:
    working_days: list[date]
    last: dict[date, int]  # -1 before the horizon's first working day
    first: dict[date, int]  # len(working_days) after its last one
    # Why each non-working weekday is not a working day (holiday or closure name).
    reasons: dict[date, str]
    # numpy twins of the tables above, for the bulk form.
    np_last: npt.NDArray[np.int64]
    np_first: npt.NDArray[np.int64]
    np_working_days: npt.NDArray[np.datetime64]
    # explain_summary's sentences, dropped with the calendar when it changes.
    summaries: dict[tuple[date, date], str] = field(default_factory=dict)


_lock = threading.Lock()
_closure_loader: ClosureLoader | None = None
_closures: Mapping[str, Mapping[date, str]] | None = None
_calendars: dict[str, _RegionCalendar] = {}


def set_closure_loader(loader: ClosureLoader | None) -> ClosureLoader | None:
    """Register how to read office closures: ``{region value: {date: name}}``.

    The loader is called lazily, once per cache lifetime, not at registration, so it
    may query the database. Passing None removes closures altogether. Returns the
    loader it replaces, so a test can put it back.
    """
    global _closure_loader
    with _lock:
        previous, _closure_loader = _closure_loader, loader
    invalidate()
    return previous


def invalidate() -> None:
    """Drop every cached calendar; the next call rebuilds with fresh closures.

    Only this process's cache is dropped: other processes rebuild when they call it.
    """
    global _calendars, _closures
    with _lock:
        # Rebinding (not clearing) keeps a concurrent reader on a consistent old dict.
        _calendars = {}
        _closures = None


def _holiday_names(region: Region) -> dict[date, str]:
    observed = holidays.UnitedKingdom(
        subdiv=_SUBDIVISIONS[region],
        years=range(HORIZON_START.year, HORIZON_END.year + 1),
        observed=True,
    )
    # The package labels substitute days "Boxing Day (observed)"; gov.uk and
    # caseworkers say "Boxing Day (substitute day)".
    return {day: name.replace("(observed)", "(substitute day)") for day, name in observed.items()}


@functools.cache
def _horizon_days() -> list[date]:
    # One set of date objects shared by every region's tables (and rebuilds).
    return [date.fromordinal(o) for o in range(_BASE, _BASE + _SIZE)]


def _build(region: str) -> _RegionCalendar:
    global _closures
    region = Region(region)  # a clear ValueError for an unknown region
    with _lock:
        cached = _calendars.get(region)
        if cached is not None:
            return cached
        if _closures is None:
            _closures = _closure_loader() if _closure_loader is not None else {}
        closures = _closures.get(region.value, {})

        reasons: dict[date, str] = {}
        for day, name in closures.items():
            reasons[day] = f"Office closure: {name}"
        # A bank holiday is the better-known reason when both apply.
        reasons.update(_holiday_names(region))
        reasons = {
            day: why
            for day, why in reasons.items()
            if HORIZON_START <= day <= HORIZON_END and day.weekday() < 5
        }

        offsets = np.arange(_SIZE, dtype=np.int64)
        # Same as date.weekday(): Monday=0 .. Sunday=6.
        weekday = (offsets + _BASE - 1) % 7
        working = weekday < 5
        closed = np.fromiter((day.toordinal() - _BASE for day in reasons), dtype=np.int64, count=len(reasons))
        working[closed] = False

        # cumsum counts working days on or before each day; minus one makes it an index.
        np_last = np.cumsum(working, dtype=np.int64) - 1
        # On a working day first == last; on any other day it is the next one along.
        np_first = np_last + np.logical_not(working)
        working_offsets = np.flatnonzero(working)
        np_working_days = (working_offsets + _BASE_EPOCH).astype("datetime64[D]")
        horizon = _horizon_days()
        built = _RegionCalendar(
            working_days=[horizon[o] for o in working_offsets.tolist()],
            last=dict(zip(horizon, np_last.tolist(), strict=True)),
            first=dict(zip(horizon, np_first.tolist(), strict=True)),
            reasons=reasons,
            np_last=np_last,
            np_first=np_first,
            np_working_days=np_working_days,
        )
        _calendars[region] = built
        return built


def _calendar(region: str) -> _RegionCalendar:
    return _calendars.get(region) or _build(region)


def _outside(day: date, what: object | None = None) -> Exception:
    # The tables are keyed by date, and a datetime never equals a date, so a datetime
    # lands here too: say so rather than blame the horizon.
    if isinstance(day, datetime):
        return TypeError(f"expected a date, got the datetime {day!r}")
    return OutsideHorizon(what if what is not None else day)


def _get(table: dict[date, int], day: date) -> int:
    try:
        return table[day]
    except KeyError:
        raise _outside(day) from None


def add_working_days(start: date, days: int, region: str = Region.ENGLAND_AND_WALES) -> date:
    """The Nth working day strictly after ``start`` (which is day 0 even if not a working day).

    ``days=0`` returns ``start``; a negative N counts back to the Nth working day
    strictly before ``start``.
    """
    # Called a million times by the deadline jobs: kept inline, with no helper calls
    # or string formatting on the happy path.
    try:
        cal = _calendars[region]
    except KeyError:
        cal = _build(region)
    try:
        if days > 0:
            # last >= -1, so the index is never negative; too far raises IndexError.
            return cal.working_days[cal.last[start] + days]
        if days < 0:
            k = cal.first[start] + days
            if k >= 0:  # a negative index would silently wrap round the list
                return cal.working_days[k]
        elif start in cal.last:  # days == 0: still refuse a start outside the horizon
            return start
    except (KeyError, IndexError):
        pass
    raise _outside(start, f"{days} working days from {start}")


def _on_or_after(day: date, region: str) -> date:
    cal = _calendar(region)
    try:
        return cal.working_days[_get(cal.first, day)]
    except IndexError:
        raise OutsideHorizon(f"the first working day on or after {day}") from None


def add_weeks(start: date, weeks: int, region: str = Region.ENGLAND_AND_WALES) -> date:
    """``start`` + 7N calendar days, moved forward to the next working day if need be."""
    return _on_or_after(start + timedelta(weeks=weeks), region)


def add_calendar_days(start: date, days: int, region: str = Region.ENGLAND_AND_WALES) -> date:
    """``start`` + N calendar days (a client's wait), moved forward to the next working day."""
    return _on_or_after(start + timedelta(days=days), region)


def add_months(start: date, months: int) -> date:
    """Calendar months, clipped to the end of a shorter month (31 Aug + 6 = 28/29 Feb).

    Eligibility windows are plain calendar arithmetic, so no region and no rolling.
    """
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))


def is_working_day(day: date, region: str = Region.ENGLAND_AND_WALES) -> bool:
    cal = _calendar(region)
    return _get(cal.last, day) == cal.first[day]


def working_days_between(start: date, end: date, region: str = Region.ENGLAND_AND_WALES) -> int:
    """Working days in (start, end]; minus the count in (end, start] when end < start.

    So ``working_days_between(d, add_working_days(d, n)) == n`` for any n >= 0.
    """
    cal = _calendar(region)
    return _get(cal.last, end) - _get(cal.last, start)


def add_working_days_bulk(
    starts: npt.ArrayLike | Sequence[date],
    days: int | npt.ArrayLike,
    region: str = Region.ENGLAND_AND_WALES,
) -> npt.NDArray[np.datetime64]:
    """Vectorised ``add_working_days``: same semantics, datetime64[D] in and out."""
    cal = _calendar(region)
    start_days = np.asarray(starts, dtype="datetime64[D]")
    n = np.asarray(days, dtype=np.int64)
    i = start_days.view(np.int64) - _BASE_EPOCH
    if i.size and (i.min() < 0 or i.max() >= _SIZE):
        bad = start_days[(i < 0) | (i >= _SIZE)].flat[0]
        raise OutsideHorizon(bad)
    if not i.size:
        return start_days.copy()

    # Only negative days need the "first" table. days=0 goes through "last" too (an
    # index of -1 at worst, harmless) and is then replaced by the start itself.
    if n.min() >= 0:
        k = cal.np_last[i] + n
    else:
        k = np.where(n < 0, cal.np_first[i], cal.np_last[i]) + n
    # k = -1 is harmless for days=0 (it is replaced below); anything else out of
    # range is a result beyond the horizon.
    if k.max() >= len(cal.np_working_days) or (k.min() < 0 and np.any((k < 0) & (n != 0))):
        raise OutsideHorizon("a result of add_working_days_bulk")
    return np.where(n == 0, start_days, cal.np_working_days[k])


@dataclass(frozen=True, slots=True)
class Explanation:
    start: date
    due: date
    region: Region
    working_days: int
    # Non-working days strictly between start and due, with why each was skipped.
    skipped: list[tuple[date, str]]

    def summary(self) -> str:
        """E.g. "Due Thu 31 Dec 2026: 3 working days after Thu 24 Dec 2026 (England and
        Wales). Skipped 2 weekend days, Christmas Day on Fri 25 Dec 2026 and ..."."""
        weekend = sum(1 for _, why in self.skipped if why in _WEEKEND_NAMES)
        parts = [f"{weekend} weekend {'day' if weekend == 1 else 'days'}"] if weekend else []
        parts += [f"{why} on {_fmt(day)}" for day, why in self.skipped if why not in _WEEKEND_NAMES]
        count = abs(self.working_days)
        sentence = (
            f"Due {_fmt(self.due)}: {count} working {'day' if count == 1 else 'days'} "
            f"{'before' if self.working_days < 0 else 'after'} {_fmt(self.start)} ({self.region.label})."
        )
        if parts:
            listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
            sentence += f" Skipped {listed}."
        return sentence


def _fmt(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


_SUMMARIES_KEPT = 20_000  # per region: a few MB at most


def explain_summary(start: date, due: date, region: str = Region.ENGLAND_AND_WALES) -> str:
    """``explain(start, due, region).summary()``, remembered with the region's
    calendar (and dropped with it when closures change): the case page
    explains every deadline of the SR on every view, walking each window day
    by day, and deadlines share their start and due dates."""
    kept = _calendar(region).summaries
    text = kept.get((start, due))
    if text is None:
        text = explain(start, due, region).summary()
        if len(kept) >= _SUMMARIES_KEPT:
            kept.clear()
        kept[(start, due)] = text
    return text


def explain(start: date, due: date, region: str = Region.ENGLAND_AND_WALES) -> Explanation:
    """Why ``due`` is where it is: the non-working days skipped between start and due.

    Only for display, so walking the (short) window day by day is fine here.
    """
    cal = _calendar(region)
    first, last = sorted((start, due))
    skipped: list[tuple[date, str]] = []
    # Refuse dates outside the horizon up front, as everywhere else.
    _get(cal.last, first)
    _get(cal.last, last)
    for ordinal in range(first.toordinal() + 1, last.toordinal()):
        day = date.fromordinal(ordinal)
        if cal.last[day] != cal.first[day]:
            why = _WEEKEND_NAMES[day.weekday() - 5] if day.weekday() >= 5 else cal.reasons[day]
            skipped.append((day, why))
    return Explanation(
        start=start,
        due=due,
        region=Region(region),
        working_days=working_days_between(start, due, region),
        skipped=skipped,
    )
