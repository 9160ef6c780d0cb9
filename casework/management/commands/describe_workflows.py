"""Print every route: its states (with Status / Sub Status / Stage) and its
steps with what each does (deadlines started and met, tasks, letter,
e-mails, SRs raised) — as JSON, or as the Markdown page docs/workflows.md."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casework.workflows import describe, markdown


class Command(BaseCommand):
    help = "Describe every route's state machine and the steps it declares"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Print JSON")
        parser.add_argument("--markdown", action="store_true", help="Print the Markdown page")
        parser.add_argument("--write", metavar="PATH", help="Write the Markdown page to PATH")
        parser.add_argument("--check", metavar="PATH", help="Fail if the page at PATH is not current")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write"]:
            Path(options["write"]).write_text(markdown(), encoding="utf-8")
            self.stdout.write(f"Wrote {options['write']}")
            return
        if options["check"]:
            path = Path(options["check"])
            if not path.exists() or path.read_text(encoding="utf-8") != markdown():
                raise CommandError(f"{path} is out of date: run describe_workflows --write {path}")
            self.stdout.write(f"{path} is current")
            return
        if options["markdown"]:
            self.stdout.write(markdown())
            return
        data = describe()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, default=str))
            return
        for route, spec in data.items():
            self.stdout.write(self.style.MIGRATE_HEADING(f"{route} (starts in {spec['initial_state']})"))
            for s in spec["states"]:
                self.stdout.write(f"  {s['state']:32} {s['status']} / {s['sub_status'] or '–'} / {s['stage']}")
            for t in spec["transitions"]:
                self.stdout.write(f"  → {t['name']:28} {', '.join(map(str, t['sources']))} → {t['target']}  "
                                  f"[{t['who']}]")
