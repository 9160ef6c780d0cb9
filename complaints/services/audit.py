from datetime import datetime
from typing import Any

from accounts.models import User

from ..generations import bump_team
from ..models import CaseEvent, ServiceRequest


def record_event(
    *, sr: ServiceRequest, actor: User | None, verb: str, now: datetime,
    from_state: str = "", to_state: str = "", **details: Any,
) -> CaseEvent:
    """Append one entry to the SR's audit trail and timeline. Called by
    services inside their transaction, never on its own. Figures kept per
    team (complaints.generations) are counted again once it commits."""
    bump_team(sr.team_id)
    return CaseEvent.objects.create(
        sr=sr, actor=actor, verb=verb, from_state=from_state, to_state=to_state,
        details=details, created_at=now,
    )
