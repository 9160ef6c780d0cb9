"""Facts about an SR that transition conditions need from the apps above
the core — which deadline clocks started and which still run, which letters
went out — read through functions those apps register at start-up, so the
core never imports them.

Conditions are asked for every transition of a state each time the case
page lists its buttons, so each SR instance reads its facts once and keeps
them; a service that changes them calls `forget_facts`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ImproperlyConfigured

from .models import ServiceRequest


@dataclass(frozen=True)
class ClockFacts:
    started: frozenset[str] = frozenset()  # rule codes of every clock ever started on the SR
    running_due: dict[str, date] = field(default_factory=dict)  # rule code -> earliest due date, running


_CLOCKS: list[Callable[[ServiceRequest], ClockFacts]] = []
_LETTERS: list[Callable[[ServiceRequest], frozenset[str]]] = []
_CLOCK_CACHE = "_clock_facts"
_LETTER_CACHE = "_letters_issued"


def provide_clock_facts(fn: Callable[[ServiceRequest], ClockFacts]) -> Callable[[ServiceRequest], ClockFacts]:
    _CLOCKS[:] = [fn]
    return fn


def provide_letters_issued(fn: Callable[[ServiceRequest], frozenset[str]]) -> Callable[[ServiceRequest], frozenset[str]]:
    _LETTERS[:] = [fn]
    return fn


def clock_facts(sr: ServiceRequest) -> ClockFacts:
    cached = sr.__dict__.get(_CLOCK_CACHE)
    if cached is None:
        if not _CLOCKS:
            raise ImproperlyConfigured("No app provides deadline clock facts.")
        cached = sr.__dict__[_CLOCK_CACHE] = _CLOCKS[0](sr)
    return cached


def letters_issued(sr: ServiceRequest) -> frozenset[str]:
    """Template codes of the letters issued on the SR."""
    cached = sr.__dict__.get(_LETTER_CACHE)
    if cached is None:
        if not _LETTERS:
            raise ImproperlyConfigured("No app provides letter facts.")
        cached = sr.__dict__[_LETTER_CACHE] = _LETTERS[0](sr)
    return cached


def forget_facts(sr: ServiceRequest) -> None:
    sr.__dict__.pop(_CLOCK_CACHE, None)
    sr.__dict__.pop(_LETTER_CACHE, None)
