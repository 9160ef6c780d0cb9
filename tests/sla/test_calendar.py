"""Golden dates for the working-day calendar (DESIGN.md section 4).

Pure: no database. Each test runs with no office closures unless it sets its own,
and puts back whatever closure loader the app had registered.
"""

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from sla import calendar
from sla.calendar import (
    HORIZON_END,
    HORIZON_START,
    OutsideHorizon,
    Region,
    add_calendar_days,
    add_months,
    add_weeks,
    add_working_days,
    add_working_days_bulk,
    explain,
    is_working_day,
    working_days_between,
)

EW = Region.ENGLAND_AND_WALES
SCOT = Region.SCOTLAND
NI = Region.NORTHERN_IRELAND
ALL_REGIONS = list(Region)

# 2026
fri_1_may_2026 = date(2026, 5, 1)
mon_4_may_2026 = date(2026, 5, 4)
wed_6_may_2026 = date(2026, 5, 6)
fri_8_may_2026 = date(2026, 5, 8)
mon_11_may_2026 = date(2026, 5, 11)
sun_12_jul_2026 = date(2026, 7, 12)
mon_13_jul_2026 = date(2026, 7, 13)
mon_3_aug_2026 = date(2026, 8, 3)
mon_31_aug_2026 = date(2026, 8, 31)
mon_5_oct_2026 = date(2026, 10, 5)
mon_2_nov_2026 = date(2026, 11, 2)
mon_30_nov_2026 = date(2026, 11, 30)
tue_1_dec_2026 = date(2026, 12, 1)
sat_5_dec_2026 = date(2026, 12, 5)
mon_7_dec_2026 = date(2026, 12, 7)
fri_18_dec_2026 = date(2026, 12, 18)
thu_24_dec_2026 = date(2026, 12, 24)
fri_25_dec_2026 = date(2026, 12, 25)
sat_26_dec_2026 = date(2026, 12, 26)
sun_27_dec_2026 = date(2026, 12, 27)
mon_28_dec_2026 = date(2026, 12, 28)
tue_29_dec_2026 = date(2026, 12, 29)
wed_30_dec_2026 = date(2026, 12, 30)
thu_31_dec_2026 = date(2026, 12, 31)
# 2027
fri_1_jan_2027 = date(2027, 1, 1)
sat_2_jan_2027 = date(2027, 1, 2)
mon_4_jan_2027 = date(2027, 1, 4)
tue_5_jan_2027 = date(2027, 1, 5)
wed_17_mar_2027 = date(2027, 3, 17)
thu_25_mar_2027 = date(2027, 3, 25)
fri_26_mar_2027 = date(2027, 3, 26)
mon_29_mar_2027 = date(2027, 3, 29)
tue_30_mar_2027 = date(2027, 3, 30)
mon_12_jul_2027 = date(2027, 7, 12)
tue_31_aug_2027 = date(2027, 8, 31)
# month ends
mon_31_aug_2026 = date(2026, 8, 31)
sun_28_feb_2027 = date(2027, 2, 28)
tue_29_feb_2028 = date(2028, 2, 29)
wed_31_mar_2027 = date(2027, 3, 31)


@pytest.fixture(autouse=True)
def no_closures() -> Iterator[None]:
    # Under Django the app registers a loader that reads ClosureDay from the
    # database; these tests are pure, so swap it out and put it back afterwards.
    previous = calendar.set_closure_loader(None)
    yield
    calendar.set_closure_loader(previous)


def closures(by_region: dict[str, dict[date, str]]) -> None:
    calendar.set_closure_loader(lambda: by_region)


def test_region_values() -> None:
    assert EW == "england-and-wales"
    assert SCOT == "scotland"
    assert NI == "northern-ireland"
    assert add_working_days(thu_24_dec_2026, 3, "england-and-wales") == thu_31_dec_2026


def test_design_example_ice_gateway_over_christmas() -> None:
    # ICE contacts CMG on Thu 24 Dec 2026; 25 Dec and 28 Dec are bank holidays.
    assert add_working_days(thu_24_dec_2026, 3, EW) == thu_31_dec_2026


@pytest.mark.parametrize("region", ALL_REGIONS)
def test_boxing_day_2026_on_a_saturday_gives_monday_substitute(region: Region) -> None:
    assert not is_working_day(fri_25_dec_2026, region)
    assert not is_working_day(sat_26_dec_2026, region)
    assert not is_working_day(mon_28_dec_2026, region)
    assert is_working_day(tue_29_dec_2026, region)


