#!/usr/bin/env python
import os
import sys


def main() -> None:
    # Commands default to development; the servers (config.wsgi, config.celery)
    # default to production.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
