"""Write the letter library to a file (or standard output), to import into
another environment with import_letter_library — see letters/library.py."""

from pathlib import Path
from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser

from letters.library import export_library


class Command(BaseCommand):
    help = ("Write the letter library (paragraphs with all their versions and Welsh variants, templates with "
            "their parts and versions) to a file that import_letter_library reads in another environment.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", metavar="FILE",
                            help="Write here (e.g. letters.json); without it, to standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        if not output:
            summary = export_library(cast(IO[str], self.stdout))
            self.stderr.write(f"Exported {summary}.")
            return
        path = Path(output)
        try:
            # Written beside the target and moved over it: a failed export
            # never leaves half a file where the last good one was.
            partial = path.with_name(path.name + ".partial")
            with partial.open("w", encoding="utf-8") as stream:
                summary = export_library(stream)
            partial.replace(path)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror or exc}.") from None
        self.stdout.write(f"Exported {summary} to {output}.")
