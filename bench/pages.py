"""Benchmark for the main pages (DESIGN.md section 9) on the volume data
(`manage.py seed_volume --cases 200000`, then `python -m bench.scan` so
there are tasks):

    DJANGO_SETTINGS_MODULE=config.settings.base DATABASE_URL=postgres://… python -m bench.pages

Every comparison is measured interleaved in this run (round robin, median
of RUNS after a warm-up), never against a number from another run:

Run as production runs the pages (DEBUG off unless DJANGO_DEBUG says
otherwise), on the settings given.

- queries: SQL statements per page at 25 and 100 rows (must be equal, ≤ 12);
- empty signed-in page per role: the layout alone (header, navigation with
  its badges, footer) for a caseworker, a team leader of the biggest team
  and the manager over the most teams (chosen deterministically: most
  memberships, then username); team leader and manager ÷ caseworker
  (target ≤ 1.5);
- big ÷ small team, same page size: Team queue and DG caselist at 100 rows
  and the dashboard, for the team leader of each route's big team (seeded
  with 5× the SRs) and of a small team of the same route (target ≤ 1.3);
  the dashboard as it counts its figures, not as it reads them back from
  the cache;
- My work and the case page (the caseworker's richest case: notes, links,
  letters, a plan, clocks) ÷ the empty page of the same user, printed for
  orientation;
- My work at 100 rows and the case page ÷ the hand-written renderer of the
  same bytes (bench/handwritten.py: the same statements replayed through raw
  psycopg, the session read, f-strings), asserted byte-identical (tokens
  masked) before timing, then product and renderer timed in alternating
  rounds (target ≤ 2).

Ends with one RESULT line."""

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import django
from django.http import HttpRequest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
# The pages as production serves them: without DEBUG's log of every SQL
# statement (the statement's text built with its parameters, a sixth of My
# work measured with it on), which no page pays in production and the
# hand-written renderer does not pay either. The query counts below use an
# execute wrapper, not that log.
os.environ.setdefault("DJANGO_DEBUG", "false")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import Team, User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from bench import handwritten  # noqa: E402
from complaints.models import ServiceRequest  # noqa: E402
from sla.models import ALERT_KINDS, Task  # noqa: E402
from sla.selectors import kept_figures  # noqa: E402

RUNS = 9
RENDERER_RUNS = 31  # product and renderer alternate: more rounds, as both are short
WARMUP = 2
VOLUME = "SR-V"
TEAM_PREFIX = "Volume "


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client: Client, url: str) -> bytes:
    response = client.get(url)
    if response.status_code != 200:
        print(f"FAIL {url} answered {response.status_code}")
        sys.exit(1)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def interleaved(cases: dict[str, tuple[Client, str]], runs: int = RUNS) -> dict[str, float]:
    """Median seconds per case, the cases taking turns so that a busy
    moment of the machine (2 cores, shared) falls on all of them alike."""
    for _ in range(WARMUP):
        for client, url in cases.values():
            get(client, url)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (client, url) in cases.items():
            started = time.perf_counter()
            get(client, url)
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(t) for name, t in times.items()}


def against_renderer(client: Client, renderers: dict[str, tuple[str, "handwritten.Renderer"]],
                     runs: int = RENDERER_RUNS) -> dict[str, tuple[float, float]]:
    """Median seconds of the product page and of its hand-written renderer,
    the two alternating in every round."""
    for url, renderer in renderers.values():
        for _ in range(WARMUP):
            get(client, url)
            renderer.render()
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in renderers}
    for _ in range(runs):
        for name, (url, renderer) in renderers.items():
            started = time.perf_counter()
            get(client, url)
            middle = time.perf_counter()
            renderer.render()
            times[name][0].append(middle - started)
            times[name][1].append(time.perf_counter() - middle)
    return {name: (statistics.median(p), statistics.median(h)) for name, (p, h) in times.items()}


def queries(client: Client, url: str) -> int:
    get(client, url)  # warm: the first request of a session fills per-process caches
    count = 0

    def counting(execute: Any, sql: Any, params: Any, many: Any, context: Any):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        get(client, url)
    return count


