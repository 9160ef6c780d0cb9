"""Benchmark for letter rendering (DESIGN.md §9): run ``python -m bench.letters``.

1. ``ratio_vs_raw``: median time to render a 2-page letter through the
   product's pipeline (letters.rendering.render_pdf: one FontConfiguration,
   prebuilt print CSS, the static-only url_fetcher) divided by the median of
   a *fair* plain WeasyPrint — its own FontConfiguration and parsed CSS
   built once and reused, as any sensible caller would, the same HTML, the
   same assets from disk, the same tagged-PDF options — measured in the
   same run, interleaved. Target ≤ 1.1. (Comparing with a WeasyPrint that
   rebuilds fonts and CSS for every letter flattered the product.)
2. ``letters_per_s``: 200 issued letters through the worker path (the
   Celery task body: claim, render, store, hash, mark done), one process,
   in-process.
3. ``broker_letters_per_s_1`` / ``_2`` and ``scaling_2_over_1``: the same
   200 letters (reset to unrendered) published to the real broker
   (REDIS_URL) and rendered by a real ``celery worker`` with 1, then 2
   processes, timed from the first publish until the database shows all
   rendered (the worker started and warmed beforehand). Target ≥ 1.7.
   Needs PostgreSQL (the worker shares the bench's database) and Redis;
   otherwise printed as skipped.
4. ``raw_scaling_2_over_1``: the machine's own ceiling for (3), measured in
   the same run — the fair plain WeasyPrint rendering the same letter in 1,
   then 2 forked processes, nothing else (no broker, no database). On a
   2-core machine shared with the bench, PostgreSQL and Redis, two
   processes never render twice as fast; ``scaling_vs_raw`` is the
   product's scaling over this one.

Runs in a throw-away test database (SQLite in memory by default, or
test_<name> on DATABASE_URL's server) and a temporary MEDIA_ROOT, so it
never touches real data. Ends with a ``RESULT ...`` line; exits 1 if the
target is missed or a check fails.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from typing import Any

ROUNDS = 25
WARMUP = 3
LETTERS = 200
TARGET_RATIO = 1.1
FREE_TEXT = (
    "A senior member of the complaints review team has looked again at everything you told us, at the notes "
    "of each phone call and at the letters we sent you between March and September. We know that the delay "
    "in correcting your payment record caused you worry and extra cost, and we are sorry for that.\n\n"
    "Based on the information we are aware of, the calculation is correct and there is nothing more we can do "
    "to change it. We have, however, refunded the £40 collection fee and added a note to your case so that "
    "any future payments are recorded on the day we receive them."
)


def fail(message: str) -> None:
    print(f"FAIL {message}")
    sys.exit(1)


def setup_django() -> tuple[object, str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    media = tempfile.mkdtemp(prefix="bench-letters-")
    os.environ["MEDIA_ROOT"] = media
    # Issuing publishes each render task after commit: keep those in memory,
    # never in a real queue a worker would pick up.
    os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    return old_name, media


def make_letters(count: int) -> list[int]:
    """Issue `count` CMSL5807 letters (2 pages each) on review SRs."""
    from datetime import date

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Team, User
    from complaints.models import Client, ServiceRequest
    from letters.services import issue_letter

    team = Team.objects.create(name="Bench review team", route="review", phone="0800 171 2346")
    actor = User.objects.create(username="bench", first_name="Bea", last_name="Bench")
    now = timezone.now()
    ids = []
    for n in range(count):
        client = Client.objects.create(name=f"Client {n:03d} Bench", address_line_1=f"{n} High Street", town="Leeds",
                                       postcode="LS1 1AA", case_number=f"99{n:08d}")
        # CMSL5807 goes out as the review closes (Actions Complete – Client Not OK).
        sr = ServiceRequest.objects.create(reference=f"SR-BENCH-{n:06d}", route="review", state="closed",
                                           closed_at=now, resolution_code="complete_not_ok", team=team,
                                           client=client, owner=actor, received_on=date(2026, 11, 2))
        with transaction.atomic():
            letter = issue_letter(sr=sr, actor=actor, template_code="CMSL5807",
                                  composition={"free_text": {"update": FREE_TEXT}}, now=now)
        ids.append(letter.pk)
    return ids


def fair_raw_renderer():
    """Plain WeasyPrint, set up once: fonts and the print CSS reused, letter
    assets read from the app's static directory on disk."""
    from io import BytesIO

    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from letters.rendering import PDF_OPTIONS, PRINT_CSS

    static_root = PRINT_CSS.parent.parent  # …/static/, holding letters/
    font_config = FontConfiguration()
    css = CSS(string=PRINT_CSS.read_text(encoding="utf-8"), font_config=font_config,
              base_url=PRINT_CSS.parent.as_uri() + "/")

    def render(html: str) -> bytes:
        out = BytesIO()
        HTML(string=html, base_url=static_root.as_uri() + "/").render(
            stylesheets=[css], font_config=font_config).write_pdf(out, **PDF_OPTIONS)
        return out.getvalue()

    return render


