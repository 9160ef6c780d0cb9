"""Named dates and fixtures for deadline tests. The calendar caches office
closures per process, and tests roll closures back, so every test starts
from a clean cache."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.roles import Role
from sla import calendar_sync
from tests.factories import TeamFactory, UserFactory

LONDON = ZoneInfo("Europe/London")

thu_24_dec_2026 = date(2026, 12, 24)
thu_31_dec_2026 = date(2026, 12, 31)


def at(day: date, hour: int = 10) -> datetime:
    """A moment on that day in Europe/London."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    calendar_sync.invalidate()
    yield
    calendar_sync.invalidate()


@pytest.fixture
def freeze():
    """freeze(day) stops the clock at 10:00 London time on that day."""
    travellers = []

    def do(day: date, hour: int = 10):
        traveller = time_machine.travel(at(day, hour), tick=False)
        traveller.start()
        travellers.append(traveller)
        return traveller

    yield do
    for traveller in reversed(travellers):
        traveller.stop()


# The people of the deadline pages: a resolution team with its caseworker,
# team leader, and a manager over it and a review team.


@pytest.fixture
def team():
    return TeamFactory(name="Resolution North")


@pytest.fixture
def other_team():
    return TeamFactory(name="Review South", route="review")


@pytest.fixture
def cara(team):
    return UserFactory(username="cara", first_name="Cara", last_name="Caseworker", roles=[Role.CASEWORKER],
                       teams=[team])


@pytest.fixture
def tom(team):
    return UserFactory(username="tom", roles=[Role.TEAM_LEADER], teams=[team])


@pytest.fixture
def mona(team, other_team):
    return UserFactory(username="mona", roles=[Role.MANAGER], teams=[team, other_team])
