"""Permissions come from roles (groups) only, read in one query.

Django's ModelBackend reads a user's own permissions in one query, their
group permissions in another, and accounts.roles the group names in a
third; every page needs them. Here a user's rights are exactly their
roles' (no per-user grants to audit; the admin does not offer them), and
the group names come with the group permissions."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group


class RoleGroupBackend(ModelBackend):
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
            names: set[str] = set()
            perms: set[str] = set()
            rows = Group.objects.filter(user=user_obj).values_list(
                "name", "permissions__content_type__app_label", "permissions__codename")
            for name, app_label, codename in rows:
                names.add(name)
                if codename:
                    perms.add(f"{app_label}.{codename}")
            user_obj._role_names = frozenset(names)
            user_obj._group_perm_cache = perms
        return user_obj._group_perm_cache
