"""A row held by someone else (SELECT … FOR UPDATE in another session) is
answered with "being changed by someone else — try again" (503), within
the lock timeout, nothing saved, what was typed kept; never a hang or a 500."""

import sqlite3
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from complaints.models import CaseEvent, Note, ServiceRequest
from complaints.services.errors import is_busy_error
from tests.platform.helpers import allocate, new_sr

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="row locks and their timeouts are PostgreSQL's (CI runs it)")


@pytest.fixture
def holder():
    """A second database session, as another user's transaction would be."""
    import psycopg

    s = connection.settings_dict
    conn = psycopg.connect(host=s["HOST"] or "127.0.0.1", port=s["PORT"] or 5432, user=s["USER"],
                           password=s["PASSWORD"] or None, dbname=s["NAME"])
    yield conn
    conn.rollback()
    conn.close()


def hold(conn: Any, sr: ServiceRequest) -> None:
    conn.execute("SELECT id FROM complaints_servicerequest WHERE id = %s FOR UPDATE", [sr.pk])


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_timeouts_are_set_on_every_connection():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
    assert (lock, statement) == ("3s", "20s")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_transition_on_a_held_row_says_try_again_and_saves_nothing(
        client, holder, caseworker, team_leader, resolution_team, client_person):
    sr = new_sr(actor=caseworker, team=resolution_team, client=client_person)
    version = ServiceRequest.objects.get(pk=sr.pk).version
    client.force_login(team_leader)
    url = reverse("sr-transition", args=[sr.reference, "allocate"])
    hold(holder, sr)
    response = client.post(url, {"version": version, "owner": caseworker.pk})
    body = response.content.decode()
    assert response.status_code == 503
    assert "being changed by someone else" in body and "try again" in body
    assert f'<option value="{caseworker.pk}" selected>' in body  # what was chosen is still there
    holder.rollback()
    assert ServiceRequest.objects.get(pk=sr.pk).version == version
    assert not CaseEvent.objects.filter(sr=sr, verb="allocate").exists()
    # Released: the same form goes through.
    assert client.post(url, {"version": version, "owner": caseworker.pk}).status_code == 302


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_any_other_write_on_a_held_row_is_a_503_not_a_500(
        client, holder, caseworker, team_leader, resolution_team, client_person):
    sr = allocate(new_sr(actor=caseworker, team=resolution_team, client=client_person), tl=team_leader,
                  owner=caseworker)
    client.force_login(caseworker)
    hold(holder, sr)
    # A note's row needs a key-share lock on the SR: it waits, then times out.
    response = client.post(reverse("sr-note-add", args=[sr.reference]), {"text": "Rang the client."})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "being changed by someone else" in response.content.decode()
    # Sending a letter locks the SR first: the message is on the form itself.
    response = client.post(reverse("letters:send", args=[sr.reference]),
                           {"template": "RES-ACK", "letter-language": "en"})
    assert response.status_code == 503 and "being changed by someone else" in response.content.decode()
    holder.rollback()
    assert not Note.objects.filter(sr=sr).exists()


def test_busy_errors_are_recognised_on_both_databases():
    class LockNotAvailable(Exception):
        sqlstate = "55P03"

    pg = OperationalError("canceling statement due to lock timeout")
    pg.__cause__ = LockNotAvailable()
    lite = OperationalError("database is locked")
    lite.__cause__ = sqlite3.OperationalError("database is locked")
    other = OperationalError("could not connect to server")
    assert (is_busy_error(pg), is_busy_error(lite), is_busy_error(other), is_busy_error(ValueError())) == (
        True, True, False, False)
