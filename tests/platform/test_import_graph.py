"""The apps form floors and depend one way: each imports only from the
floors below it (and itself), never upwards, so there is no circle between
apps. Every import counts, at module level or inside a function: an import
moved into a function to dodge a cycle is still the cycle."""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

# Lowest first. An app may import from its own floor's libraries below it.
FLOORS: list[set[str]] = [
    {"workdays", "prepared"},  # pure libraries: the working-day calendar, statements compiled once
    {"accounts"},  # users, teams, roles, grades
    {"complaints"},  # the SR core, the transition pipeline and step vocabulary, plans, Resolution and Review
    {"sla"},  # deadline clocks, tasks, the scan, the dashboard
    {"letters"},  # letters and e-mail
    {"ice", "phso"},  # the external bodies' routes
    {"casework", "config"},  # the whole service: settings, URLs, commands that read every route
]
FLOOR = {app: level for level, apps in enumerate(FLOORS) for app in apps}
ROOT = Path(settings.BASE_DIR)


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every project module the file imports, wherever the import is."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return {name for name in found if name.split(".")[0] in FLOOR}


def _app_graph() -> dict[str, dict[str, set[str]]]:
    """app -> imported app -> the files of app that import it."""
    graph: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for app in FLOOR:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # frozen history: migrations name the models of their time
            for name in _imports(path):
                other = name.split(".")[0]
                if other != app:
                    graph[app][other].add(str(path.relative_to(ROOT)))
    return graph


def test_every_app_of_the_project_has_a_floor():
    project_apps = {name for name in settings.INSTALLED_APPS if (ROOT / name).is_dir()}
    assert project_apps - set(FLOOR) == set()


def test_no_app_imports_from_a_floor_above_it_or_beside_it():
    upward = [
        f"{app} (floor {FLOOR[app]}) imports {other} (floor {FLOOR[other]}) in {sorted(files)}"
        for app, targets in _app_graph().items() for other, files in targets.items()
        if FLOOR[other] >= FLOOR[app]
    ]
    assert not upward, "\n".join(upward)


def test_no_circle_between_apps():
    graph = {app: set(targets) for app, targets in _app_graph().items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        for nxt in graph.get(start, ()):
            if nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})):
                return True
        return False

    circles = [app for app in graph if reaches(app, app, set())]
    assert not circles, f"apps on a circle: {circles}"


def test_the_core_imports_none_of_the_apps_above_it():
    core = _app_graph()["complaints"]
    assert not set(core) & {"sla", "letters", "ice", "phso", "casework", "config"}, dict(core)


def _module_level_imports(path: Path) -> set[str]:
    """What importing the file imports straight away (not inside functions,
    nor `if TYPE_CHECKING:` blocks, which never run)."""
    module = _module(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, node.module] if node.module else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_no_circle_between_the_project_modules():
    """Not even inside one app: a circle of files is what made the import
    order fragile (and invited imports inside functions)."""
    modules = {_module(p): p for app in FLOOR for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts}
    graph = {name: {m for m in _module_level_imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    circles = []
    for start in graph:
        stack, seen = [(start, [start])], set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    circles.append(" -> ".join([*trail, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert not circles, "\n".join(sorted(set(circles))[:10])
