"""A real Celery worker on Redis renders an issued letter (the production
path: commit → publish → worker → PDF stored), exactly once even when the
task is delivered twice."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from letters import services
from letters.models import IssuedLetter, LetterTemplate

from .factories import pdf_text, sr_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate: Any, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def worker():
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL (the worker shares the test database)")
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": database_url,
           "REDIS_URL": redis_url, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "CELERY_TASK_ALWAYS_EAGER": "false"}
    env.pop("CELERY_BROKER_URL", None)
    from config.celery import app

    # A queue of its own: other tests (or xdist workers) sharing this Redis
    # database never see its tasks, nor it theirs.
    queue = f"letters-test-{os.getpid()}-{time.monotonic_ns()}"
    saved_queue, app.conf.task_default_queue = app.conf.task_default_queue, queue
    app.amqp._producer_pool = None
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-c", "1", "--without-mingle",
         "--without-gossip", "--without-heartbeat", "-l", "INFO", "-Q", queue, "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    proc.queue = queue  # type: ignore[attr-defined]
    try:
        yield proc
    finally:
        app.conf.task_default_queue = saved_queue
        app.amqp._producer_pool = None
        proc.send_signal(signal.SIGTERM)
        try:
            output, _ = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            output, _ = proc.communicate()
        print(output[-4000:])


def test_worker_renders_an_issued_letter_exactly_once(worker, review_team, caseworker):
    template = LetterTemplate.objects.get(code="CMSL5806")
    sr = sr_for(template, team=review_team, owner=caseworker)
    # A committed transaction: the render task is published to Redis on commit.
    letter = services.send_letter(sr_id=sr.pk, actor=caseworker, template_code="CMSL5806",
                                  composition={"free_text": {"what_this_means": "We refunded the £40 fee."}})
    assert wait_for(lambda: IssuedLetter.objects.get(pk=letter.pk).is_ready), "the worker never rendered it"
    letter = IssuedLetter.objects.get(pk=letter.pk)
    assert "We refunded the £40 fee." in pdf_text(letter)
    assert letter.render_attempts == 1 and letter.outbox.done_at is not None
    digest = letter.sha256

    # Deliver the same task again: the worker runs it and changes nothing.
    assert services.publish_render(letter.pk)
    from config.celery import app

    with app.connection_for_write() as conn:
        assert wait_for(lambda: conn.default_channel.client.llen(worker.queue) == 0, timeout=30)
    time.sleep(1.0)  # let the solo worker finish the task it took
    again = IssuedLetter.objects.get(pk=letter.pk)
    assert (again.render_attempts, again.sha256, again.pdf.name) == (1, digest, letter.pdf.name)
    assert worker.poll() is None, "the worker is still running"
