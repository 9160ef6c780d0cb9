"""What `make run` prints and serves: each traceback once, the favicon
browsers ask for."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse


def _handlers_that_print(logger_name: str, level: int) -> list[logging.Handler]:
    """The handlers a record on this logger reaches (pytest's own capture
    handlers aside), as logging would walk them."""
    record = logging.LogRecord(logger_name, level, __file__, 1, "x", None, None)
    found: list[logging.Handler] = []
    logger: logging.Logger | None = logging.getLogger(logger_name)
    while logger is not None:
        found += [h for h in logger.handlers
                  if level >= h.level and h.filter(record) and not type(h).__module__.startswith("_pytest")]
        if not logger.propagate:
            break
        logger = logger.parent
    return found


@override_settings(DEBUG=True)  # as under `make run`
def test_a_server_error_or_refusal_is_logged_once():
    assert len(_handlers_that_print("django.request", logging.ERROR)) == 1
    assert len(_handlers_that_print("django.security.csrf", logging.WARNING)) == 1


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert reverse("favicon") == "/favicon.ico"
