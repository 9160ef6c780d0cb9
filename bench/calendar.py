"""Benchmark for sla.calendar (DESIGN.md section 9): run ``python -m bench.calendar``.

Targets: scalar ``add_working_days`` >= 50x faster than a day-by-day loop over a
``holidays`` object, and ``add_working_days_bulk`` within 2x of
``numpy.busday_offset``. Needs no Django. Every comparison also checks results are
identical, and exits non-zero if they are not.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Set
from datetime import date, timedelta
from typing import TypeVar, cast

import holidays
import numpy as np
import numpy.typing as npt

from sla import calendar as cal
from sla.calendar import Region, add_working_days, add_working_days_bulk

CALLS = 1_000_000
NAIVE_SAMPLE = 20_000
SEED = 20261224
FIRST, LAST = date(2026, 1, 1), date(2030, 12, 31)
MAX_DAYS = 30
REPEATS = 7
SCALAR_ROUNDS = 7
SUBDIV = {Region.ENGLAND_AND_WALES: "ENG", Region.SCOTLAND: "SCT", Region.NORTHERN_IRELAND: "NIR"}
# Results reach up to ~6 weeks past 2030; a margin year keeps the holiday lists complete.
YEARS = range(FIRST.year, LAST.year + 2)
ONE_DAY = timedelta(days=1)
T = TypeVar("T")


def fail(message: str) -> None:
    print(f"FAIL {message}")
    sys.exit(1)


def naive_add_working_days(
    start: date, days: int, bank_holidays: holidays.HolidayBase, closures: Set[date]
) -> date:
    # The obvious implementation the calendar has to beat: walk day by day, testing
    # each day against the spec's definition of a working day.
    day, counted = start, 0
    while counted < days:
        day += ONE_DAY
        if day.weekday() < 5 and day not in bank_holidays and day not in closures:
            counted += 1
    return day


def best_of(fn: Callable[[], T], repeats: int = REPEATS) -> tuple[float, T]:
    """Fastest of ``repeats`` runs, and the last run's result.

    The previous result is dropped before the clock starts: freeing a million-row
    list is not part of the work being measured.
    """
    best, result = float("inf"), None
    for _ in range(repeats):
        result = None
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, cast(T, result)


def main() -> None:
    rng = random.Random(SEED)
    span = (LAST - FIRST).days
    regions = list(Region)
    starts = [FIRST + timedelta(days=rng.randrange(span + 1)) for _ in range(CALLS)]
    days = [rng.randrange(MAX_DAYS + 1) for _ in range(CALLS)]
    where = [rng.choice(regions) for _ in range(CALLS)]
    print(f"inputs: {CALLS:,} calls, starts {FIRST}..{LAST}, days 0..{MAX_DAYS}, 3 regions, seed {SEED}")

    # Building the tables is a one-off per process (and after invalidate()); time it apart.
    cal.set_closure_loader(None)
    t0 = time.perf_counter()
    for region in regions:
        add_working_days(FIRST, 1, region)
    print(
        f"build: 3 region tables (horizon {cal.HORIZON_START}..{cal.HORIZON_END}) in {time.perf_counter() - t0:.3f} s"
    )

    # (a) scalar: 1,000,000 calls vs a day-by-day loop over holidays objects. Both are
    # driven by map() so the harness adds as little as possible to either side, and
    # timed in alternating rounds keeping each one's fastest: a noisy neighbour on a
    # shared machine then slows both alike instead of deciding the ratio.
    bank = {r: holidays.UnitedKingdom(subdiv=SUBDIV[r], years=YEARS, observed=True) for r in regions}
    no_closures: frozenset[date] = frozenset()  # as for ours: no closure loader is set
    # The naive side is handed its holidays object directly (no per-call look-up by
    # region, which ours does): if anything that flatters the baseline.
    naive_args = (
        starts[:NAIVE_SAMPLE],
        days[:NAIVE_SAMPLE],
        [bank[r] for r in where[:NAIVE_SAMPLE]],
        [no_closures] * NAIVE_SAMPLE,
    )
    ours_total = naive_total = float("inf")
    for _ in range(SCALAR_ROUNDS):
        t, ours = best_of(lambda: list(map(add_working_days, starts, days, where)), 1)
        ours_total = min(ours_total, t)
        t, naive = best_of(lambda: list(map(naive_add_working_days, *naive_args)), 1)
        naive_total = min(naive_total, t)
    ours_per_call = ours_total / CALLS
    naive_per_call = naive_total / NAIVE_SAMPLE
    mismatches = sum(naive[i] != ours[i] for i in range(NAIVE_SAMPLE))
    if mismatches:
        fail(f"scalar results differ from the naive loop in {mismatches} of {NAIVE_SAMPLE} calls")
    speedup = naive_per_call / ours_per_call
    print(
        f"scalar: ours {ours_total:.3f} s for {CALLS:,} calls = {ours_per_call * 1e9:.0f} ns/call; "
        f"naive day-by-day loop {naive_per_call * 1e9:.0f} ns/call (timed on {NAIVE_SAMPLE:,} calls, "
        f"results identical); speedup {speedup:.1f}x; best of {SCALAR_ROUNDS} alternating rounds"
    )

    # (b) bulk vs numpy.busday_offset, per region, with the same bank holidays.
    # busday_offset first *rolls* a non-working start, then counts. roll='backward'
    # moves it to the previous working day p; there are no working days in (p, start],
    # so "N busdays after p" is our "Nth working day strictly after start" for N > 0.
    # Our day 0 is the start itself, so numpy needs a where() to match; that is the
    # equivalent formulation timed. Raw busday_offset alone is reported too.
    starts_np = np.array(starts, dtype="datetime64[D]")
    days_np = np.array(days, dtype=np.int64)
    where_np = np.array([r.value for r in where])
    groups: list[tuple[Region, npt.NDArray[np.datetime64], npt.NDArray[np.int64], np.busdaycalendar]] = []
    for region in regions:
        mask = where_np == region.value
        busdaycal = np.busdaycalendar(
            weekmask="1111100", holidays=np.array(sorted(bank[region]), dtype="datetime64[D]")
        )
        groups.append((region, starts_np[mask], days_np[mask], busdaycal))

    def run_ours() -> list[npt.NDArray[np.datetime64]]:
        return [add_working_days_bulk(s, n, r) for r, s, n, _ in groups]

    def run_numpy() -> list[npt.NDArray[np.datetime64]]:
        return [
            np.where(n == 0, s, np.busday_offset(s, n, roll="backward", busdaycal=c)) for _, s, n, c in groups
        ]

    def run_numpy_raw() -> list[npt.NDArray[np.datetime64]]:
        return [np.busday_offset(s, n, roll="backward", busdaycal=c) for _, s, n, c in groups]

    ours_bulk, numpy_bulk = run_ours(), run_numpy()
    for (region, _, _, _), a, b in zip(groups, ours_bulk, numpy_bulk, strict=True):
        if not np.array_equal(a, b):
            fail(
                f"bulk results differ from numpy.busday_offset for {region.value} ({int((a != b).sum())} rows)"
            )
    scalar_by_region = {
        r: np.array([o for o, w in zip(ours, where, strict=True) if w == r], dtype="datetime64[D]")
        for r in regions
    }
    for (region, _, _, _), a in zip(groups, ours_bulk, strict=True):
        if not np.array_equal(a, scalar_by_region[region]):
            fail(f"bulk results differ from the scalar form for {region.value}")

    t_ours, _ = best_of(run_ours)
    t_numpy, _ = best_of(run_numpy)
    t_numpy_raw, _ = best_of(run_numpy_raw)
    ratio = t_ours / t_numpy
    print(
        f"bulk: ours {t_ours * 1e3:.1f} ms for {CALLS:,} rows; numpy.busday_offset + where(day 0) "
        f"{t_numpy * 1e3:.1f} ms (raw busday_offset alone {t_numpy_raw * 1e3:.1f} ms, "
        f"ratio vs raw {t_ours / t_numpy_raw:.2f}); results identical to numpy and to the scalar form; "
        f"best of {REPEATS}"
    )

    ok = speedup >= 50 and ratio <= 2
    print(
        f"RESULT speedup_vs_naive={speedup:.1f} ratio_vs_numpy={ratio:.2f} calls={CALLS} "
        f"scalar_ns_per_call={ours_per_call * 1e9:.0f} naive_ns_per_call={naive_per_call * 1e9:.0f} "
        f"bulk_ms={t_ours * 1e3:.1f} numpy_ms={t_numpy * 1e3:.1f} targets_met={'yes' if ok else 'no'}"
    )


if __name__ == "__main__":
    main()
