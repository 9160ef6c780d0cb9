"""`make run` loads the demo with seed_demo: every route's demo path runs
through the real services, and the deadline scan has raised its tasks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from accounts.models import User
from complaints.models import ServiceRequest
from sla.models import DeadlineClock, Task, TaskKind

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_every_route_with_deadlines_and_tasks(capsys, caplog):
    # Tue 1 Dec 2026, a working day: the scan raises alerts only on those.
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Europe/London")), tick=False):
        call_command("seed_demo", "--if-empty")
        # What `make run` does next, every time it starts.
        call_command("seed_demo", "--print-sign-ins")
    out = capsys.readouterr().out
    # Said once each: the sign-ins (by --print-sign-ins), the scan's line (its log).
    assert "Demo data loaded" in out and out.count("casework-demo-2026") == 1
    assert "inserted" not in out
    scan_lines = [r.getMessage() for r in caplog.records if r.name == "sla.scan"]
    assert len(scan_lines) == 1 and scan_lines[0].startswith("2026-12-01: inserted")
    assert set(ServiceRequest.objects.values_list("route", flat=True)) == {"resolution", "review", "ice", "phso"}
    assert ServiceRequest.objects.filter(state="closed").exists()
    assert DeadlineClock.objects.filter(met_on__isnull=True, cancelled_at__isnull=True).exists()
    # Overdue Resolution responses in the demo: their owners see tasks on My work at once.
    assert Task.objects.filter(kind=TaskKind.OVERDUE, done_at__isnull=True).exists()
    assert User.objects.get(username="cara").check_password("casework-demo-2026")
    # A second run (make run again) changes nothing.
    count = ServiceRequest.objects.count()
    call_command("seed_demo", "--if-empty")
    assert ServiceRequest.objects.count() == count
