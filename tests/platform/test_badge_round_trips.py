"""The navigation's kept badges cost one round trip to the cache a page for
a team leader (open tasks and approvals read together), none for a
caseworker, whose badge is counted in the database."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ServiceRequestFactory
from tests.sla.factories import TaskFactory

pytestmark = pytest.mark.django_db


def _cache_reads(client, url: str) -> list[str]:
    client.get(url)  # the first page keeps what it counted
    calls: list[str] = []
    real_get, real_get_many = cache.get, cache.get_many
    inside = []  # a cache without get_many of its own (local memory) reads key by key

    def get(key, *args, **kwargs):
        if not inside:
            calls.append(f"get {key}")
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        calls.append("get_many")
        inside.append(1)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    with mock.patch.object(cache, "get", get), mock.patch.object(cache, "get_many", get_many):
        response = client.get(url)
    assert response.status_code == 200
    return calls


def test_a_team_leaders_badges_are_read_in_one_round_trip(client, team_leader, resolution_team):
    TaskFactory(sr=ServiceRequestFactory(team=resolution_team), team=resolution_team, assignee=None)
    client.force_login(team_leader)
    assert _cache_reads(client, reverse("search")) == ["get_many"]


def test_a_caseworkers_badge_asks_the_cache_nothing(client, caseworker, resolution_team):
    TaskFactory(sr=ServiceRequestFactory(team=resolution_team, owner=caseworker), assignee=caseworker)
    client.force_login(caseworker)
    assert _cache_reads(client, reverse("search")) == []