def test_easter_2027() -> None:
    for region in ALL_REGIONS:
        assert not is_working_day(fri_26_mar_2027, region)
    assert not is_working_day(mon_29_mar_2027, EW)
    assert not is_working_day(mon_29_mar_2027, NI)
    assert is_working_day(mon_29_mar_2027, SCOT)  # no Easter Monday in Scotland
    assert add_working_days(thu_25_mar_2027, 1, EW) == tue_30_mar_2027
    assert add_working_days(thu_25_mar_2027, 1, SCOT) == mon_29_mar_2027


def test_second_of_january_in_scotland_2027_moves_to_monday() -> None:
    # 1 Jan 2027 is a Friday, 2 Jan a Saturday: Scotland's 2 January holiday is Mon 4 Jan.
    assert not is_working_day(fri_1_jan_2027, SCOT)
    assert not is_working_day(mon_4_jan_2027, SCOT)
    assert is_working_day(mon_4_jan_2027, EW)
    assert is_working_day(mon_4_jan_2027, NI)
    assert add_working_days(thu_31_dec_2026, 1, SCOT) == tue_5_jan_2027
    assert add_working_days(thu_31_dec_2026, 1, EW) == mon_4_jan_2027


def test_st_andrews_day_2026_scotland_only() -> None:
    assert not is_working_day(mon_30_nov_2026, SCOT)
    assert is_working_day(mon_30_nov_2026, EW)
    assert is_working_day(mon_30_nov_2026, NI)


def test_st_patricks_day_2027_northern_ireland_only() -> None:
    assert not is_working_day(wed_17_mar_2027, NI)
    assert is_working_day(wed_17_mar_2027, EW)
    assert is_working_day(wed_17_mar_2027, SCOT)


def test_battle_of_the_boyne() -> None:
    assert not is_working_day(mon_12_jul_2027, NI)
    assert is_working_day(mon_12_jul_2027, EW)
    # 12 July 2026 is a Sunday: the substitute day is Monday 13 July (as on gov.uk).
    assert not is_working_day(sun_12_jul_2026, NI)
    assert not is_working_day(mon_13_jul_2026, NI)
    assert is_working_day(mon_13_jul_2026, EW)
    assert is_working_day(mon_13_jul_2026, SCOT)


def test_summer_bank_holiday_differs_between_scotland_and_england() -> None:
    # Scotland: first Monday of August. England, Wales and NI: last Monday of August.
    assert not is_working_day(mon_3_aug_2026, SCOT)
    assert is_working_day(mon_3_aug_2026, EW)
    assert not is_working_day(mon_31_aug_2026, EW)
    assert not is_working_day(mon_31_aug_2026, NI)
    assert is_working_day(mon_31_aug_2026, SCOT)


def test_day_zero_is_the_start_even_on_a_weekend_or_holiday() -> None:
    assert add_working_days(sat_5_dec_2026, 0, EW) == sat_5_dec_2026
    assert add_working_days(fri_25_dec_2026, 0, EW) == fri_25_dec_2026
    assert add_working_days(sat_5_dec_2026, 1, EW) == mon_7_dec_2026
    # Christmas Day is day 0; Sat, Sun and the Boxing Day substitute are skipped.
    assert add_working_days(fri_25_dec_2026, 1, EW) == tue_29_dec_2026


def test_negative_days_count_back() -> None:
    assert add_working_days(thu_31_dec_2026, -3, EW) == thu_24_dec_2026
    assert add_working_days(sat_26_dec_2026, -1, EW) == thu_24_dec_2026


def test_eight_weeks_landing_on_a_holiday_moves_to_next_working_day() -> None:
    assert add_weeks(mon_2_nov_2026, 8, EW) == tue_29_dec_2026  # lands on Mon 28 Dec
    # Lands on St Andrew's Day: moves in Scotland only.
    assert add_weeks(mon_5_oct_2026, 8, SCOT) == tue_1_dec_2026
    assert add_weeks(mon_5_oct_2026, 8, EW) == mon_30_nov_2026


def test_calendar_days_wait_moves_off_non_working_days() -> None:
    assert add_calendar_days(fri_18_dec_2026, 7, EW) == tue_29_dec_2026  # lands on Christmas Day
    assert add_calendar_days(thu_24_dec_2026, 7, EW) == thu_31_dec_2026


