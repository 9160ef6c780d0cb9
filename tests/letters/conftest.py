"""Letter test fixtures: switching the Celery broker under the app."""

import contextlib

import pytest

from accounts.roles import Role
from config.celery import app
from tests.factories import UserFactory

CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextlib.contextmanager
def broker(url: str, *, eager: bool = False):
    """Use another broker (or eager execution) for the duration. The app
    caches its connection and producer pools, so both are dropped."""
    saved = (app.conf.broker_url, app.conf.task_always_eager)

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url, app.conf.task_always_eager = url, eager
    reset()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = saved
        reset()


@pytest.fixture
def broker_down():
    with broker(CLOSED_PORT_BROKER) as a:
        yield a


@pytest.fixture
def working_broker():
    """The configured broker when it is Redis (purged after), else memory://
    (never the development filesystem queue)."""
    url = app.conf.broker_url
    if not url.startswith("redis"):
        url = "memory://"
    with broker(url) as a:
        yield a
        with contextlib.suppress(Exception):
            a.control.purge()


@pytest.fixture
def eager_celery():
    with broker("memory://", eager=True) as a:
        yield a


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores its PDFs in its own directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def letter_admin(db):
    return UserFactory(username="lena", first_name="Lena", last_name="Letters", roles=[Role.LETTER_ADMIN],
                       is_staff=True)
