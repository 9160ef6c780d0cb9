import os

from django.core.wsgi import get_wsgi_application

# A process that serves traffic defaults to production settings, which
# refuse to start without a real secret key; development sets
# DJANGO_SETTINGS_MODULE=config.settings.base explicitly (make run).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()
