from django.apps import AppConfig


class IceConfig(AppConfig):
    name = "ice"
    verbose_name = "ICE"

    def ready(self) -> None:
        from . import letters, navigation, panels, workflow  # noqa: F401  (the route, its letter rule, tab and page)
