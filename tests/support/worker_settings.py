"""Settings of a Celery worker that a test starts in a subprocess (tests/reminders/test_worker.py).

The project's settings, plus what the test chooses through the environment: the mail backend,
where the test mail backends count, the worker's own queue, and short retries.
"""

import os

from hubportal.settings import *  # noqa: F403

EMAIL_BACKEND = os.environ["TEST_EMAIL_BACKEND"]
TEST_MAIL_KEY = os.environ["TEST_MAIL_KEY"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["TEST_CELERY_QUEUE"]
# 0.5 s, 1 s, 2 s, 4 s instead of 10 s, 20 s, 40 s, 80 s: the same backoff, in test time.
NOTIFICATION_RETRY_BASE_SECONDS = 0.5
