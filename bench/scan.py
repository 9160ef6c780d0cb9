"""Benchmark for the deadline scan (DESIGN.md section 9): on the volume data
(`manage.py seed_volume --cases 200000`), run

    DJANGO_SETTINGS_MODULE=config.settings.base DATABASE_URL=postgres://… python -m bench.scan

It deletes the alert tasks first so the first run is a real full scan, then
measures: seconds for the full scan (target <= 5), SQL statements it issued
(set-based: a handful, whatever the number of clocks), rows a second run
inserted (must be 0), and two scans started together after another reset
(their inserts must add up to one full scan's: no duplicates)."""

import os
import sys
import threading
import time
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from sla.models import ALERT_KINDS, DeadlineClock, Task  # noqa: E402
from sla.scan import latest_working_day, scan_deadlines  # noqa: E402


def reset_alerts() -> int:
    deleted = Task.objects.filter(kind__in=ALERT_KINDS)._raw_delete(connection.alias)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Task._meta.db_table}")
    return deleted


def scan_day():
    """Today, or the last working day before it: the scan skips other days."""
    return latest_working_day(timezone.localdate())


def main() -> None:
    today = scan_day()
    running = DeadlineClock.objects.running().count()
    overdue = DeadlineClock.objects.running().filter(due_on__lt=today).count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"scan as of {today}: {DeadlineClock.objects.count():,} clocks, {running:,} running, {overdue:,} overdue")
    if running == 0:
        print("FAIL no running clocks: run manage.py seed_volume first")
        sys.exit(1)
    print(f"deleted {reset_alerts():,} alert tasks")

    statements: list[str] = []

    def count(execute: Any, sql: Any, params: Any, many: Any, context: Any):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        first = scan_deadlines(today=today)
        scan_s = time.perf_counter() - started
    print(f"full scan: {scan_s:.2f}s, {len(statements)} SQL statements; {first.summary()}")
    for sql in statements:
        print("   ", " ".join(sql.split())[:110])

    started = time.perf_counter()
    second = scan_deadlines(today=today)
    print(f"second run: {time.perf_counter() - started:.2f}s, inserted {second.total}")

    # Two scans at once, from scratch: the advisory lock queues one behind
    # the other and the unique key refuses duplicates.
    reset_alerts()
    totals: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            totals.append(scan_deadlines(today=today).total)
        finally:
            connections.close_all()

    barrier = threading.Barrier(2)
    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duplicates = sum(totals) - first.total
    print(f"concurrent runs inserted {sorted(totals)}: {duplicates} more than one full scan")

    ok = scan_s <= 5 and second.total == 0 and duplicates == 0
    print(f"RESULT scan_s={scan_s:.2f} statements={len(statements)} inserted={first.total} "
          f"second_run_inserted={second.total} concurrent_duplicates={duplicates} running_clocks={running} "
          f"ok={'yes' if ok else 'no'}")


if __name__ == "__main__":
    main()
