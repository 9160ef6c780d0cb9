"""Load benchmark (DESIGN.md section 9): real HTTP on loopback against
gunicorn with production settings, on the volume data:

    DATABASE_URL=postgres://… REDIS_URL=redis://… python -m bench.load

It starts gunicorn (WORKERS sync workers, config.settings.production with a
fresh secret key, behind a pretend TLS proxy: every request says
X-Forwarded-Proto: https, as the real proxy does), gives a few volume team
leaders a password and signs each in through the sign-in form (CSRF token
from the page, session cookie from the answer). Then at each concurrency C
in LEVELS, C users each on their own keep-alive connection:

- empty page: a signed-in page with nothing on it but the layout (the
  search page with no query), for DURATION seconds;
- mixed workload: each user cycles My work, a case of their team and the
  dashboard, for DURATION seconds;

the two taking turns, a quarter of DURATION at a time (the machine's speed
drifts within minutes: one after the other, the drift fell on one of them),
and reports req/s, p50/p95/p99 and errors (anything but 200) for both, and
mixed ÷ empty req/s at each C (target ≥ 0.5 at C = 8). Afterwards the audit
trail must be as it was (the load only reads), and no request may fail.
Ends with one RESULT line."""

import http.client
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.db.models import Count  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from complaints.models import CaseEvent, ServiceRequest  # noqa: E402

LEVELS = [1, 8, 32]
DURATION = float(os.environ.get("BENCH_LOAD_SECONDS", "8"))
ROUNDS = 4  # empty and mixed alternate, DURATION / ROUNDS seconds at a time
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "4"))
PASSWORD = "bench-load-" + secrets.token_urlsafe(12)
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Session:
    """One signed-in user on one keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-Proto": "https", "Connection": "keep-alive"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{self.port}"
            headers["Referer"] = f"https://{HOST}:{self.port}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            return 0, b""
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def sign_in(self, username: str) -> None:
        status, page = self.request("GET", reverse("login"))
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            sys.exit(f"FAIL the sign-in page answered {status}")
        body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), "username": username,
                          "password": PASSWORD})
        status, _ = self.request("POST", reverse("login"), body)
        if status != 302 or "sessionid" not in self.cookies:
            sys.exit(f"FAIL signing in {username} answered {status}")


@dataclass
class Run:
    times: list[float] = field(default_factory=list)
    errors: int = 0

    def add(self, other: "Run") -> None:
        self.times += other.times
        self.errors += other.errors

    def summary(self, seconds: float) -> dict[str, float]:
        t = sorted(self.times) or [0.0]
        q = statistics.quantiles(t, n=100) if len(t) > 1 else [t[0]] * 99
        return {"rps": len(t) / seconds, "p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000,
                "errors": self.errors}


def drive(sessions: list[Session], paths_for: list[list[str]], seconds: float) -> Run:
    run = Run()
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def user(i: int) -> None:
        paths = paths_for[i]
        n = 0
        while time.perf_counter() < stop:
            started = time.perf_counter()
            status, _ = sessions[i].request("GET", paths[n % len(paths)])
            elapsed = time.perf_counter() - started
            n += 1
            with lock:
                if status == 200:
                    run.times.append(elapsed)
                else:
                    run.errors += 1

    threads = [threading.Thread(target=user, args=(i,)) for i in range(len(sessions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return run


def main() -> None:
    leaders = list(User.objects.filter(groups__name=Role.TEAM_LEADER, username__startswith="vol-")
                   .order_by("username")[:max(LEVELS)])
    if not leaders:
        sys.exit("FAIL no volume data: run manage.py seed_volume first")
    cases = {}
    for leader in leaders:
        team_id = leader.memberships.values_list("team_id", flat=True).first()
        sr = (ServiceRequest.objects.filter(team_id=team_id, closed_at__isnull=True)
              .annotate(n=Count("clocks")).order_by("-n", "id").first())
        cases[leader.pk] = sr.reference
        leader.set_password(PASSWORD)
        leader.save(update_fields=["password"])
    events_before = CaseEvent.objects.count()

    port = free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production",
           "DJANGO_SECRET_KEY": secrets.token_urlsafe(50), "DJANGO_ALLOWED_HOSTS": HOST,
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"{HOST}:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"], env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        print(f"gunicorn on {HOST}:{port}, {WORKERS} workers, production settings")
        sessions = []
        for leader in leaders:
            session = Session(port)
            session.sign_in(leader.username)
            sessions.append(session)
        mixed_paths = [[reverse("my-work"), reverse("case-detail", kwargs={"reference": cases[leader.pk]}),
                        reverse("sla:dashboard")] for leader in leaders]
        empty_paths = [[reverse("search")]] * len(leaders)
        # Warm every worker.
        drive(sessions[:8], mixed_paths[:8], 2)
        results = {}
        for c in LEVELS:
            # The two take turns in ROUNDS slices, so that the machine's
            # drift (its speed moves by a third within minutes) falls on both.
            runs = {"empty": Run(), "mixed": Run()}
            for _ in range(ROUNDS):
                for name, paths in (("empty", empty_paths), ("mixed", mixed_paths)):
                    runs[name].add(drive(sessions[:c], paths[:c], DURATION / ROUNDS))
            empty, mixed = runs["empty"].summary(DURATION), runs["mixed"].summary(DURATION)
            results[c] = (empty, mixed)
            print(f"C={c:2}: empty {empty['rps']:.1f} req/s p50 {empty['p50']:.0f} p95 {empty['p95']:.0f} "
                  f"p99 {empty['p99']:.0f} ms err {empty['errors']}; mixed {mixed['rps']:.1f} req/s "
                  f"p50 {mixed['p50']:.0f} p95 {mixed['p95']:.0f} p99 {mixed['p99']:.0f} ms err {mixed['errors']}; "
                  f"mixed/empty {mixed['rps'] / empty['rps']:.2f}")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    events_after = CaseEvent.objects.count()
    errors = sum(e["errors"] + m["errors"] for e, m in results.values())
    ratio8 = results[8][1]["rps"] / results[8][0]["rps"] if 8 in results else float("nan")
    audit_ok = events_after == events_before
    ok = ratio8 >= 0.5 and errors == 0 and audit_ok
    parts = " ".join(
        f"c{c}_mixed_rps={m['rps']:.1f} c{c}_empty_rps={e['rps']:.1f} c{c}_p50={m['p50']:.0f} c{c}_p95={m['p95']:.0f} "
        f"c{c}_p99={m['p99']:.0f}" for c, (e, m) in results.items())
    print(f"RESULT mixed_over_empty_c8={ratio8:.2f} errors={errors} audit_unchanged={'yes' if audit_ok else 'no'} "
          f"workers={WORKERS} seconds={DURATION:g} {parts} ok={'yes' if ok else 'no'}")


if __name__ == "__main__":
    main()
