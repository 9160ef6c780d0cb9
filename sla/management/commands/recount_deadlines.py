from typing import Any

from django.core.management.base import BaseCommand

from sla.counts import differences, recount


class Command(BaseCommand):
    help = ("Rebuild the kept counts of deadlines behind the dashboard from the clocks (after a bulk load, or "
            "to repair them), and say how many had drifted.")

    def handle(self, *args: Any, **options: Any) -> None:
        drifted = len(differences())
        rows = recount()
        self.stdout.write(f"{drifted} count{'' if drifted == 1 else 's'} differed from the clocks; "
                          f"{rows} kept now.")
