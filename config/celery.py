import logging
import os
from pathlib import Path
from typing import Any

from celery import Celery
from celery.apps.worker import Worker
from celery.signals import worker_shutdown

# Workers and beat default to production settings, as the web server does
# (config.wsgi); `make run` chooses development explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender: Any, **kwargs: Any) -> None:
    # kombu's filesystem transport (the no-server default) needs its folders.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_shutdown.connect
def _exit_once_stopped(sender: object, **kwargs: object) -> None:
    """After a warm shutdown of a `celery worker` process every task has
    finished and been acknowledged and the broker connection is closed:
    nothing is left but Python's teardown of a Django process, which takes
    seconds (it frees the whole heap). `make run`'s process manager kills
    whatever still runs 5 s after Ctrl-C, and a container stop waits for
    it, so the process ends here. Only the command-line worker: a worker
    run inside another process (celery.contrib.testing) is left alone."""
    if isinstance(sender, Worker):
        logging.shutdown()
        os._exit(getattr(sender, "exitcode", 0) or 0)
