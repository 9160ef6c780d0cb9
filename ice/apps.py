from django.apps import AppConfig


class IceConfig(AppConfig):
    name = "ice"
    verbose_name = "ICE"

    def ready(self) -> None:
        from . import letters, panels, workflow  # noqa: F401  (registers the ICE route, its letter rule and tab)