def through_worker(ids: list[int], processes: int, media: str) -> float | None:
    """Letters/s through the real broker and a real worker with N processes."""
    import subprocess

    from django.db import connection
    from kombu import Connection

    from letters.models import IssuedLetter
    from letters.tasks import render_letter

    redis_url = os.environ.get("REDIS_URL", "")
    database_url = os.environ.get("DATABASE_URL", "")
    if connection.vendor != "postgresql" or not redis_url or not database_url:
        return None
    test_db_url = database_url.rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", "DATABASE_URL": test_db_url,
           "CELERY_BROKER_URL": redis_url, "MEDIA_ROOT": media}

    def reset() -> None:
        IssuedLetter.objects.filter(pk__in=ids).update(rendered_at=None, pdf="", sha256="", page_count=None,
                                                       render_claimed_at=None, render_attempts=0)

    def wait_rendered(wanted: list[int], limit_s: float = 300) -> None:
        deadline = time.perf_counter() + limit_s
        while IssuedLetter.objects.filter(pk__in=wanted, rendered_at__isnull=False).count() < len(wanted):
            if time.perf_counter() > deadline:
                fail("the worker did not render every letter in time")
            time.sleep(0.05)

    reset()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency", str(processes),
         "--pool", "prefork", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        env=env)
    try:
        with Connection(redis_url) as broker:
            render_letter.apply_async(args=[ids[0]], connection=broker)  # the worker is up and warm
            wait_rendered(ids[:1], limit_s=120)
            reset()
            started = time.perf_counter()
            for letter_id in ids:
                render_letter.apply_async(args=[letter_id], connection=broker)
            wait_rendered(ids)
            return len(ids) / (time.perf_counter() - started)
    finally:
        worker.terminate()
        worker.wait(timeout=60)


RAW_SCALING_LETTERS = 40  # per process


def _raw_render_many(html: str) -> float:
    """Seconds for one process to render RAW_SCALING_LETTERS letters with the
    fair plain WeasyPrint, set up (and warmed) first, as a worker is."""
    render = fair_raw_renderer()
    render(html)
    return timed(lambda: [render(html) for _ in range(RAW_SCALING_LETTERS)])


def raw_scaling(html: str) -> float:
    """Letters/s of the plain renderer in 2 processes ÷ in 1."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    rates = {}
    for processes in (1, 2):
        with context.Pool(processes) as pool:
            slowest = max(pool.map(_raw_render_many, [html] * processes))
        rates[processes] = processes * RAW_SCALING_LETTERS / slowest
    return rates[2] / rates[1]


def timed(fn: Any, *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    old_name, media = setup_django()
    from django.db import connection

    from letters.models import IssuedLetter
    from letters.rendering import render_pdf
    from letters.tasks import render_letter

    try:
        ids = make_letters(LETTERS)
        html = IssuedLetter.objects.get(pk=ids[0]).html
        raw_render_pdf = fair_raw_renderer()

        first = render_pdf(html)
        if first.pages != 2:
            fail(f"the benchmark letter should be 2 pages, it is {first.pages}")
        for _ in range(WARMUP):  # both sides: imports, caches, allocator
            render_pdf(html)
            raw_render_pdf(html)
        product, raw = [], []
        for _ in range(ROUNDS):  # interleaved, so drift hits both sides alike
            product.append(timed(render_pdf, html))
            raw.append(timed(raw_render_pdf, html))
        product_median, raw_median = statistics.median(product), statistics.median(raw)
        ratio = product_median / raw_median
        print(f"render 2-page letter: product median {product_median * 1000:.1f} ms, "
              f"fair raw WeasyPrint median {raw_median * 1000:.1f} ms over {ROUNDS} rounds")

        start = time.perf_counter()
        for letter_id in ids:
            if render_letter.apply(args=[letter_id]).get() is not True:
                fail(f"letter {letter_id} was not rendered")
        elapsed = time.perf_counter() - start
        rate = LETTERS / elapsed
        # A second pass renders nothing: exactly once.
        if any(render_letter.apply(args=[i]).get() for i in ids):
            fail("a letter was rendered twice")
        ready = IssuedLetter.objects.filter(pk__in=ids, rendered_at__isnull=False).count()
        if ready != LETTERS:
            fail(f"{ready} of {LETTERS} letters rendered")
        print(f"worker path: {LETTERS} letters in {elapsed:.2f} s ({rate:.1f} letters/s, one process)")
        broker_rates = {n: through_worker(ids, n, media) for n in (1, 2)}
        if broker_rates[1] is None:
            print("broker and worker: skipped (needs DATABASE_URL on PostgreSQL and REDIS_URL)")
        else:
            print(f"broker and worker: {broker_rates[1]:.1f} letters/s with 1 process, "
                  f"{broker_rates[2]:.1f} with 2")
        machine = raw_scaling(html)
        print(f"plain WeasyPrint alone, 2 processes ÷ 1: {machine:.2f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        import shutil

        shutil.rmtree(media, ignore_errors=True)

    scaling = (broker_rates[2] / broker_rates[1]) if broker_rates[1] else None
    broker = (f"broker_letters_per_s_1={broker_rates[1]:.1f} broker_letters_per_s_2={broker_rates[2]:.1f} "
              f"scaling_2_over_1={scaling:.2f}" if scaling else "broker=skipped")
    broker += f" raw_scaling_2_over_1={machine:.2f}" + (f" scaling_vs_raw={scaling / machine:.2f}" if scaling else "")
    status = "ok" if ratio <= TARGET_RATIO and (scaling is None or scaling >= 1.7) else "MISSED"
    print(f"RESULT ratio_vs_raw={ratio:.2f} letters_per_s={rate:.1f} {broker} target_ratio<={TARGET_RATIO} "
          f"product_ms={product_median * 1000:.1f} raw_ms={raw_median * 1000:.1f} letters={LETTERS} {status}")
    if ratio > TARGET_RATIO:
        sys.exit(1)


if __name__ == "__main__":
    main()
