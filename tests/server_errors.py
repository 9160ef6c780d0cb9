"""Watches every request a test makes for server errors (see the autouse
fixture in tests/conftest.py)."""

from types import TracebackType

from django.core.handlers.base import BaseHandler
from django.core.signals import got_request_exception
from django.http import HttpRequest, HttpResponseBase

_UID = "tests-server-error-watch"


class ServerErrorWatch:
    """While active, records each response with a 5xx status and each
    unhandled exception in a view. Every response passes through
    BaseHandler.get_response, whether it comes from the test client or from
    the live server a browser test drives (whose requests run in another
    thread, where an exception is otherwise only logged)."""

    def __init__(self) -> None:
        self.failures: list[str] = []
        self._original = BaseHandler.get_response

    def __enter__(self) -> "ServerErrorWatch":
        original, failures = self._original, self.failures

        def get_response(handler: BaseHandler, request: HttpRequest) -> HttpResponseBase:
            response = original(handler, request)
            # A 503 with Retry-After is the deliberate "being changed by
            # someone else, try again" answer for a busy row, not a failure.
            deliberate = response.status_code == 503 and response.has_header("Retry-After")
            if response.status_code >= 500 and not deliberate:
                failures.append(f"{request.method} {request.get_full_path()[:200]} -> {response.status_code}")
            return response

        # Replaced while watching, put back on exit.
        setattr(BaseHandler, "get_response", get_response)  # noqa: B010
        got_request_exception.connect(self._on_exception, dispatch_uid=_UID)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        setattr(BaseHandler, "get_response", self._original)  # noqa: B010
        got_request_exception.disconnect(dispatch_uid=_UID)

    def _on_exception(self, sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
        where = f"{request.method} {request.get_full_path()[:200]}" if request is not None else "a request"
        self.failures.append(f"{where} raised an exception")

    @property
    def summary(self) -> str:
        return "; ".join(dict.fromkeys(self.failures))
