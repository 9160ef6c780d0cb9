from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from . import panels, steps  # noqa: F401  (the case page's tab, letter and e-mail steps, facts)
