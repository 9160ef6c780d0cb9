from django.apps import AppConfig


class PhsoConfig(AppConfig):
    name = "phso"
    verbose_name = "PHSO / NI Ombudsman"

    def ready(self) -> None:
        from . import panels, workflow  # noqa: F401  (registers the PHSO route and its case tab)
