from datetime import date

import pytest
import time_machine

from .helpers import MON_2_NOV_2026, closed_resolution_sr, go, new_review


@pytest.fixture
def travel(db):
    """Frozen at Monday 2 November 2026, 9am London; `travel.shift(...)` moves on."""
    with time_machine.travel(MON_2_NOV_2026, tick=False) as traveller:
        yield traveller


@pytest.fixture
def resolution_sr(resolution_team, client_person):
    """Closed by the resolution team on 15 September 2026: within 6 months."""
    return closed_resolution_sr(team=resolution_team, client=client_person, closed_on=date(2026, 9, 15))


@pytest.fixture
def review(travel, caseworker, team_leader, review_team, client_person, resolution_sr):
    """A Review SR raised today, linked to the closed Resolution SR, allocated to Cara."""
    sr = new_review(actor=caseworker, team=review_team, client=client_person, related=resolution_sr)
    return go(sr, team_leader, "allocate", owner=caseworker)