def pick() -> dict[str, object]:
    open_volume = ServiceRequest.objects.filter(reference__startswith=VOLUME, closed_at__isnull=True)
    busiest = (open_volume.exclude(owner=None).values("owner").annotate(n=Count("id")).order_by("-n", "owner")
               .first())
    if busiest is None:
        print("FAIL no volume data: run manage.py seed_volume first")
        sys.exit(1)
    caseworker = User.objects.get(pk=busiest["owner"])
    # Each route's first volume team is the big one (seed_volume); compare it
    # with the next team of the same route.
    route_teams = list(Team.objects.filter(name__startswith=TEAM_PREFIX, route="resolution").order_by("pk")[:2])
    big, small = route_teams
    leaders = {team.pk: User.objects.filter(groups__name=Role.TEAM_LEADER, memberships__team=team)
               .order_by("username").first() for team in route_teams}
    manager = (User.objects.filter(groups__name=Role.MANAGER, username__startswith="vol-")
               .annotate(teams_n=Count("memberships")).order_by("-teams_n", "username").first())
    richest = (open_volume.filter(owner=caseworker).annotate(n=Count("notes", distinct=True))
               .order_by("-n", "id").first())
    if richest is None or not richest.n:
        richest = (ServiceRequest.objects.filter(reference__startswith=VOLUME, closed_at__isnull=True,
                                                 owner__isnull=False)
                   .annotate(n=Count("notes", distinct=True)).order_by("-n", "id").first())
        caseworker = richest.owner
    sizes = {team.pk: open_volume.filter(team=team).count() for team in route_teams}
    return {"caseworker": caseworker, "leader_big": leaders[big.pk], "leader_small": leaders[small.pk],
            "manager": manager, "case": richest, "big": big, "small": small, "sizes": sizes}


