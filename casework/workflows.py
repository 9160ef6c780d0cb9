"""Every route as data and as the page a complaints manager checks against
the written procedure: read from the routes' declarations (complaints.steps),
never written by hand, so the page cannot drift from what the app does.

describe() gives the data `describe_workflows --json` prints; markdown()
the page `describe_workflows --write docs/workflows.md` writes (a test
checks the checked-in page is current)."""

from __future__ import annotations

import re
from typing import Any

from django_fsm import State, Transition

from complaints.models import Route
from complaints.routes import CLOSED, REGISTRY, RouteSpec, route_transitions
from complaints.steps import (
    Assignee,
    CancelClock,
    CloseTask,
    Declaration,
    MeetClock,
    RaiseSR,
    RaiseTask,
    SendEmail,
    StartClock,
    declaration_of,
)
from letters.emails import mailbox_name
from letters.models import LetterTemplate
from sla.models import DeadlineRule

ANY = "any open state"


def _rules() -> dict[str, DeadlineRule]:
    return {rule.code: rule for rule in DeadlineRule.objects.all()}


def _letters() -> dict[str, str]:
    return dict(LetterTemplate.objects.values_list("code", "heading"))


def _start(step: StartClock) -> dict[str, Any]:
    out: dict[str, Any] = {"rule": step.rule, "from": step.start.describe()}
    if step.due is not None:
        out["due"] = step.due.describe()
    if step.longer_if:
        out["longer_if"] = step.longer_if
    if step.label_field:
        out["several"] = True
    return out


def _task(step: RaiseTask) -> dict[str, Any]:
    who = step.assignee.value if isinstance(step.assignee, Assignee) else f"role: {step.assignee}"
    return {"name": step.name, "title": step.title, "assignee": who,
            "due": step.due.describe() if step.due is not None else None}


