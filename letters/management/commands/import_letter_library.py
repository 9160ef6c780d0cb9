"""Bring this environment's letter library up to a file written by
export_letter_library: new paragraphs and templates are added, changed
ones get a new version, nothing is deleted or rewritten. See
letters/library.py for the rules."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from letters.library import LibraryFileError, import_library, read_library


class Command(BaseCommand):
    help = ("Import a letter library file (from export_letter_library): adds new paragraphs and templates, "
            "saves changed ones as a new version, never deletes or rewrites a version, and reports what it did.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The library file, e.g. letters.json")
        parser.add_argument("--dry-run", action="store_true",
                            help="Check the file and report what would change, without saving anything")
        parser.add_argument("--by", metavar="USERNAME",
                            help="The person importing: recorded as the author of the new versions")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        actor = None
        if options["by"]:
            actor = User.objects.filter(username=options["by"], is_active=True).first()
            if actor is None:
                raise CommandError(f"There is no active user “{options['by']}” here to record as the importer.")
        try:
            # utf-8-sig: a file saved by an editor that adds a byte-order mark still reads.
            text = Path(name).read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            raise CommandError(f"{name} is not a letter library file: it is not UTF-8 text.") from None
        except OSError as exc:
            raise CommandError(f"Cannot read {name}: {exc.strerror or exc}.") from None
        try:
            report = import_library(read_library(text), actor=actor, dry_run=options["dry_run"])
        except LibraryFileError as exc:
            problems = "\n".join(f"  - {problem}" for problem in exc.problems)
            raise CommandError(f"{name} was not imported; nothing was changed.\n{problems}") from None
        for line in report.lines():
            self.stdout.write(line)
