"""CSV downloads of the lists managers work from, streamed row by row."""

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.http import StreamingHttpResponse
from django.utils import timezone

from workdays.text import fmt_date


def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):  # a moment: its date in the UK, as the pages show it
        value = timezone.localdate(value)
    if isinstance(value, date):
        return fmt_date(value)  # "24 Dec 2026", as the tables write dates
    # A typed name such as "=HYPERLINK(…)" would run as a formula when the
    # file is opened in a spreadsheet: keep it text (OWASP CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable[object]]) -> StreamingHttpResponse:
    """A download of `rows` under `header`; rows may be a lazy iterator (a
    server-side cursor), so memory stays constant whatever the size."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