def test_working_days_between() -> None:
    assert working_days_between(thu_24_dec_2026, thu_31_dec_2026, EW) == 3
    assert working_days_between(thu_31_dec_2026, thu_24_dec_2026, EW) == -3
    assert working_days_between(thu_24_dec_2026, thu_24_dec_2026, EW) == 0
    assert working_days_between(fri_25_dec_2026, mon_28_dec_2026, EW) == 0
    assert working_days_between(thu_24_dec_2026, fri_1_jan_2027, EW) == 3  # 29, 30, 31 Dec
    assert working_days_between(thu_31_dec_2026, tue_5_jan_2027, EW) == 2  # 4, 5 Jan
    assert working_days_between(thu_31_dec_2026, tue_5_jan_2027, SCOT) == 1  # 5 Jan


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (mon_31_aug_2026, 6, sun_28_feb_2027),
        (tue_31_aug_2027, 6, tue_29_feb_2028),  # leap year
        (wed_31_mar_2027, -1, sun_28_feb_2027),
        (thu_24_dec_2026, 14, date(2028, 2, 24)),
        (thu_24_dec_2026, 0, thu_24_dec_2026),
    ],
)
def test_add_months_clips_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_closure_day_moves_a_due_date_until_removed() -> None:
    # DESIGN's timeline example: "due date moved from Fri 8 May to Mon 11 May:
    # office closure on Wed 6 May added". Mon 4 May 2026 is the Early May bank holiday.
    assert add_working_days(fri_1_may_2026, 4, EW) == fri_8_may_2026

    by_region: dict[str, dict[date, str]] = {EW.value: {wed_6_may_2026: "Office move"}}
    closures(by_region)
    assert not is_working_day(wed_6_may_2026, EW)
    assert add_working_days(fri_1_may_2026, 4, EW) == mon_11_may_2026
    assert add_working_days(fri_1_may_2026, 4, SCOT) == fri_8_may_2026  # another region's closure
    assert working_days_between(fri_1_may_2026, mon_11_may_2026, EW) == 4

    # The calendar is cached: a change is seen only after invalidate().
    by_region[EW.value] = {}
    assert add_working_days(fri_1_may_2026, 4, EW) == mon_11_may_2026
    calendar.invalidate()
    assert add_working_days(fri_1_may_2026, 4, EW) == fri_8_may_2026


def test_loader_is_called_lazily_and_once_per_cache_lifetime() -> None:
    calls: list[int] = []

    def loader() -> dict[str, dict[date, str]]:
        calls.append(1)
        return {}

    calendar.set_closure_loader(loader)
    assert calls == []
    for region in ALL_REGIONS:
        add_working_days(thu_24_dec_2026, 3, region)
    assert len(calls) == 1
    calendar.invalidate()
    add_working_days(thu_24_dec_2026, 3, EW)
    assert len(calls) == 2


@pytest.mark.parametrize("year", range(HORIZON_START.year, HORIZON_END.year + 1))
def test_every_year_of_the_horizon_has_at_least_8_england_and_wales_bank_holidays(year: int) -> None:
    day, weekday_holidays = date(year, 1, 1), 0
    while day.year == year:
        if day.weekday() < 5 and not is_working_day(day, EW):
            weekday_holidays += 1
        day += timedelta(days=1)
    assert weekday_holidays >= 8


