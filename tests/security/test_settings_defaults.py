"""A process that serves traffic never falls back to DEBUG or to a key that
is in the repository: config.wsgi and config.celery default to production
settings, which refuse to start without a real secret key; only commands
run through manage.py (and `make run`, explicitly) use development."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.base import DEV_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3Y-" + "x7Qp9LmZ2vB8nR4tW6yC1sD5fG0hJ3" * 2


def run(code: str, **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG")}
    env.update(env_vars)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("entry", [
    "import config.wsgi",
    "from config.celery import app; app.conf.broker_url",
])
def test_a_server_without_settings_or_secret_refuses_to_start(entry):
    result = run(entry, DJANGO_ALLOWED_HOSTS="casework.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr
    assert "config.settings.base" in result.stderr  # says how to run in development instead


@pytest.mark.parametrize("key", [DEV_SECRET_KEY, "django-insecure-" + "a1b2c3d4e5" * 5, "short-key"])
def test_production_refuses_the_development_key_and_weak_keys(key):
    result = run("import config.wsgi", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="casework.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY is" in result.stderr


def test_with_a_real_key_the_server_runs_production_settings():
    result = run(
        "import config.wsgi; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.SESSION_COOKIE_SECURE)",
        DJANGO_SECRET_KEY=STRONG_KEY, DJANGO_ALLOWED_HOSTS="casework.example.org",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "False", "True"]


def test_manage_py_commands_keep_the_development_default():
    result = run("import manage, os, sys; sys.argv = ['manage.py', 'diffsettings']; manage.main()")
    assert result.returncode == 0, result.stderr
    assert "config.settings.base" in result.stdout or "DEBUG = True" in result.stdout


def test_make_run_chooses_development_explicitly():
    procfile = (ROOT / "Procfile.dev").read_text().splitlines()
    assert procfile and all("DJANGO_SETTINGS_MODULE=config.settings.base" in line for line in procfile)
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "ENV DJANGO_SETTINGS_MODULE=config.settings.production" in dockerfile
