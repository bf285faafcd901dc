"""When each app's records last changed: the version of what is kept in the cache.

Every write through Django's database connections (a save or a delete, a bulk create or update, a
queryset's update or delete, raw SQL) counts as a change to the app whose table it writes. The
count lives in the shared cache, so every web process and Celery worker sees it. A page worked out
from an app's records and kept in the cache is keyed by `version()` of those apps: after any
change it is worked out afresh, so it is never shown stale, and until then it costs nothing.

A write is counted as it runs, so that a page read in the same transaction sees it, and again
when its transaction commits, so that a page worked out meanwhile from the records as they were
before the commit is not kept under the new version.
"""

import logging
import re
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)
# Changes are counted for the apps that hold the programme's records.
TRACKED_APPS = ("accounts", "schools", "workgroups", "enrolment", "actionplans")
# A count that is missing from the cache (a new cache, or one that evicted it) starts anew from
# the clock, so that it never repeats a version a kept page was stored under.
_KEY = "changes:{}"
_TIMEOUT = None


def _app_of_table() -> dict[str, str]:
    if not hasattr(_app_of_table, "found"):
        _app_of_table.found = {
            model._meta.db_table: model._meta.app_label
            for label in TRACKED_APPS
            for model in apps.get_app_config(label).get_models(include_auto_created=True)
        }
    return _app_of_table.found


def mark_changed(*app_labels: str) -> None:
    """Count a change to the records of these apps."""
    for label in app_labels:
        key = _KEY.format(label)
        try:
            try:
                cache.incr(key)
            except ValueError:
                cache.add(key, time.time_ns(), timeout=_TIMEOUT)
        except Exception:
            # The write has happened: a cache that cannot be reached must not undo it.
            logger.exception("Could not count a change to %s in the cache.", label)


def versions(*app_labels: str) -> dict[str, int]:
    """Each app's count of changes, read in one round trip to the cache."""
    keys = {label: _KEY.format(label) for label in app_labels}
    found = cache.get_many(keys.values())
    if len(found) < len(keys):
        start = time.time_ns()
        for key in keys.values():
            if key not in found:
                cache.add(key, start, timeout=_TIMEOUT)
        found = cache.get_many(keys.values())
    return {label: found.get(key, 0) for label, key in keys.items()}


def version(*app_labels: str) -> str:
    """The version of these apps' records: it differs after any change to any of them."""
    return "-".join(str(count) for count in versions(*app_labels).values())


def _count_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    match = WRITE.match(sql)
    label = match and _app_of_table().get(match[1])
    if label:
        mark_changed(label)
        connection = context["connection"]
        if connection.in_atomic_block:
            transaction.on_commit(lambda: mark_changed(label), using=connection.alias)
    return result


def watch(sender, connection, **kwargs) -> None:
    """Count the writes of a new database connection (connected to `connection_created`)."""
    if _count_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_count_writes)
