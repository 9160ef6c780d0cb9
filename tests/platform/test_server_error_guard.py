"""The suite-wide guard (tests/conftest.py) sees a server error wherever it
happens: in a view the test client calls, and in the live server a browser
test drives, where the exception happens in another thread. These tests
watch by hand, so they opt out of the automatic guard."""

import urllib.error
import urllib.request
from typing import Any

import pytest

from accounts.forms import SignInForm
from tests.server_errors import ServerErrorWatch

pytestmark = [pytest.mark.allow_server_error]


@pytest.fixture
def broken_sign_in(monkeypatch: Any):
    def explode(self, *args: Any, **kwargs: Any):
        raise RuntimeError("a bug in a view")

    monkeypatch.setattr(SignInForm, "__init__", explode)


@pytest.mark.django_db
def test_the_watch_sees_an_exception_through_the_test_client(client, broken_sign_in):
    client.raise_request_exception = False
    with ServerErrorWatch() as watch:
        response = client.get("/accounts/login/")
    assert response.status_code == 500
    assert "GET /accounts/login/ -> 500" in watch.summary
    assert "raised an exception" in watch.summary


@pytest.mark.django_db
def test_the_watch_sees_nothing_when_the_pages_work(client):
    with ServerErrorWatch() as watch:
        assert client.get("/accounts/login/").status_code == 200
        assert client.get("/no-such-page/").status_code == 404
    assert watch.failures == []


@pytest.mark.django_db(transaction=True)
def test_the_watch_sees_a_server_error_in_the_live_server(live_server, broken_sign_in):
    with ServerErrorWatch() as watch:
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(f"{live_server.url}/accounts/login/", timeout=10)
    assert error.value.code == 500
    assert "GET /accounts/login/ -> 500" in watch.summary
