"""Django's database session store, its one read per request compiled once
(prepared) rather than built anew on every page."""

from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from prepared import prepared


@prepared
def _by_key(session_key: str) -> QuerySet[Session]:
    return Session.objects.filter(session_key=session_key)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        # The expiry is compared here rather than in the SQL (Django's own
        # store asks for expire_date > now there): the same rule, and the
        # statement's one parameter is then the key.
        session = next(iter(_by_key(self.session_key)), None) if self.session_key else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
