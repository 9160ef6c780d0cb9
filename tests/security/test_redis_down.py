"""With Redis unreachable the app keeps serving: sign in, work the queue,
run transitions, issue letters (they wait in the outbox); when Redis comes
back, the relay hands them to a real Celery worker and each is rendered
exactly once.

The app runs as it does in production — gunicorn in its own process, its
settings read from the environment — with REDIS_URL pointing at a port
where no Redis listens yet. Then a Redis server is started on that very
port, as if it had come back. Before the fix every page was a 500 and
nobody could sign in (sessions lived in the Redis cache)."""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.celery_worker

SETUP = """
from datetime import date
from django.contrib.auth.models import Group
from accounts.models import Membership, Team, User
from complaints.models import Client
from complaints.services.cases import create_service_request
team = Team.objects.create(name="Resolution team", route="resolution", phone="0800 000 0000")
def user(username, first, role):
    u = User.objects.create_user(username, f"{username}@example.org", PASSWORD, first_name=first,
                                 last_name="Tester")
    u.groups.add(Group.objects.get(name=role))
    Membership.objects.create(user=u, team=team)
    return u
tom, cara = user("tom", "Tom", "Team Leader"), user("cara", "Cara", "Caseworker")
srs = []
for n in (1, 2):
    client = Client.objects.create(name=f"Client {n}", address_line_1=f"{n} High Street", town="Leeds",
                                   postcode="LS1 1AA", case_number=f"100000000{n}")
    srs.append(create_service_request(actor=tom, client=client, route="resolution", team=team,
                                      received_on=date(2026, 11, 2), referrer="client", details="Late payments"))
print(json.dumps({"cara": cara.pk, "refs": [sr.reference for sr in srs]}))
""".replace("PASSWORD", repr(PASSWORD))

LETTERS = """
from letters.models import IssuedLetter
print(json.dumps([{"code": l.template_code, "ready": l.is_ready, "attempts": l.render_attempts,
                   "published": l.outbox.published_at is not None, "done": l.outbox.done_at is not None,
                   "tries": l.outbox.publish_attempts}
                  for l in IssuedLetter.objects.select_related("outbox").order_by("pk")]))
"""

RELAY = """
from letters.services import relay_outbox
print(json.dumps([relay_outbox(), relay_outbox()]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any):
        return None


class Visitor:
    """A browser without JavaScript: cookies, CSRF token, no redirects followed."""

    def __init__(self, base: str) -> None:
        self.base, self.jar = base, http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = None
        if data is not None:
            token = next(c.value for c in self.jar if c.name == "csrftoken")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers.get("Location", "")

    def sign_in(self, username: str) -> None:
        assert self.request("/accounts/login/")[0] == 200
        status, _, location = self.request("/accounts/login/", {"username": username, "password": PASSWORD})
        assert (status, location) == (302, "/"), f"{username} could not sign in"  # "/" sends each role to its start page

    def version(self, path: str) -> str:
        status, page, _ = self.request(path)
        assert status == 200, (path, status)
        return re.search(r'name="version" value="(\d+)"', page).group(1)


@pytest.fixture
def app_env(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("This test starts a Redis server of its own: install redis-server (README, prerequisites)")
    redis_port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_", "PYTEST"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=f"sqlite:///{tmp_path / 'app.sqlite3'}",
               REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", MEDIA_ROOT=str(tmp_path / "media"))
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=300)
    return env, redis_port


def shell(env: dict, code: str) -> object:
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", "import json\n" + code], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def start(args: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_for(predicate: Any, timeout: float = 90.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.5)
    return False


def test_the_app_keeps_serving_with_redis_down_and_letters_go_out_once_it_is_back(app_env, tmp_path):
    env, redis_port = app_env
    facts = shell(env, SETUP)
    web_port = free_port()
    web = start([sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{web_port}",
                 "-w", "1", "--timeout", "60"], env, tmp_path / "web.log")
    redis_server = worker = None
    try:
        base = f"http://127.0.0.1:{web_port}"
        assert wait_for(lambda: _up(base), 60), (tmp_path / "web.log").read_text()[-3000:]
        ref1, ref2 = facts["refs"]

        # The team leader signs in and allocates both SRs from the queue
        # (each allocation issues the acknowledgement letter).
        tom = Visitor(base)
        tom.sign_in("tom")
        status, queue, _ = tom.request("/team-queue/")
        assert status == 200 and ref1 in queue and ref2 in queue
        for ref in (ref1, ref2):
            path = f"/sr/{ref}/do/allocate/"
            status, _, _ = tom.request(path, {"version": tom.version(path), "owner": facts["cara"]})
            assert status == 302, (ref, status)
        assert tom.request("/accounts/logout/", {})[0] == 302

        # The caseworker works her queue: a transition, a letter from the
        # case page, and a closing transition with its letter.
        cara = Visitor(base)
        cara.sign_in("cara")
        status, work, _ = cara.request("/my-work/")
        assert status == 200 and ref1 in work and ref2 in work
        assert cara.request(f"/sr/{ref1}/")[0] == 200
        path = f"/sr/{ref1}/do/start_plan/"
        assert cara.request(path, {"version": cara.version(path)})[0] == 302
        assert cara.request(f"/letters/sr/{ref1}/send/?template=RES-ACK")[0] == 200
        status, _, issued = cara.request(f"/letters/sr/{ref1}/send/",
                                         {"template": "RES-ACK", "letter-language": "en"})
        assert status == 302 and "/letters/" in issued
        assert cara.request(issued)[0] == 200
        path = f"/sr/{ref2}/do/close_no_action/"
        status, _, _ = cara.request(path, {"version": cara.version(path), "letter-language": "en",
                                           "letter-text_what_we_have_done": "We corrected the payments."})
        assert status == 302
        assert cara.request("/search/?q=Client")[0] == 200

        # Four letters, all waiting in the outbox: none reached the broker.
        letters = shell(env, LETTERS)
        assert [letter["code"] for letter in letters] == ["RES-ACK", "RES-ACK", "RES-ACK", "RES-OUTCOME"]
        assert all(not letter["published"] and letter["tries"] >= 1 and not letter["ready"] for letter in letters)

        # Redis comes back on the same address; a worker starts; the relay
        # (beat runs it every minute) publishes what waited — once.
        redis_server = start(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no"], env, tmp_path / "redis.log")
        worker = start([sys.executable, "-m", "celery", "-A", "config", "worker", "-P", "solo", "-c", "1",
                        "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "INFO"],
                       env, tmp_path / "worker.log")
        assert wait_for(lambda: shell(env, RELAY)[0] == 4, 60), (tmp_path / "worker.log").read_text()[-3000:]
        assert wait_for(lambda: all(letter["ready"] for letter in shell(env, LETTERS)), 120), \
            (tmp_path / "worker.log").read_text()[-3000:]
        assert shell(env, RELAY) == [0, 0]
        letters = shell(env, LETTERS)
        assert [(letter["attempts"], letter["done"]) for letter in letters] == [(1, True)] * 4
        assert len(list((tmp_path / "media").rglob("*.pdf"))) == 4
        # And the app still serves, now with Redis.
        assert cara.request("/my-work/")[0] == 200
    finally:
        for proc in (worker, redis_server, web):
            if proc is not None:
                stop(proc)
    log = (tmp_path / "web.log").read_text()
    assert "Internal Server Error" not in log and "Traceback" not in log, log[-3000:]


def _up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/accounts/login/", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False
