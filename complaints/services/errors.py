from datetime import datetime

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
