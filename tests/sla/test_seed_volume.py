"""seed_volume makes consistent, marked, re-runnable volume data."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from complaints.models import ServiceRequest
from sla.models import DeadlineClock
from sla.scan import latest_working_day, scan_deadlines

pytestmark = pytest.mark.django_db


def test_seed_volume_small_and_rerunnable():
    call_command("seed_volume", "--cases", "300", "--users", "100")
    srs = ServiceRequest.objects.all()
    assert srs.count() == 300 and not srs.exclude(reference__startswith="SR-V").exists()
    assert User.objects.filter(username__startswith="vol-").count() == 100
    clocks = DeadlineClock.objects.all()
    assert 900 <= clocks.count() <= 2100
    running = clocks.running()
    assert running.exists() and clocks.filter(met_on__isnull=False).count() > running.count()
    # Closed SRs have nothing running; no SR runs two clocks of one rule.
    assert not running.filter(sr__closed_at__isnull=False).exists()
    assert not running.values("sr", "rule").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not srs.filter(closed_at__isnull=False, resolution_code="").exists()
    assert all(c.started_on <= c.due_on for c in clocks)

    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_volume", "--cases", "300", "--users", "100")
    call_command("seed_volume", "--cases", "200", "--users", "100", "--reset")
    assert ServiceRequest.objects.count() == 200
    assert User.objects.filter(username__startswith="vol-").count() == 100
    # The scan runs on it.
    assert scan_deadlines(today=latest_working_day(timezone.localdate())).total > 0
