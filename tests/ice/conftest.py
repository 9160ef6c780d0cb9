import pytest

from accounts.models import Grade
from accounts.roles import Role
from tests.factories import TeamFactory, UserFactory


@pytest.fixture
def ice_team(db):
    return TeamFactory(name="Internal ICE team", route="ice", phone="0800 171 2347")


@pytest.fixture
def ice_caseworker(ice_team):
    return UserFactory(username="ian", first_name="Ian", last_name="Examiner", roles=[Role.CASEWORKER],
                       teams=[ice_team])


@pytest.fixture
def ice_colleague(ice_team):
    return UserFactory(username="ivy", first_name="Ivy", last_name="Colleague", roles=[Role.CASEWORKER],
                       teams=[ice_team])


@pytest.fixture
def ice_leader(ice_team):
    user = UserFactory(username="tina", first_name="Tina", last_name="Leader", roles=[Role.TEAM_LEADER],
                       teams=[ice_team])
    user.grade = Grade.objects.get(code="HEO")
    user.save(update_fields=["grade"])
    return user


@pytest.fixture
def ice_senior(ice_team):
    user = UserFactory(username="saul", first_name="Saul", last_name="Senior", roles=[Role.TEAM_LEADER],
                       teams=[ice_team])
    user.grade = Grade.objects.get(code="G7")
    user.save(update_fields=["grade"])
    return user


@pytest.fixture
def ice_manager(ice_team):
    return UserFactory(username="mona", first_name="Mona", last_name="Manager", roles=[Role.MANAGER],
                       teams=[ice_team])


@pytest.fixture
def stranger(resolution_team):
    return UserFactory(username="oscar", first_name="Oscar", last_name="Outsider", roles=[Role.CASEWORKER],
                       teams=[resolution_team])
