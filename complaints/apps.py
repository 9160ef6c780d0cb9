from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = "Complaints"

    def ready(self) -> None:
        # The steps the core carries out itself, the plans capability, and
        # the two routes the core declares; sla, letters, ice and phso
        # register theirs in their own ready().
        from . import handlers, panels  # noqa: F401
        from .plans import navigation, services  # noqa: F401
        from .plans import panels as plan_panels  # noqa: F401
        from .workflows import resolution, review  # noqa: F401
