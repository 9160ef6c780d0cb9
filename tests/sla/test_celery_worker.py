"""A real Celery worker on Redis runs the beat task once against the test
database and raises the overdue alerts."""

import os
import subprocess
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

from accounts.roles import Role
from sla.models import Task, TaskKind
from tests.factories import ServiceRequestFactory, TeamFactory, UserFactory

from .factories import DeadlineClockFactory

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/1"
ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker shares the test database: PostgreSQL")
def test_worker_runs_the_beat_task_once():
    if not _redis_up():
        pytest.skip(f"no Redis at {REDIS_URL}")
    team = TeamFactory(name="Worker team")
    owner = UserFactory(username="wendy", roles=[Role.CASEWORKER], teams=[team])
    clock = DeadlineClockFactory(sr=ServiceRequestFactory(team=team, owner=owner), due_on=date(2027, 1, 12))

    # A queue of our own, so another worker on the same Redis never takes it.
    queue = f"sla-test-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": _database_url(),
           "CELERY_BROKER_URL": REDIS_URL, "REDIS_URL": REDIS_URL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        from config.celery import app

        with app.connection_for_write(REDIS_URL) as conn:
            # The beat entry sends no arguments; the date pins "today" to a
            # working day so the test does not depend on when it runs.
            app.send_task("sla.scan_deadlines", kwargs={"today": "2027-01-13"}, queue=queue, connection=conn)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not Task.objects.filter(clock=clock).exists():
            assert worker.poll() is None, "the worker stopped early"
            time.sleep(0.5)
        time.sleep(1)  # let a (wrong) second delivery show itself
        assert list(Task.objects.filter(clock=clock).values_list("kind", flat=True)) == [TaskKind.OVERDUE]
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "sla.scan_deadlines" in output
