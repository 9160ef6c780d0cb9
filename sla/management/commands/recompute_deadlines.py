from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from sla.closures import recompute_running_clocks


class Command(BaseCommand):
    help = ("Recompute the due dates of running clocks from the current calendar, e.g. after a `holidays` "
            "upgrade announced a new bank holiday, and write each move on the SR's timeline.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--reason", default="bank holiday calendar updated")

    def handle(self, *args: Any, **options: Any) -> None:
        moved = recompute_running_clocks(changes=None, actor=None, now=timezone.now(), reason=options["reason"])
        self.stdout.write(f"{moved} running clocks moved.")
