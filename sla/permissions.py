"""can_<verb>(user, ...) for deadlines: one answer for views and templates."""

from accounts.models import User
from accounts.roles import is_manager, is_team_leader
from complaints.models import ServiceRequest
from complaints.permissions import in_team


def can_view_dashboard(user: User) -> bool:
    """Managers and team leaders (for their own teams); superusers see all."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or is_manager(user) or is_team_leader(user)


def can_extend_clock(user: User, sr: ServiceRequest) -> bool:
    """A team leader of the SR's team records a target date extension."""
    return (
        user.is_authenticated and sr.is_open and is_team_leader(user)
        and user.has_perm("sla.change_deadlineclock") and in_team(user, sr)
    )
