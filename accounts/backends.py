"""Permissions come from roles (groups) only, read in one query.

Django's ModelBackend reads a user's own permissions in one query, their
group permissions in another, and accounts.roles the group names in a
third; every page needs them. Here a user's rights are exactly their
roles' (no per-user grants to audit; the admin does not offer them), and
the group names come with the group permissions — and, in the same
statement, the user's teams with their routes, which every page asks too
(complaints.permissions: scoping, the navigation's "in an ICE team?")."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import CharField, IntegerField, QuerySet, Value

from prepared import prepared

from .models import Membership, User


def read_access(user: User) -> None:
    """The user's role names, their roles' permissions and their (team id,
    route) pairs, kept on the user for the rest of the request: one
    statement (a UNION ALL of the two reads; a team row is the one with a
    team id) rather than one for the roles and another for the teams."""
    names: set[str] = set()
    perms: set[str] = set()
    memberships: set[tuple[int, str]] = set()
    for name, app_label, codename_or_route, team_id in _access_rows(user.pk):
        if team_id is not None:
            memberships.add((team_id, codename_or_route))
            continue
        names.add(name)
        if codename_or_route:
            perms.add(f"{app_label}.{codename_or_route}")
    user._role_names = frozenset(names)
    user._group_perm_cache = perms
    user._team_memberships = frozenset(memberships)


@prepared
def _access_rows(user_id: int) -> QuerySet[Any]:
    roles = Group.objects.filter(user__id=user_id).values_list(
        "name", "permissions__content_type__app_label", "permissions__codename",
        Value(None, output_field=IntegerField()))
    teams = Membership.objects.filter(user_id=user_id).values_list(
        Value(None, output_field=CharField()), Value(None, output_field=CharField()), "team__route", "team_id")
    return roles.union(teams, all=True)


@prepared
def _user(user_id: int) -> QuerySet[User]:
    return User.objects.filter(pk=user_id)


class RoleGroupBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        """The signed-in user of every request (ModelBackend.get_user), its
        statement compiled once (prepared)."""
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = next(iter(_user(pk)), None)
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if user_obj.is_active and user_obj.is_superuser and obj is None:
            return super().get_user_permissions(user_obj, obj)
        return set()

    def get_group_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_group_permissions(user_obj, obj)
        if not hasattr(user_obj, "_group_perm_cache"):
            read_access(user_obj)
        return user_obj._group_perm_cache
