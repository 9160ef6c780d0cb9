"""The internal PHSO team: a caseworker, a colleague, a team leader (HEO),
a senior (G7), the Head of Complaints Review, a manager and an outsider;
clients in England and in Northern Ireland."""

import pytest
import time_machine

from accounts.models import Grade
from accounts.roles import Role
from tests.factories import ClientFactory, TeamFactory, UserFactory

from .helpers import MON_2_NOV_2026


@pytest.fixture
def travel(db):
    with time_machine.travel(MON_2_NOV_2026, tick=False) as traveller:
        yield traveller


@pytest.fixture
def phso_team(db):
    return TeamFactory(name="Internal PHSO team", route="phso", phone="0800 171 2399")


@pytest.fixture
def resolution_team_p(db):
    return TeamFactory(name="Complaints resolution team", route="resolution", phone="0800 171 2345")


def _user(username: str, first: str, last: str, role: Role, teams: list, grade: str = ""):
    user = UserFactory(username=username, first_name=first, last_name=last, roles=[role], teams=teams)
    if grade:
        user.grade = Grade.objects.get(code=grade)
        user.save(update_fields=["grade"])
    return user


@pytest.fixture
def pat(phso_team):
    return _user("pat", "Pat", "Caseworker", Role.CASEWORKER, [phso_team])


@pytest.fixture
def colleague(phso_team):
    return _user("col", "Col", "League", Role.CASEWORKER, [phso_team])


@pytest.fixture
def tina(phso_team):
    return _user("tina", "Tina", "Leader", Role.TEAM_LEADER, [phso_team], "HEO")


@pytest.fixture
def gina(phso_team):
    return _user("gina", "Gina", "Senior", Role.TEAM_LEADER, [phso_team], "G7")


@pytest.fixture
def hugh(phso_team):
    """The Head of Complaints Review."""
    return _user("hugh", "Hugh", "Head", Role.HEAD_OF_COMPLAINTS_REVIEW, [phso_team])


@pytest.fixture
def mona_p(phso_team):
    return _user("monap", "Mona", "Manager", Role.MANAGER, [phso_team], "G7")


@pytest.fixture
def oscar(db):
    team = TeamFactory(name="Internal ICE team", route="ice")
    return _user("oscar", "Oscar", "Outsider", Role.CASEWORKER, [team])


@pytest.fixture
def jane(db):
    return ClientFactory(name="Jane Smith", case_number="1234567890")


@pytest.fixture
def ni_client(db):
    return ClientFactory(name="Niamh Kelly", case_number="9876543210", region="northern-ireland",
                         town="Belfast", postcode="BT1 1AA")
