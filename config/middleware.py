from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from complaints.services.errors import RowBusy, is_busy_error


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RejectNullCharactersMiddleware:
    """A NUL character is never valid input, and PostgreSQL refuses it in
    text ("cannot contain NUL bytes"): any view that looked something up by
    it would fail with a server error. A request with one in its address,
    query string or posted fields gets the 400 page, with what to do, before
    any view runs: nothing is changed."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or _has_nul(request.GET):
            return self._refuse(request, "The address contains a character that is not allowed.")
        if request.method == "POST" and _has_nul(request.POST):
            return self._refuse(request, "The form contained a character that cannot be saved (a NUL character). "
                                         "Nothing was changed. Go back, remove it and try again.")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, message: str) -> HttpResponse:
        return render(request, "400.html", {"message": message}, status=400)


class NoStoreMiddleware:
    """Every page, CSV and PDF the app itself answers with carries
    `Cache-Control: no-store` (with `private`, `no-cache`): they hold personal
    data, and neither a shared proxy nor the browser's disk cache may keep a
    copy after the user signs out. Static files never reach this middleware
    (WhiteNoise answers them first), so they stay cacheable."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class BusyDatabaseMiddleware:
    """Whatever view met a row or table held by someone else past the lock
    timeout (or a statement past the statement timeout) answers 503 "try
    again" with Retry-After, never a 500 or a hung worker. Services that
    lock an SR turn this into a message on the form itself (RowBusy); this
    is the net under every other view. The transaction was rolled back:
    nothing was saved, and the browser's Back keeps what was typed."""

    def __init__(self, get_response: Any):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Every "try again" answer (a form refused because its SR is busy)
        # says when, as the net below does.
        if response.status_code == 503 and not response.has_header("Retry-After"):
            response["Retry-After"] = "5"
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy_error(exception):
            return None
        response = render(request, "busy.html", {"message": RowBusy.MESSAGE.replace(
            ", and what you entered is still here", ": go back and submit it again")}, status=503)
        response["Retry-After"] = "5"
        return response
