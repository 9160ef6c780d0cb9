"""Keeps each process's working-day calendar in step with the ClosureDay
table. sla.calendar caches its tables per process and stays importable
without Django; this module gives it a loader (registered in SlaConfig.ready,
called lazily on first use, never at import) and notices edits made by other
processes (another gunicorn worker, the Celery worker) with one cheap
aggregate query."""

import threading
import time
from collections import defaultdict
from datetime import date

from django.db.models import Count, Max

from workdays import calendar

from .models import ClosureDay

_lock = threading.Lock()
_signature: tuple | None = None
_checked_at = 0.0


def load_closures() -> dict[str, dict[date, str]]:
    """{region: {date: name}} of every office closure (a small table)."""
    closures: dict[str, dict[date, str]] = defaultdict(dict)
    for region, day, name in ClosureDay.objects.values_list("region", "date", "name"):
        closures[region][day] = name
    return dict(closures)


def _current_signature() -> tuple:
    agg = ClosureDay.objects.aggregate(n=Count("id"), last_id=Max("id"), last_edit=Max("updated_at"))
    return (agg["n"], agg["last_id"], agg["last_edit"])


def ensure_fresh(max_age: float = 0.0) -> None:
    """Drop the cached calendar if the closures changed since it was built.
    Writers (start_clock, the scan) call it with max_age=0; pages may pass a
    few seconds to spare a query."""
    global _signature, _checked_at
    if max_age and time.monotonic() - _checked_at < max_age:
        return
    signature = _current_signature()
    with _lock:
        _checked_at = time.monotonic()
        if signature != _signature:
            calendar.invalidate()
            _signature = signature


def invalidate() -> None:
    """After this process changed closures itself: rebuild on next use."""
    global _signature
    with _lock:
        _signature = None
    calendar.invalidate()
