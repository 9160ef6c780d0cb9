"""`make run` starts the web server, a Celery worker and beat under honcho;
Ctrl-C stops them all. The worker used to need honcho's SIGKILL: honcho
signals the whole process group, which killed the worker's pool children
(the worker then replaced them), and Python's teardown of a Django process
outlasted honcho's 5-second grace."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.celery_worker]


def _procfile_line(name: str) -> str:
    for line in (ROOT / "Procfile.dev").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return line
    raise AssertionError(f"Procfile.dev has no {name} process")


def test_ctrl_c_stops_the_worker_without_sigkill(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text(_procfile_line("worker") + "\n")
    # A broker in memory: the worker needs no queue to start and stop.
    env = {**os.environ, "CELERY_BROKER_URL": "memory://", "PYTHONUNBUFFERED": "1"}
    honcho = subprocess.Popen(
        [sys.executable, "-m", "honcho", "start", "-f", str(procfile), "-d", str(ROOT), "--no-colour"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 90
        assert honcho.stdout is not None
        while time.monotonic() < deadline:
            line = honcho.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "ready." in line:
                break
        assert any("ready." in line for line in lines), "".join(lines[-30:])
        honcho.send_signal(signal.SIGINT)  # what Ctrl-C does
        rest, _ = honcho.communicate(timeout=30)
        lines.append(rest)
    finally:
        if honcho.poll() is None:
            os.killpg(honcho.pid, signal.SIGKILL)
            honcho.wait()
    output = "".join(lines)
    assert "SIGKILL" not in output, output[-3000:]
    assert "worker.1 stopped (rc=0)" in output, output[-3000:]
