"""Roles are Django Groups created by a data migration; this module names
them and answers "does this user have role X" with one query per request."""

from enum import StrEnum
from typing import Any

from django.apps import AppConfig, apps
from django.contrib.auth.models import AnonymousUser, Group, Permission

from accounts.models import User


class Role(StrEnum):
    CASEWORKER = "Caseworker"
    TEAM_LEADER = "Team Leader"
    MANAGER = "Manager"
    LETTER_ADMIN = "Letter Admin"
    HEAD_OF_COMPLAINTS_REVIEW = "Head of Complaints Review"
    ADMIN = "Admin"


# Role checks answer for anyone, signed in or not.
AnyUser = User | AnonymousUser | None


def role_names(user: AnyUser) -> frozenset[str]:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        # accounts.backends.RoleGroupBackend reads the names with the
        # group permissions the page needs anyway; fall back to a query.
        user.get_group_permissions()
        cached = getattr(user, "_role_names", None)
        if cached is None:
            cached = frozenset(user.groups.values_list("name", flat=True))
            user._role_names = cached
    return cached


def has_role(user: AnyUser, *roles: Role) -> bool:
    names = role_names(user)
    return any(r.value in names for r in roles)


def is_team_leader(user: AnyUser) -> bool:
    return has_role(user, Role.TEAM_LEADER, Role.ADMIN)


def is_manager(user: AnyUser) -> bool:
    return has_role(user, Role.MANAGER, Role.ADMIN)


# Model permissions each role's Group holds ("app_label.codename"). Synced
# after every migrate (accounts.apps), so permissions of models added by
# later migrations reach their groups; codenames not yet created are skipped.
_CASEWORK = [
    "complaints.view_servicerequest", "complaints.add_servicerequest", "complaints.change_servicerequest",
    "complaints.work_servicerequest", "complaints.view_client", "complaints.add_client",
    "complaints.change_client", "complaints.add_note", "complaints.view_note",
    "complaints.view_resolutionplan", "complaints.change_resolutionplan",
    "letters.view_issuedletter", "letters.add_issuedletter",
    "sla.view_task", "sla.change_task", "sla.view_deadlineclock",
]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.CASEWORKER: _CASEWORK,
    Role.TEAM_LEADER: _CASEWORK + [
        "complaints.allocate_servicerequest", "complaints.approve_plan",
        "complaints.override_eligibility", "sla.view_dashboard", "sla.change_deadlineclock",
    ],
    # Managers (G7 and above) decide on plans referred up to their grade
    # (CMSF5551); their grade's limit decides what they may approve.
    Role.MANAGER: [
        "complaints.view_servicerequest", "complaints.view_client", "complaints.view_note",
        "complaints.approve_plan",
        "sla.view_dashboard", "sla.view_deadlineclock", "sla.view_task",
        "accounts.view_user", "accounts.view_team",
    ],
    Role.LETTER_ADMIN: [
        "letters.view_paragraph", "letters.add_paragraph", "letters.change_paragraph",
        "letters.view_lettertemplate", "letters.add_lettertemplate", "letters.change_lettertemplate",
        "letters.view_templatepart", "letters.add_templatepart", "letters.change_templatepart",
        "letters.delete_templatepart",
    ],
    Role.HEAD_OF_COMPLAINTS_REVIEW: _CASEWORK + [
        "complaints.approve_plan", "complaints.sign_off_response", "sla.view_dashboard",
    ],
    Role.ADMIN: [],  # Admins are superusers: Django grants them everything.
}


def sync_role_permissions(app_config: AppConfig | None = None, **kwargs: Any) -> None:
    """Give each role's Group exactly the permissions listed above. Run
    after `migrate` (and every test flush) once, when the last app with
    models has migrated and every permission exists — not once per app."""

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not None and with_models and app_config is not with_models[-1]:
        return
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted: set[int] = set()
        for dotted in perms:
            app_label, codename = dotted.split(".")
            wanted.update(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
                .values_list("pk", flat=True)
            )
        group.permissions.set(wanted)
