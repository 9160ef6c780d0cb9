"""Roles, grades, sign-in, session limits and the login rate limit."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Grade
from accounts.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_its_permissions():
    for role in Role:
        group = Group.objects.get(name=role.value)
        granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        missing = set(ROLE_PERMISSIONS[role]) - granted
        assert not missing, f"{role} lacks {missing}"


def test_grades_are_data_with_increasing_limits():
    limits = list(Grade.objects.order_by("rank").values_list("approval_limit", flat=True))
    assert len(limits) >= 6 and limits == sorted(limits)


def test_sign_in_and_out(client, caseworker):
    response = client.post(reverse("login"), {"username": "cara", "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("my-work")
    page = client.get(reverse("my-work"))
    assert "Cara Caseworker" in page.content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("my-work")).status_code == 302


def test_wrong_password_gets_a_clear_message(client, caseworker):
    response = client.post(reverse("login"), {"username": "cara", "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()


def test_login_is_rate_limited_per_username_and_ip(client, caseworker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "cara", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    response = client.post(reverse("login"), {"username": "cara", "password": "correct-horse-battery"},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    # The username is throttled from every address (tests/security/test_lockout.py).
    response = client.post(reverse("login"), {"username": "cara", "password": "correct-horse-battery"},
                           REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 429


def test_session_limits():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.AXES_FAILURE_LIMIT <= 10 and settings.AXES_COOLOFF_TIME == 0.25


def test_idle_session_is_signed_out(client, caseworker, time_machine):
    time_machine.move_to("2026-11-23 09:00:00+00:00", tick=False)
    client.force_login(caseworker)
    assert client.get(reverse("my-work")).status_code == 200
    time_machine.move_to("2026-11-23 09:31:00+00:00", tick=False)
    response = client.get(reverse("my-work"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_rights_come_from_roles_only(caseworker, client):
    """A permission granted to a user directly (not through a role) gives
    nothing, and the admin's user form does not offer it."""
    from django.contrib.auth.models import Permission

    from accounts.models import User

    caseworker.user_permissions.add(Permission.objects.get(codename="allocate_servicerequest"))
    fresh = User.objects.get(pk=caseworker.pk)
    assert not fresh.has_perm("complaints.allocate_servicerequest")
    assert fresh.has_perm("complaints.view_servicerequest")  # from the Caseworker role
    admin = User.objects.create_superuser("root", "root@example.org", "pw-not-used-1234")
    client.force_login(admin)
    page = client.get(f"/admin/accounts/user/{caseworker.pk}/change/")
    assert page.status_code == 200 and "user_permissions" not in page.content.decode()


def test_an_active_session_ends_12_hours_after_sign_in(client, caseworker, time_machine):
    """The idle middleware saves the session every minute, and each save
    pushed its expiry 12 hours on: a user active all day stayed signed in
    for ever. The limit counts from sign-in."""
    time_machine.move_to("2026-11-23 08:00:00+00:00", tick=False)
    response = client.post(reverse("login"), {"username": "cara", "password": "correct-horse-battery"})
    assert response.status_code == 302
    for minutes in range(20, 12 * 60, 20):  # a request every 20 minutes: never idle
        time_machine.move_to(f"2026-11-23 {8 + minutes // 60:02d}:{minutes % 60:02d}:00+00:00", tick=False)
        assert client.get(reverse("my-work")).status_code == 200, f"signed out after {minutes} minutes"
    time_machine.move_to("2026-11-23 20:00:00+00:00", tick=False)
    response = client.get(reverse("my-work"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you signed in 12 hours ago" in page
    assert client.get(reverse("my-work")).status_code == 302  # the session is gone, not just refused once


def test_a_very_long_username_gets_a_message_not_a_server_error(client, caseworker):
    # django-axes records each failed attempt with the username, in a column
    # of 255 characters: on PostgreSQL a longer one was a server error.
    response = client.post(reverse("login"), {"username": "a" * 300, "password": "anything-at-all"})
    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in response.content.decode()


def test_a_letter_admin_lands_on_the_letter_library(client):
    from tests.factories import UserFactory

    UserFactory(username="lena", first_name="Lena", last_name="Price", roles=[Role.LETTER_ADMIN], is_staff=True)
    response = client.post(reverse("login"), {"username": "lena", "password": "correct-horse-battery"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:app_list", args=["letters"])
    assert response.status_code == 200 and "Paragraphs" in response.content.decode()
