from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and teams"

    def ready(self) -> None:
        from .roles import sync_role_permissions

        # Permissions only exist after every app has migrated, so roles get
        # theirs here rather than in the migration that creates the groups.
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
