"""The case page's tabs and My work's sections, contributed by the apps that
own what they show (the deadlines, the plan, the letters), so the core's
views import none of them. Each app registers its panels at start-up."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accounts.http import SignedInRequest

from .models import ServiceRequest

Context = Callable[[SignedInRequest, ServiceRequest], dict[str, Any]]


def _always(sr: ServiceRequest) -> bool:
    return True


def _nothing(request: SignedInRequest, sr: ServiceRequest) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class CasePanel:
    """One tab of the case page: `template` is included with the page's
    context plus what `context` adds."""

    key: str  # the tab's id (the page's #fragment)
    title: str
    template: str
    order: int
    context: Context = _nothing
    shown: Callable[[ServiceRequest], bool] = _always


@dataclass(frozen=True)
class MyWorkSection:
    """A section of My work above the user's SRs (the tasks panel)."""

    template: str
    order: int
    context: Callable[[SignedInRequest], dict[str, Any]]


_CASE_PANELS: dict[str, CasePanel] = {}
_MY_WORK: list[MyWorkSection] = []


def register_case_panel(panel: CasePanel) -> CasePanel:
    _CASE_PANELS[panel.key] = panel
    return panel


def register_my_work_section(section: MyWorkSection) -> MyWorkSection:
    if section not in _MY_WORK:
        _MY_WORK.append(section)
    return section


def case_panels(request: SignedInRequest, sr: ServiceRequest) -> tuple[list[CasePanel], dict[str, Any]]:
    """The tabs shown for this SR, in order, and the context they add."""
    panels = sorted((p for p in _CASE_PANELS.values() if p.shown(sr)), key=lambda p: p.order)
    context: dict[str, Any] = {}
    for panel in panels:
        context.update(panel.context(request, sr))
    return panels, context


def my_work_sections(request: SignedInRequest) -> tuple[list[MyWorkSection], dict[str, Any]]:
    sections = sorted(_MY_WORK, key=lambda s: s.order)
    context: dict[str, Any] = {}
    for section in sections:
        context.update(section.context(request))
    return sections, context


# The core's own tabs; the case page view gives them their context.
register_case_panel(CasePanel(key="summary", title="Summary", template="complaints/_case_summary.html", order=10))
register_case_panel(CasePanel(key="related", title="Related SRs", template="complaints/_case_related.html", order=50))
register_case_panel(CasePanel(key="timeline", title="Timeline", template="complaints/_case_timeline.html", order=60))
register_case_panel(CasePanel(key="notes", title="Notes", template="complaints/_case_notes.html", order=70))
