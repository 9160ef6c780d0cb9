from typing import Any

from django.core.management.base import BaseCommand

from sla.counts import differences, recount
from sla.services import resync_clock_owners


class Command(BaseCommand):
    help = ("Rebuild the kept counts of deadlines behind the dashboard from the clocks (after a bulk load, or "
            "to repair them), and say how many had drifted; running deadlines take their case's owner again.")

    def handle(self, *args: Any, **options: Any) -> None:
        owners = resync_clock_owners()
        if owners:
            self.stdout.write(f"{owners} running deadline{'' if owners == 1 else 's'} had another owner than "
                              "their case; they now have the case's.")
        drifted = len(differences())
        rows = recount()
        self.stdout.write(f"{drifted} count{'' if drifted == 1 else 's'} differed from the clocks; "
                          f"{rows} kept now.")
