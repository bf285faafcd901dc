"""The Celery app for the worker test_worker.py starts: hubportal's, with its own default queue.

Tasks the worker itself enqueues (the outcome e-mail, after the check) must come back to the
same worker, not to the shared default queue where another worker might take them.
"""

import os

from hubportal.celery import app

app.conf.task_default_queue = os.environ["ENROLMENT_TEST_QUEUE"]

__all__ = ["app"]
