from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from sla.scan import scan_deadlines


class Command(BaseCommand):
    help = "Run the deadline scan now (the same code as the sla.scan_deadlines beat task) and say what it raised."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date.fromisoformat, help="Scan as of this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = scan_deadlines(today=options["date"])
        self.stdout.write(result.summary())
