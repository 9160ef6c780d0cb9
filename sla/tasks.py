"""Thin Celery tasks: parse arguments, call the service."""

from datetime import date

from celery import shared_task

from .scan import scan_deadlines


@shared_task(name="sla.scan_deadlines")
def scan_deadlines_task(today: str | None = None) -> dict:
    """Beat runs this every 15 minutes on weekdays; the scan itself skips
    days that are not working days in England and Wales. `today` (ISO date)
    is for operators and tests replaying a given day."""
    result = scan_deadlines(today=date.fromisoformat(today) if today else None)
    return {"today": result.today.isoformat(), "skipped": result.skipped, "inserted": result.inserted}
