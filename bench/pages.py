"""Benchmark for the main pages (DESIGN.md section 9) on the volume data
(`manage.py seed_volume --cases 200000`, then `python -m bench.scan` so
there are tasks):

    DJANGO_SETTINGS_MODULE=config.settings.base DATABASE_URL=postgres://… python -m bench.pages

For My work, Team queue, the case page and the dashboard it reports the
SQL queries per page at 25 and 100 rows (they must be equal: no query per
row), and the server time of the request divided by the time of the page's
main SQL statement (the slowest one it ran; target <= 3). The case page and
the dashboard have no page size, so their "25 / 100" pair is a small and a
large case (fewest vs most clocks) and one team vs every team."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django
from django.http import HttpRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Membership, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from complaints.models import ServiceRequest  # noqa: E402
from sla.models import ALERT_KINDS, Task  # noqa: E402

RUNS = 7
VOLUME = "SR-V"


@dataclass
class Measure:
    queries: int
    server_s: float
    main_sql_s: float
    main_sql: str


def measure(client: Client, url: str) -> Measure:
    """Median of RUNS requests after a warm-up: wall time of the request and
    of its slowest SQL statement."""
    for _ in range(2):
        response = client.get(url)
        if response.status_code != 200:
            print(f"FAIL {url} answered {response.status_code}")
            sys.exit(1)
    totals, mains, counts = [], [], []
    slowest = ""
    timings: list[tuple[float, str]] = []

    def timed(execute: Any, sql: Any, params: Any, many: Any, context: Any):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append((time.perf_counter() - started, sql))

    for _ in range(RUNS):
        timings.clear()
        with connection.execute_wrapper(timed):
            started = time.perf_counter()
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            totals.append(time.perf_counter() - started)
        main = max(timings)
        mains.append(main[0])
        slowest = main[1]
        counts.append(len(timings))
    return Measure(max(counts), statistics.median(totals), statistics.median(mains), slowest)


def pick_users() -> dict[str, object]:
    open_volume = ServiceRequest.objects.filter(reference__startswith=VOLUME, closed_at__isnull=True)
    busiest = open_volume.exclude(owner=None).values("owner").annotate(n=Count("id")).order_by("-n").first()
    if busiest is None:
        print("FAIL no volume data: run manage.py seed_volume first")
        sys.exit(1)
    caseworker = User.objects.get(pk=busiest["owner"])
    queue_team = (open_volume.filter(owner=None).values("team").annotate(n=Count("id")).order_by("-n").first()
                  or {"team": caseworker.memberships.first().team_id})
    leader = User.objects.filter(groups__name=Role.TEAM_LEADER, memberships__team_id=queue_team["team"]).first()
    manager = (User.objects.filter(groups__name=Role.MANAGER, username__startswith="vol-")
               .annotate(teams_n=Count("memberships")).order_by("-teams_n").first())
    cases = (open_volume.filter(owner=caseworker).annotate(n=Count("clocks")).order_by("n", "id"))
    return {
        "caseworker": caseworker, "leader": leader, "manager": manager,
        "small_case": cases.first(), "big_case": cases.last(),
        "one_team": Membership.objects.filter(user=manager).values_list("team_id", flat=True).first(),
    }


def main() -> None:
    settings.DEBUG = False  # as in production: no query log, no debug templates
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not Task.objects.filter(kind__in=ALERT_KINDS, done_at__isnull=True).exists():
        print("note: no open alert tasks (run python -m bench.scan first for a realistic tasks panel)")
    who = pick_users()
    caseworker, leader, manager = who["caseworker"], who["leader"], who["manager"]
    print(f"caseworker {caseworker.username}: "
          f"{ServiceRequest.objects.filter(owner=caseworker, closed_at__isnull=True).count()} open SRs, "
          f"{Task.objects.filter(assignee=caseworker, done_at__isnull=True).count()} open tasks; "
          f"team leader {leader.username}; manager {manager.username}")

    pages: list[tuple[str, object, Callable[[str], str]]] = [
        ("my_work", caseworker, lambda size: f"{reverse('my-work')}?per_page={size}"),
        ("team_queue", leader, lambda size: f"{reverse('team-queue')}?per_page={size}"),
        ("case", caseworker, lambda size: reverse(
            "case-detail", kwargs={"reference": (who["small_case"] if size == "25" else who["big_case"]).reference})),
        ("dashboard", manager, lambda size: reverse("sla:dashboard") + (f"?team={who['one_team']}"
                                                                        if size == "25" else "")),
    ]
    results = {}
    for name, user, url_for in pages:
        client = Client()
        client.force_login(user)
        small, large = measure(client, url_for("25")), measure(client, url_for("100"))
        ratio = large.server_s / large.main_sql_s if large.main_sql_s else float("inf")
        results[name] = (small, large, ratio)
        print(f"{name:11} queries 25={small.queries} 100={large.queries}  server {large.server_s * 1000:.1f} ms, "
              f"main SQL {large.main_sql_s * 1000:.1f} ms, ratio {ratio:.2f}")
        print(f"            main SQL: {' '.join(large.main_sql.split())[:150]}")
    # The floor every page stands on: a signed-in request through the whole
    # middleware stack that renders only the layout (header, navigation with
    # its badges, footer) with no content.
    client = Client()
    client.force_login(caseworker)
    floor = measure(client, _layout_only_url())
    mains = {n: lg.main_sql_s for n, (_, lg, _) in results.items()}
    print(f"layout only {floor.queries} queries, server {floor.server_s * 1000:.1f} ms = "
          + ", ".join(f"{floor.server_s / m:.1f}x {n}'s main SQL" for n, m in mains.items()))
    equal = all(s.queries == lg.queries for s, lg, _ in results.values())
    worst = max(r for _, _, r in results.values())
    most = max(lg.queries for _, lg, _ in results.values())
    parts = " ".join(f"{n}_queries={s.queries}/{lg.queries} {n}_ratio={r:.2f} {n}_ms={lg.server_s * 1000:.1f}"
                     for n, (s, lg, r) in results.items())
    ok = equal and worst <= 3 and most <= 12
    print(f"RESULT queries_equal={'yes' if equal else 'no'} max_queries={most} ratio_vs_sql={worst:.2f} {parts} "
          f"layout_only_ms={floor.server_s * 1000:.1f} ok={'yes' if ok else 'no'}")


def _layout_only_url() -> str:
    """A page added for this run only: base.html with an empty content block."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render
    from django.urls import clear_url_caches, path

    import config.urls

    @login_required
    def layout_only(request: HttpRequest):
        return render(request, "base.html", {})

    config.urls.urlpatterns.append(path("bench-layout-only/", layout_only))
    clear_url_caches()
    return "/bench-layout-only/"


if __name__ == "__main__":
    main()
