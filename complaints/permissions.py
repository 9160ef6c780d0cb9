"""can_<verb>(user, sr): one answer used by transitions, views and templates.

Model permissions come from the user's role Groups; the object rule is
team membership (and ownership for caseworker actions). Visibility —
which SRs a user may know exist — is in selectors.visible_service_requests.
"""

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from accounts.backends import read_access
from accounts.models import User
from accounts.roles import Role, has_role

from .models import ServiceRequest


def team_ids(user: User) -> frozenset[int]:
    """The user's team ids, read once per request and kept on the user."""
    return frozenset(team_id for team_id, _ in _memberships(user))


def team_routes(user: User) -> frozenset[str]:
    """The routes of the user's teams ("is this user in an ICE team?" for the
    navigation): read with the team ids in the same statement, so a page
    asks the database about the user's teams once."""
    return frozenset(route for _, route in _memberships(user))


def _memberships(user: User) -> frozenset[tuple[int, str]]:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_team_memberships", None)
    if cached is None:
        read_access(user)  # with the roles and permissions: one statement
        cached = user._team_memberships
    return cached


def in_team(user: User, sr: ServiceRequest) -> bool:
    return user.is_superuser or sr.team_id in team_ids(user)


def can_view(user: User, sr: ServiceRequest) -> bool:
    if not user.is_authenticated or not user.has_perm("complaints.view_servicerequest"):
        return False
    if user.is_superuser:
        return True
    if sr.team_id not in team_ids(user):
        return False
    if sr.confidential:
        return user.has_perm("complaints.view_servicerequest", sr)
    return True


def can_allocate(user: User, sr: ServiceRequest) -> bool:
    """Team leaders allocate SRs of their own teams."""
    return user.has_perm("complaints.allocate_servicerequest") and in_team(user, sr)


def can_work(user: User, sr: ServiceRequest) -> bool:
    """Caseworker actions: the SR's owner, or a team leader of its team."""
    if not user.has_perm("complaints.work_servicerequest"):
        return False
    if sr.owner_id == user.pk:
        return True
    return can_allocate(user, sr)


def can_approve(user: User, sr: ServiceRequest) -> bool:
    """Team-leader decisions (approvals, go-ahead). Four eyes — nobody
    approves a plan they drafted — is checked by the plan service."""
    return user.has_perm("complaints.approve_plan") and in_team(user, sr)


def decides_referrals_only(user: User) -> bool:
    """Managers decide on plans referred up to their grade (CMSF5551); what
    waits for the team's team leader is not theirs to decide or refer."""
    return has_role(user, Role.MANAGER) and not has_role(
        user, Role.TEAM_LEADER, Role.HEAD_OF_COMPLAINTS_REVIEW, Role.ADMIN)


def can_add_note(user: User, sr: ServiceRequest) -> bool:
    return sr.is_open and user.has_perm("complaints.add_note") and in_team(user, sr)


def can_override_eligibility(user: User) -> bool:
    return user.has_perm("complaints.override_eligibility")


# django-fsm types conditions and permissions for any model and any user;
# ours are for SRs and signed-in users, and it calls them with nothing else.
FsmCondition = Callable[[Model], bool]
FsmPermission = Callable[[Model, Any], bool]


def fsm_condition(check: Callable[[ServiceRequest], bool]) -> FsmCondition:
    return cast(FsmCondition, check)


def fsm_permission(check: Callable[[ServiceRequest, User], bool]) -> FsmPermission:
    return cast(FsmPermission, check)


# Transition permission callables take (instance, user), as django-fsm calls them.
@fsm_permission
def tp_work(sr: ServiceRequest, user: User) -> bool:
    return can_work(user, sr)


@fsm_permission
def tp_allocate(sr: ServiceRequest, user: User) -> bool:
    return can_allocate(user, sr)


@fsm_permission
def tp_approve(sr: ServiceRequest, user: User) -> bool:
    return can_approve(user, sr)
