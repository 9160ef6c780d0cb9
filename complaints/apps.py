from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        # Each route's service module registers its proxy model and effects.
        from . import navigation  # noqa: F401  (the Approvals item)
        from .services import resolution, review  # noqa: F401
