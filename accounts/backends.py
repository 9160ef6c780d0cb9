"""Permissions from role groups in one query.

Django's ModelBackend reads a user's group permissions in one query and
accounts.roles reads the group names in another; every page needs both.
This backend reads the names and the permissions of the user's groups
together and leaves the names where accounts.roles looks for them."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group


class RoleGroupBackend(ModelBackend):
    def get_group_permissions(self, user_obj, obj=None):  # type: ignore[no-untyped-def]
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
