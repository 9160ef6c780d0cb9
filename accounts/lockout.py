"""Sign-in throttling (django-axes), as the README's security section
promises: 10 failures within 15 minutes from one client address (whatever
the usernames: password spraying) or against one username (from whatever
addresses) lock that address or that username out for 15 minutes.

The client address is REMOTE_ADDR unless a trusted proxy header is
configured (CLIENT_IP_HEADER, settings.base), in which case it is the
address the proxy saw, never one the client wrote into the header."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.http import HttpRequest


class LockoutHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful sign-in clears the failures against that username
        only. Axes' own reset clears every failure matching any lockout
        parameter — with the client address among them, anyone could wipe
        the count their address ran up against other users by signing in
        to their own account between guesses."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