def test_horizon_edges_raise_a_clear_error() -> None:
    before, after = HORIZON_START - timedelta(days=1), HORIZON_END + timedelta(days=1)
    with pytest.raises(OutsideHorizon, match="planning horizon"):
        add_working_days(before, 1, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        add_working_days(after, 0, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        add_working_days(HORIZON_END - timedelta(days=3), 10, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        add_working_days(HORIZON_START + timedelta(days=3), -10, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        is_working_day(after, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        working_days_between(before, thu_24_dec_2026, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        add_working_days_bulk(np.array([before], dtype="datetime64[D]"), 1, EW)
    with pytest.raises(ValueError, match="planning horizon"):
        add_working_days_bulk([HORIZON_END - timedelta(days=3)], [10], EW)


def test_bad_inputs() -> None:
    with pytest.raises(ValueError):
        add_working_days(thu_24_dec_2026, 3, "wales")
    with pytest.raises(TypeError, match="datetime"):
        add_working_days(datetime(2026, 12, 24, 9, 30), 3, EW)


@pytest.mark.parametrize("with_closures", [False, True])
def test_bulk_form_equals_scalar_form(with_closures: bool) -> None:
    rng = random.Random(1224)
    if with_closures:
        closures(
            {
                r.value: {
                    date(2026, 1, 1) + timedelta(days=rng.randrange(5 * 365)): "Closed" for _ in range(40)
                }
                for r in ALL_REGIONS
            }
        )
    starts = [date(2026, 1, 1) + timedelta(days=rng.randrange(5 * 365)) for _ in range(3000)]
    days = [rng.randrange(-30, 61) for _ in starts]
    for region in ALL_REGIONS:
        expected = [add_working_days(s, n, region) for s, n in zip(starts, days, strict=True)]
        got = add_working_days_bulk(np.array(starts, dtype="datetime64[D]"), np.array(days), region)
        assert got.dtype == np.dtype("datetime64[D]")
        assert got.tolist() == expected
        # A sequence of dates and a single day count work too.
        assert add_working_days_bulk(starts, 5, region).tolist() == [
            add_working_days(s, 5, region) for s in starts
        ]


def test_round_trip_with_working_days_between() -> None:
    rng = random.Random(31)
    for _ in range(2000):
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        n = rng.randrange(-40, 41)
        region = rng.choice(ALL_REGIONS)
        # Counting back, (end, start] holds start itself only if it is a working day.
        expected = n if n >= 0 or is_working_day(start, region) else n + 1
        assert working_days_between(start, add_working_days(start, n, region), region) == expected


def test_explain_lists_weekends_holidays_and_closures() -> None:
    closures({EW.value: {wed_30_dec_2026: "Office move"}})
    due = add_working_days(thu_24_dec_2026, 3, EW)
    assert due == mon_4_jan_2027

    why = explain(thu_24_dec_2026, due, EW)
    assert (why.start, why.due, why.region, why.working_days) == (thu_24_dec_2026, due, EW, 3)
    assert why.skipped == [
        (fri_25_dec_2026, "Christmas Day"),
        (sat_26_dec_2026, "Saturday"),
        (sun_27_dec_2026, "Sunday"),
        (mon_28_dec_2026, "Boxing Day (substitute day)"),
        (wed_30_dec_2026, "Office closure: Office move"),
        (fri_1_jan_2027, "New Year's Day"),
        (sat_2_jan_2027, "Saturday"),
        (date(2027, 1, 3), "Sunday"),
    ]
    assert why.summary() == (
        "Due Mon 4 Jan 2027: 3 working days after Thu 24 Dec 2026 (England and Wales). "
        "Skipped 4 weekend days, Christmas Day on Fri 25 Dec 2026, "
        "Boxing Day (substitute day) on Mon 28 Dec 2026, Office closure: Office move on Wed 30 Dec 2026 "
        "and New Year's Day on Fri 1 Jan 2027."
    )


def test_explain_names_regional_substitute_days() -> None:
    why = explain(thu_31_dec_2026, tue_5_jan_2027, SCOT)
    assert (mon_4_jan_2027, "New Year Holiday (substitute day)") in why.skipped
    assert (mon_13_jul_2026, "Battle of the Boyne (substitute day)") in explain(
        date(2026, 7, 10), date(2026, 7, 14), NI
    ).skipped


def test_explain_with_nothing_skipped() -> None:
    assert explain(thu_24_dec_2026, thu_24_dec_2026, EW).summary() == (
        "Due Thu 24 Dec 2026: 0 working days after Thu 24 Dec 2026 (England and Wales)."
    )
    assert explain(tue_29_dec_2026, wed_30_dec_2026, EW).skipped == []


def test_a_remembered_explanation_follows_a_new_closure():
    """explain_summary remembers each sentence with the region's calendar:
    the same as explain's, and a closure added afterwards shows in it."""
    from workdays.calendar import explain_summary, set_closure_loader

    first = explain_summary(thu_24_dec_2026, tue_5_jan_2027, EW)
    assert first == explain(thu_24_dec_2026, tue_5_jan_2027, EW).summary()
    assert explain_summary(thu_24_dec_2026, tue_5_jan_2027, EW) is first
    previous = set_closure_loader(lambda: {EW.value: {wed_30_dec_2026: "Office move"}})
    try:
        assert "Office move on Wed 30 Dec 2026" in explain_summary(thu_24_dec_2026, tue_5_jan_2027, EW)
    finally:
        set_closure_loader(previous)
