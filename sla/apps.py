from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "sla"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from accounts import navigation
        from workdays import calendar

        from . import panels, steps  # noqa: F401  (the case page's tab, clock and task steps, facts)
        from .calendar_sync import load_closures
        from .navigation import dashboard_nav_item, dg_caselist_nav_item, mi_nav_item

        # Lazy: the loader runs on the calendar's first use, not here, so
        # starting a process never queries the database.
        calendar.set_closure_loader(load_closures)
        navigation.register(dashboard_nav_item)
        navigation.register(dg_caselist_nav_item)
        navigation.register(mi_nav_item)
