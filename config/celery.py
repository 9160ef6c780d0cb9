import os
from pathlib import Path

from celery import Celery

# Workers and beat default to production settings, as the web server does
# (config.wsgi); `make run` chooses development explicitly.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("casework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _make_filesystem_broker_folders(sender, **kwargs):  # type: ignore[no-untyped-def]
    # kombu's filesystem transport (the no-server default) needs its folders.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
