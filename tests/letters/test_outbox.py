"""Broker outages delay letters but never lose them: the outbox row is
written with the letter, the relay republishes, and the render runs once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from letters import services
from letters.models import IssuedLetter, LetterOutbox, LetterTemplate
from letters.tasks import relay_outbox, render_letter

from .factories import issue, pdf_text, sr_for


@pytest.fixture
def sr(review_team, caseworker):
    return sr_for(LetterTemplate.objects.get(code="CMSL5800"), team=review_team, owner=caseworker)


def test_broker_down_at_issue_then_rendered_once_when_it_returns(
    sr, caseworker, broker_down, django_capture_on_commit_callbacks
):
    # Issue while nothing listens on the broker's port: the transaction
    # commits, publishing fails after commit, the letter waits in the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        letter = issue(sr=sr, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})
    outbox = LetterOutbox.objects.get(letter=letter)
    assert outbox.published_at is None and outbox.publish_attempts == 1
    assert "Connection refused" in outbox.last_error or "111" in outbox.last_error
    assert services.pending_outbox(timezone.now()) == [letter.pk]
    # The relay while the broker is still down publishes nothing, loses nothing.
    assert relay_outbox.apply().get() == 0
    assert LetterOutbox.objects.get(letter=letter).publish_attempts == 2
    assert not IssuedLetter.objects.get(pk=letter.pk).is_ready


def test_relay_publishes_pending_letters_to_a_working_broker(sr, caseworker, working_broker):
    letter = issue(sr=sr, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})
    # (on_commit never ran in this test transaction: as if the broker had been down)
    assert relay_outbox.apply().get() == 1
    outbox = LetterOutbox.objects.get(letter=letter)
    assert outbox.published_at is not None and outbox.last_error == ""
    # Published and not yet stale: the next relay leaves it alone.
    assert services.pending_outbox(timezone.now()) == []
    # The worker receives it (and, say, a redelivery): one render.
    assert render_letter.apply(args=[letter.pk]).get() is True
    assert render_letter.apply(args=[letter.pk]).get() is False
    letter = IssuedLetter.objects.get(pk=letter.pk)
    assert letter.is_ready and letter.render_attempts == 1
    assert LetterOutbox.objects.get(letter=letter).done_at is not None
    assert services.pending_outbox(timezone.now() + timedelta(hours=1)) == []


def test_broker_down_then_eager_worker_renders_exactly_once(sr, caseworker, django_capture_on_commit_callbacks):
    from .conftest import CLOSED_PORT_BROKER, broker

    with broker(CLOSED_PORT_BROKER), django_capture_on_commit_callbacks(execute=True):
        letter = issue(sr=sr, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "Back."}})
    assert not IssuedLetter.objects.get(pk=letter.pk).is_ready
    with broker("memory://", eager=True):
        assert services.relay_outbox() == 1  # eager: the task ran inside the publish
        assert services.relay_outbox() == 0
        assert render_letter.delay(letter.pk).get() is False
    letter = IssuedLetter.objects.get(pk=letter.pk)
    assert letter.is_ready and letter.render_attempts == 1
    assert "Back." in pdf_text(letter)


def test_a_published_task_that_was_lost_is_republished(sr, caseworker):
    letter = issue(sr=sr, actor=caseworker, code="CMSL5800", composition={"free_text": {"update": "x"}})
    LetterOutbox.objects.filter(letter=letter).update(published_at=timezone.now() - timedelta(minutes=30))
    assert services.pending_outbox(timezone.now()) == [letter.pk]
