"""Thin Celery tasks: fetch by id, call a service."""

from typing import Any

from celery import shared_task
from celery.signals import worker_process_init

from . import emails, services


@shared_task(name=services.RENDER_TASK, acks_late=True, ignore_result=True)
def render_letter(letter_id: int) -> bool:
    """Idempotent: a second delivery of the same letter renders nothing."""
    return services.render_issued_letter(letter_id)


@shared_task(name=emails.SEND_TASK, acks_late=True, ignore_result=True)
def send_email(email_id: int) -> bool:
    """Idempotent: a second delivery sends nothing."""
    return emails.send_queued_email(email_id)


@shared_task(name="letters.relay_outbox", ignore_result=True)
def relay_outbox() -> int:
    return services.relay_outbox()


@worker_process_init.connect
def warm_renderer(**kwargs: Any) -> None:
    """Build fonts and the print CSS once per worker process, before the
    first letter arrives (a cache warm-up, not business logic)."""
    from .rendering import get_renderer

    get_renderer()