def main() -> None:
    settings.DEBUG = False  # as in production: no query log, no debug templates
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if not Task.objects.filter(kind__in=ALERT_KINDS, done_at__isnull=True).exists():
        print("note: no open alert tasks (run python -m bench.scan first for a realistic tasks panel)")
    who = pick()
    cw, tl_big, tl_small, manager = who["caseworker"], who["leader_big"], who["leader_small"], who["manager"]
    sizes = who["sizes"]
    print(f"caseworker {cw.username}: {ServiceRequest.objects.filter(owner=cw, closed_at__isnull=True).count()} "
          f"open SRs; case {who['case'].reference}; manager {manager.username} in "
          f"{manager.memberships.count()} teams; big team {sizes[who['big'].pk]:,} open SRs "
          f"(leader {tl_big.username}), small team {sizes[who['small'].pk]:,} (leader {tl_small.username})")
    clients = {user.pk: client_for(user) for user in (cw, tl_big, tl_small, manager)}
    layout = _layout_only_url()
    my_work = reverse("my-work")
    queue = reverse("team-queue")
    dg = reverse("sla:dg-caselist")
    dashboard = reverse("sla:dashboard")
    case = reverse("case-detail", kwargs={"reference": who["case"].reference})

    # Constant statements whatever the page size.
    counts = {name: (queries(clients[user.pk], f"{url}?per_page=25"), queries(clients[user.pk], f"{url}?per_page=100"))
              for name, user, url in (("my_work", cw, my_work), ("team_queue", tl_big, queue),
                                      ("dg_caselist", tl_big, dg))}
    counts["case"] = (queries(clients[cw.pk], case),) * 2
    counts["dashboard"] = (queries(clients[tl_small.pk], dashboard), queries(clients[tl_big.pk], dashboard))
    for name, (small_n, large_n) in counts.items():
        print(f"{name:12} queries {small_n} / {large_n}")

    floors = interleaved({
        "caseworker": (clients[cw.pk], layout), "team_leader": (clients[tl_big.pk], layout),
        "manager": (clients[manager.pk], layout),
    })
    print("empty page " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in floors.items()))

    # The dashboard as it counts its figures, not as it reads them back from
    # the cache (kept until something in the user's teams changes): what
    # must not grow with the team is the counting.
    with mock.patch.object(kept_figures, "read", lambda user, part="": None):
        growth = interleaved({
            "team_queue_big": (clients[tl_big.pk], f"{queue}?per_page=100"),
            "team_queue_small": (clients[tl_small.pk], f"{queue}?per_page=100"),
            "dg_caselist_big": (clients[tl_big.pk], f"{dg}?per_page=100"),
            "dg_caselist_small": (clients[tl_small.pk], f"{dg}?per_page=100"),
            "dashboard_big": (clients[tl_big.pk], dashboard),
            "dashboard_small": (clients[tl_small.pk], dashboard),
        })
    for name in ("team_queue", "dg_caselist", "dashboard"):
        print(f"{name:12} big {growth[name + '_big'] * 1000:.1f} ms, small {growth[name + '_small'] * 1000:.1f} ms")

    pages = interleaved({
        "my_work": (clients[cw.pk], f"{my_work}?per_page=100"), "case": (clients[cw.pk], case),
        "floor": (clients[cw.pk], layout),
    })
    print(f"my_work {pages['my_work'] * 1000:.1f} ms, case {pages['case'] * 1000:.1f} ms, "
          f"empty page {pages['floor'] * 1000:.1f} ms")

    raw = handwritten.raw_connection()
    renderers: dict[str, tuple[str, handwritten.Renderer]] = {}
    for name, url, kind in (("my_work", f"{my_work}?per_page=100", handwritten.MyWork),
                            ("case", case, handwritten.CasePage)):
        page, statements = handwritten.capture(clients[cw.pk], url)
        renderer = kind(raw, statements, page, url)
        if not handwritten.same_bytes(lambda url=url: get(clients[cw.pk], url).decode(), renderer):
            print(f"FAIL the hand-written renderer of {name} does not produce the product's bytes")
            sys.exit(1)
        renderers[name] = (url, renderer)
    against = against_renderer(clients[cw.pk], renderers)
    print("product ÷ hand-written renderer: " + ", ".join(
        f"{name} {product * 1000:.1f} / {hand * 1000:.1f} ms" for name, (product, hand) in against.items()))
    renderer_ratio = {name: product / hand for name, (product, hand) in against.items()}

    ratio: Callable[[str, str], float] = lambda a, b: growth[a] / growth[b]  # noqa: E731
    tl_ratio = floors["team_leader"] / floors["caseworker"]
    mgr_ratio = floors["manager"] / floors["caseworker"]
    big_small = {name: ratio(f"{name}_big", f"{name}_small") for name in ("team_queue", "dg_caselist", "dashboard")}
    most = max(max(pair) for pair in counts.values())
    equal = all(a == b for name, (a, b) in counts.items() if name != "dashboard")
    ok = (all(r <= 2 for r in renderer_ratio.values()) and tl_ratio <= 1.5 and mgr_ratio <= 1.5 and all(r <= 1.3 for r in big_small.values()) and most <= 12
          and equal)
    team_sizes = f"{sizes[who['big'].pk] / max(1, sizes[who['small'].pk]):.1f}"
    print(
        f"RESULT empty_tl_over_cw={tl_ratio:.2f} empty_manager_over_cw={mgr_ratio:.2f} "
        f"empty_cw_ms={floors['caseworker'] * 1000:.1f} "
        + " ".join(f"{n}_big_over_small={r:.2f}" for n, r in big_small.items())
        + f" big_team_sr_ratio={team_sizes} "
        f"my_work_100_ms={pages['my_work'] * 1000:.1f} case_ms={pages['case'] * 1000:.1f} "
        f"my_work_over_empty={pages['my_work'] / pages['floor']:.2f} case_over_empty={pages['case'] / pages['floor']:.2f} "
        f"my_work_over_renderer={renderer_ratio['my_work']:.2f} case_over_renderer={renderer_ratio['case']:.2f} "
        f"queries_equal={'yes' if equal else 'no'} max_queries={most} ok={'yes' if ok else 'no'}"
    )


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