def _steps(steps: tuple[Any, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for step in steps:
        if isinstance(step, StartClock):
            out.append({"start_clock": _start(step)})
        elif isinstance(step, MeetClock):
            out.append({"meet_clock": step.rule})
        elif isinstance(step, CancelClock):
            out.append({"cancel_clock": step.rule})
        elif isinstance(step, RaiseTask):
            out.append({"raise_task": _task(step)})
        elif isinstance(step, CloseTask):
            out.append({"close_task": step.name})
        elif isinstance(step, SendEmail):
            out.append({"email": {"to": step.to, "subject": step.subject}})
    return out


def _raise(step: RaiseSR | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {
        "route": step.describe_route or (step.route if isinstance(step.route, str) else step.route.__name__),
        "reason": step.reason, "copies": list(step.copy), "steps": _steps(step.steps),
        "when_it_closes": _steps(step.on_close), "then_on_this_sr": _steps(step.origin_on_close),
    }


def _declared(decl: Declaration) -> dict[str, Any]:
    return {
        "records": [f if isinstance(f, str) else f"{f[0]} (from {f[1]})" for f in decl.record],
        "plan": decl.plan.value if decl.plan else None,
        "clocks_started": [_start(c) for c in decl.starts],
        "clocks_met": [c.rule for c in decl.meets],
        "clocks_cancelled": [c.rule for c in decl.cancels],
        "tasks_raised": [_task(t) for t in decl.raises],
        "tasks_closed": [t.name for t in decl.closes],
        "letter": decl.letter,
        "emails": [{"to": e.to, "subject": e.subject} for e in decl.emails],
        "raises_sr": _raise(decl.raise_sr),
        "links": [{"field": link.field, "reason": link.reason} for link in decl.links],
        "hand_written": _first_paragraph(decl.effect.__doc__ or decl.effect.__name__) if decl.effect else None,
    }


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n")[0].split())


def _target(t: Transition) -> list[str] | str:
    target = t.target
    if isinstance(target, State):  # RETURN_VALUE or GET_STATE: the states it may lead to
        return [str(state) for state in target.allowed_states or []]
    return str(target) if target is not None else "(unchanged)"


def _transitions(spec: RouteSpec) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for t in route_transitions(spec):
        entry = found.setdefault(t.name, {
            "name": t.name, "label": t.custom.get("label", t.name), "order": t.custom.get("order", 50),
            "sources": [], "target": _target(t), "who": t.custom.get("who", ""),
            "conditions": [c.__name__ for c in t.conditions], **_declared(declaration_of(t.custom)),
        })
        entry["sources"].append(ANY if t.source == "*" else t.source)
    for entry in found.values():
        if ANY in entry["sources"]:
            entry["sources"] = [ANY]
    return sorted(found.values(), key=lambda e: (_first_state(spec, e["sources"]), e["order"], e["name"]))


def _first_state(spec: RouteSpec, sources: list[str]) -> int:
    states = spec.states
    return min((states.index(s) for s in sources if s in states), default=len(states))


def describe() -> dict[str, Any]:
    routes: dict[str, Any] = {}
    # In the order a complaint travels: Resolution, Review, ICE, PHSO.
    for route, spec in sorted(REGISTRY.items(), key=lambda item: list(Route.values).index(item[0])):
        routes[route] = {
            "title": spec.title,
            "initial_state": spec.initial_state,
            "on_create": {"clocks_started": [_start(c) for c in spec.on_create.clocks],
                          "tasks_raised": [_task(t) for t in spec.on_create.tasks],
                          "owner_is_creator": spec.on_create.owner_is_creator},
            "plans": None if spec.plans is None else {
                "edited_in": list(spec.plans.edit_states), "actions_in": list(spec.plans.action_states),
                "waiting_in": list(spec.plans.waiting_states)},
            "states": [
                {"state": state, "name": spec.names.get(state, state.replace("_", " ").capitalize()),
                 "status": labels.status, "sub_status": labels.sub_status, "stage": labels.stage}
                for state, labels in spec.labels.items()
            ],
            "transitions": _transitions(spec),
        }
    return routes


# --- the Markdown page ---------------------------------------------------------


class _Words:
    """Codes turned into the words of the procedure."""

    def __init__(self) -> None:
        self.rules = _rules()
        self.letters = _letters()
        self.task_titles: dict[str, str] = {}

    def rule(self, code: str) -> str:
        rule = self.rules.get(code)
        return f"{rule.name} ({rule.length_text})" if rule else code

    def start(self, clock: dict[str, Any]) -> str:
        text = f"{self.rule(clock['rule'])}, from {clock['from']}"
        if clock.get("due"):
            text += f", due on {clock['due']}"
        if clock.get("longer_if"):
            text += f" (longer when “{clock['longer_if'].replace('_', ' ')}”)"
        return text

    def letter(self, code: str | None) -> str:
        if not code:
            return ""
        heading = self.letters.get(code, "")
        return f"{code} ({heading})" if heading else code

    def codes(self, text: str) -> str:
        for code, rule in self.rules.items():
            text = text.replace(f"the {code} deadline", f"“{rule.name}”")
        return text

    def task(self, task: dict[str, Any]) -> str:
        due = f", due {self.codes(task['due'])}" if task.get("due") else ""
        self.task_titles[task["name"]] = task["title"]
        return f"“{_words(task['title'])}” for the {task['assignee']}{due}"

    def closed_task(self, name: str) -> str:
        return f"“{_words(self.task_titles.get(name, name.replace('-', ' ')))}”"

    def steps(self, steps: list[dict[str, Any]]) -> str:
        parts = []
        for step in steps:
            kind, value = next(iter(step.items()))
            parts.append({
                "start_clock": lambda v: f"start {self.start(v)}",
                "meet_clock": lambda v: f"meet {self.rule(v)}",
                "cancel_clock": lambda v: f"stop {self.rule(v)}",
                "raise_task": lambda v: f"task {self.task(v)}",
                "close_task": lambda v: f"close the {self.closed_task(v)} task",
                "email": lambda v: f"e-mail {mailbox_name(v['to'])}: “{v['subject']}”",
            }[kind](value))
        return "; ".join(parts)


PLACEHOLDER_WORDS = {"reference": "SR reference", "client": "client's name", "owner": "owner", "raised": "raised SR",
                     "resolution_code": "resolution code", "today": "date", "redress": "redress",
                     "grade": "grade", "form": "form"}


def _words(text: str) -> str:
    """A banner, task title or e-mail subject with its placeholders in words."""
    return re.sub(r"\{(\w+)(?:\[[^\]]*\])?\}", lambda m: f"[{PLACEHOLDER_WORDS.get(m.group(1), m.group(1))}]", text)


def _cell(text: str) -> str:
    return _words(text or "–").replace("|", "\\|").replace("\n", " ")


def _labels(s: dict[str, Any]) -> str:
    return " / ".join(x for x in (s["status"], s["sub_status"], s["stage"]) if x)


def _state_label(route: dict[str, Any], state: str) -> str:
    """The state's own name: several states may share their three labels."""
    for s in route["states"]:
        if s["state"] == state:
            return s["name"]
    return state


def _mermaid(route: dict[str, Any]) -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2", f"    [*] --> {route['initial_state']}"]
    for s in route["states"]:
        lines.append(f"    state \"{s['name']}: {_labels(s)}\" as {s['state']}")
    seen = set()
    for t in route["transitions"]:
        targets = t["target"] if isinstance(t["target"], list) else [t["target"]]
        for source in t["sources"]:
            if source == ANY:
                continue  # withdraw / reallocate: listed in the table, not drawn from every state
            for target in targets:
                target = source if target == "(unchanged)" else target
                edge = (source, target, t["label"])
                if edge not in seen:
                    seen.add(edge)
                    lines.append(f"    {source} --> {target} : {t['label'].replace(':', ' –')}")
    lines += [f"    {CLOSED} --> [*]", "```"]
    return lines


def markdown() -> str:
    words = _Words()
    data = describe()
    out = [
        "# How each route works",
        "",
        "Generated from the app's own route declarations by "
        "`python manage.py describe_workflows --write docs/workflows.md`; a test fails when this page "
        "is out of date. Each table lists every step a caseworker, team leader or the app takes, in the "
        "words of the written procedure: where it starts, where it leaves the SR (Status / Sub Status / "
        "Stage), who takes it, and what else happens with it — deadlines started and met, tasks, letters, "
        "e-mails and SRs raised.",
        "",
        "Every step runs as one change: if any part of it is refused, nothing is saved. Within a step the "
        "app does things in this order: records the form's details and the note, updates the plan, starts "
        "then meets deadlines, closes tasks (and, when the SR closes, stops whatever still runs on it), "
        "raises a linked SR, raises tasks, issues the letter, sends the e-mails.",
        "",
    ]
    for route, info in data.items():
        out += [f"## {info['title'] or route}", ""]
        created = info["on_create"]
        started = "; ".join(words.start(c) for c in created["clocks_started"])
        first = f"An SR starts in **{_state_label(info, info['initial_state'])}**"
        if created["owner_is_creator"]:
            first += ", owned by whoever records it"
        if started:
            first += f"; recording it starts {started}"
        out += [first + ".", ""]
        if info["plans"]:
            plans = info["plans"]
            out += [
                "Resolution plans: edited in " + ", ".join(_state_label(info, s) for s in plans["edited_in"])
                + "; actions carried out in " + ", ".join(_state_label(info, s) for s in plans["actions_in"])
                + "; decisions awaited in " + ", ".join(_state_label(info, s) for s in plans["waiting_in"]) + ".",
                "",
            ]
        out += ["| State | Status | Sub Status | Stage |", "|---|---|---|---|"]
        out += [f"| {_cell(s['name'])} | {_cell(s['status'])} | {_cell(s['sub_status'])} | {_cell(s['stage'])} |"
                for s in info["states"]]
        out += ["", "| Step | From | To | Who | Deadlines | Tasks | Letter, e-mail | Also |", "|---|---|---|---|---|---|---|---|"]
        for t in info["transitions"]:
            sources = ", ".join(_state_label(info, s) if s != ANY else ANY for s in t["sources"])
            targets = t["target"] if isinstance(t["target"], list) else [t["target"]]
            to = ", ".join("(stays)" if x == "(unchanged)" else _state_label(info, x) for x in targets)
            deadlines = "; ".join(
                [f"starts {words.start(c)}" for c in t["clocks_started"]]
                + [f"meets {words.rule(c)}" for c in t["clocks_met"]]
                + [f"stops {words.rule(c)}" for c in t["clocks_cancelled"]])
            tasks = "; ".join([f"raises {words.task(x)}" for x in t["tasks_raised"]]
                              + [f"closes {words.closed_task(x)}" for x in t["tasks_closed"]])
            mail = "; ".join(([words.letter(t["letter"])] if t["letter"] else [])
                             + [f"e-mail {mailbox_name(e['to'])}: “{e['subject']}”" for e in t["emails"]])
            also = []
            if t["plan"]:
                also.append(f"plan: {t['plan'].replace('_', ' ')}")
            if t["records"]:
                also.append("records " + ", ".join(r.split(" (from")[0].replace("_", " ") for r in t["records"]))
            if t["raises_sr"]:
                raised = t["raises_sr"]
                text = f"raises a linked {raised['route']} SR ({raised['reason']})"
                if raised["steps"]:
                    text += f" and on it: {words.steps(raised['steps'])}"
                if raised["when_it_closes"] or raised["then_on_this_sr"]:
                    text += (f"; when that SR closes: {words.steps(raised['when_it_closes'])}"
                             f"{'; ' if raised['when_it_closes'] else ''}{words.steps(raised['then_on_this_sr'])}")
                also.append(text)
            if t.get("links"):
                also.append("links the SRs ticked: " + "; ".join(link["reason"] for link in t["links"]))
            if t["hand_written"]:
                also.append(t["hand_written"])
            out.append("| " + " | ".join(_cell(x) for x in (
                t["label"], sources, to, t["who"], deadlines, tasks, mail, "; ".join(also))) + " |")
        out += [""] + _mermaid(info) + [""]
    return "\n".join(out)
