"""Print every route's states (with Status / Sub Status / Stage) and
transitions (name, sources, target, who may run it)."""

import json

from django.core.management.base import BaseCommand

from complaints.routes import REGISTRY


def describe() -> dict:
    routes = {}
    for route, spec in sorted(REGISTRY.items()):
        field = spec.proxy._meta.get_field("state")
        transitions: dict[str, dict] = {}
        for t in field.get_all_transitions(spec.proxy):
            entry = transitions.setdefault(t.name, {
                "name": t.name,
                "label": t.custom.get("label", t.name),
                "sources": [],
                "target": None,
                "who": t.custom.get("who", ""),
                "letter": t.custom.get("letter"),
            })
            entry["sources"].append(t.source)
            target = t.target
            if hasattr(target, "allowed_states"):
                target = list(target.allowed_states)
            entry["target"] = target if target is not None else "(unchanged)"
        for entry in transitions.values():
            if "*" in entry["sources"]:
                entry["sources"] = ["any open state"]
        routes[route] = {
            "initial_state": spec.initial_state,
            "states": [
                {"state": state, "status": labels.status, "sub_status": labels.sub_status, "stage": labels.stage}
                for state, labels in spec.labels.items()
            ],
            "transitions": sorted(transitions.values(), key=lambda e: e["name"]),
        }
    return routes


class Command(BaseCommand):
    help = "Describe every route's state machine"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--json", action="store_true", help="Print JSON")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        data = describe()
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, default=str))
            return
        for route, spec in data.items():
            self.stdout.write(self.style.MIGRATE_HEADING(f"{route} (starts in {spec['initial_state']})"))
            for s in spec["states"]:
                self.stdout.write(f"  {s['state']:32} {s['status']} / {s['sub_status'] or '–'} / {s['stage']}")
            for t in spec["transitions"]:
                self.stdout.write(f"  → {t['name']:28} {', '.join(map(str, t['sources']))} → {t['target']}  [{t['who']}]")
