"""E-mails steps send (to ICE, PHSO, named colleagues): the only code that
writes them.

- queue_email: write the e-mail and its timeline event in the caller's
  transaction (a step), publish the send task after commit;
- send_queued_email: the worker's body — a conditional claim, so a
  redelivered task or a second worker sends nothing twice;
- relay_emails: republish what the broker never got (run by the outbox
  relay every minute), so a broker outage delays an e-mail, never loses it.

Mailboxes are named in settings.CASEWORK_MAILBOXES ({"ice": ("Independent
Case Examiner", "address"), …}), so steps say who, and operators say where.
"""

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from complaints.models import ServiceRequest
from complaints.services.audit import record_event
from complaints.services.errors import ServiceError

from .models import OutgoingEmail

log = logging.getLogger("letters")

SEND_TASK = "letters.send_email"
CLAIM_TIMEOUT = timedelta(minutes=5)
REPUBLISH_AFTER = timedelta(minutes=5)


def mailbox(name: str) -> tuple[str, str]:
    """(who, address) of a named mailbox."""
    found = settings.CASEWORK_MAILBOXES.get(name)
    if found is None:
        raise ServiceError(f"No e-mail address is set up for {name.replace('_', ' ')}: ask an administrator.")
    return found


def mailbox_name(name: str) -> str:
    return settings.CASEWORK_MAILBOXES.get(name, (name.replace("_", " "), ""))[0]


def queue_email(*, sr: ServiceRequest, actor: User | None, to: str, subject: str, body: str,
                now: datetime) -> OutgoingEmail:
    who, address = mailbox(to)
    email = OutgoingEmail.objects.create(sr=sr, mailbox=to, to_address=address, subject=subject[:200], body=body,
                                         created_by=actor, created_at=now)
    # The text is on the timeline: what was said, to whom, when.
    record_event(sr=sr, actor=actor, verb="email_sent", now=now, to=who, subject=subject, body=body,
                 email_id=email.pk)
    transaction.on_commit(lambda: publish_email(email.pk))
    return email


def publish_email(email_id: int) -> bool:
    """Hand the send task to the broker; a failure is logged, not raised:
    the relay tries again."""
    now = timezone.now()
    try:
        current_app.signature(SEND_TASK, args=[email_id]).apply_async(retry=False)
    except Exception as exc:  # noqa: BLE001 — any broker failure means "try later"
        log.warning("e-mail %s: send task not published (%s); the relay will retry", email_id, exc)
        OutgoingEmail.objects.filter(pk=email_id).update(publish_attempts=F("publish_attempts") + 1,
                                                         last_error=str(exc)[:300])
        return False
    OutgoingEmail.objects.filter(pk=email_id).update(published_at=now, publish_attempts=F("publish_attempts") + 1,
                                                     last_error="")
    return True


def send_queued_email(email_id: int) -> bool:
    """Send one e-mail, exactly once: only the worker whose conditional
    UPDATE claims it sends it."""
    now = timezone.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now)
    )
    if not claimed:
        return False
    email = OutgoingEmail.objects.get(pk=email_id)
    send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to_address])
    OutgoingEmail.objects.filter(pk=email_id, claimed_at=now).update(sent_at=timezone.now())
    return True


def pending_emails(now: datetime, limit: int = 500) -> list[int]:
    return list(
        OutgoingEmail.objects.filter(sent_at__isnull=True)
        .filter(Q(published_at__isnull=True) | Q(published_at__lt=now - REPUBLISH_AFTER))
        .order_by("created_at").values_list("pk", flat=True)[:limit]
    )


def relay_emails() -> int:
    published = 0
    for email_id in pending_emails(timezone.now()):
        if not publish_email(email_id):
            break  # the broker is still down: the next run tries again
        published += 1
    return published
