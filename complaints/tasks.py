"""Thin Celery tasks: call the service."""

from celery import shared_task

from .idempotency import purge_form_submissions


@shared_task(name="complaints.purge_form_submissions")
def purge_form_submissions_task() -> int:
    """Beat runs this daily (config.settings.base)."""
    return purge_form_submissions()
