from django.apps import AppConfig


class IceConfig(AppConfig):
    name = "ice"
    verbose_name = "ICE"

    def ready(self) -> None:
        from . import services  # noqa: F401  (registers the ICE route)
