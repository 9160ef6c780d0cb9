"""Sign-in throttling: per client address across usernames (password
spraying), per username across addresses, and the address taken from a
configured trusted proxy header, never from what the client wrote."""

from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
LIMIT = settings.AXES_FAILURE_LIMIT


@pytest.fixture
def staff(resolution_team):
    return [UserFactory(username=f"user{i:02d}", roles=[Role.CASEWORKER], teams=[resolution_team])
            for i in range(LIMIT + 1)]


def sign_in(client: Any, username: str, password: str, **meta: str):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


def test_one_wrong_password_on_each_of_many_users_locks_the_address(client, staff, caseworker):
    for user in staff[:LIMIT - 1]:
        assert sign_in(client, user.username, "Summer2026!", REMOTE_ADDR="203.0.113.7").status_code == 200
    sign_in(client, staff[LIMIT - 1].username, "Summer2026!", REMOTE_ADDR="203.0.113.7")
    # The next guess from that address is refused, even a right one...
    assert sign_in(client, staff[LIMIT].username, PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429
    # ...while the users themselves, elsewhere, sign in as usual.
    assert sign_in(client, staff[0].username, PASSWORD, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_many_addresses_guessing_one_username_lock_the_username(client, caseworker):
    for i in range(LIMIT):
        sign_in(client, "cara", "wrong-guess", REMOTE_ADDR=f"203.0.113.{i + 1}")
    response = sign_in(client, "cara", PASSWORD, REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()


def test_signing_in_to_your_own_account_does_not_clear_an_address_count(client, staff, caseworker):
    """Axes' reset on success cleared every failure of the address: an
    insider could spray, sign in as themselves, and spray again."""
    for user in staff[:LIMIT - 1]:
        sign_in(client, user.username, "Summer2026!", REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, "cara", PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 302
    client.post(reverse("logout"))
    sign_in(client, staff[LIMIT - 1].username, "Summer2026!", REMOTE_ADDR="203.0.113.7")
    assert sign_in(client, staff[LIMIT].username, PASSWORD, REMOTE_ADDR="203.0.113.7").status_code == 429


PROXY = "10.20.0.2"
BEHIND_ONE_PROXY = dict(AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
                        AXES_IPWARE_PROXY_COUNT=0)


@override_settings(**BEHIND_ONE_PROXY)
def test_behind_a_proxy_the_client_address_comes_from_the_trusted_header(client, staff, caseworker):
    # Every request arrives from the proxy; the proxy appends the address
    # it saw. The attacker writes a different address into the header each
    # time: only the right-hand (proxy-written) entry counts.
    for i, user in enumerate(staff[:LIMIT]):
        sign_in(client, user.username, "Summer2026!", REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}, 203.0.113.7")
    assert sign_in(client, staff[LIMIT].username, PASSWORD, REMOTE_ADDR=PROXY,
                   HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7").status_code == 429
    # The proxy's own address is not locked: everyone else still signs in.
    assert sign_in(client, "cara", PASSWORD, REMOTE_ADDR=PROXY,
                   HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 302


def test_without_a_configured_header_a_forged_one_is_ignored(client, staff, caseworker):
    assert settings.AXES_IPWARE_META_PRECEDENCE_ORDER == ("REMOTE_ADDR",)
    for i, user in enumerate(staff[:LIMIT]):
        sign_in(client, user.username, "Summer2026!", REMOTE_ADDR="203.0.113.7",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}")
    assert sign_in(client, staff[LIMIT].username, PASSWORD, REMOTE_ADDR="203.0.113.7",
                   HTTP_X_FORWARDED_FOR="192.0.2.200").status_code == 429
