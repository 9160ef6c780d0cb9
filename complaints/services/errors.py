from datetime import datetime

from django.db import OperationalError
from django.utils import timezone


class ServiceError(Exception):
    """Bad input or a refused action: shown to the user, nothing changed."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotAllowedInState(ServiceError):
    status_code = 409


class NotPermitted(ServiceError):
    status_code = 403


class StaleServiceRequest(ServiceError):
    """Someone else changed the SR after this form was loaded."""

    status_code = 409

    def __init__(self, who: str, when: datetime | None) -> None:
        when_text = timezone.localtime(when).strftime("%-d %b %Y at %H:%M") if when else "an unknown time"
        super().__init__(f"This case was changed by {who} at {when_text} — review and try again.")


class RowBusy(ServiceError):
    """Someone else's transaction holds the SR (or the database) longer than
    the lock timeout allows: the user tries again, nothing was saved."""

    status_code = 503
    MESSAGE = ("This SR is being changed by someone else at the moment — try again in a few seconds. "
               "Nothing was saved, and what you entered is still here.")

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


# PostgreSQL: lock_not_available (lock_timeout), query_canceled (statement_timeout).
_BUSY_PGCODES = {"55P03", "57014"}


def is_busy_error(exc: BaseException) -> bool:
    """A database error that means "busy, try again": a lock or statement
    timeout on PostgreSQL, "database is locked" on SQLite."""

    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _BUSY_PGCODES or getattr(cause, "pgcode", None) in _BUSY_PGCODES:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)
