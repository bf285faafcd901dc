#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hubportal.settings")
    # manage.py is the developer's tool: development mode unless DEBUG says otherwise. The web
    # server (wsgi.py) and Celery have no such default, so production never starts without a
    # SECRET_KEY; production commands run with DEBUG=false set in their environment.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
