"""A Redis cache that fails open: when Redis is down or hung, the portal goes on without it.

The cache holds only what can be lost: rate-limit counters and the locks of single-flight jobs
on SQLite (decision 0006). Short timeouts (the settings' OPTIONS) bound the wait for a hung
server; any Redis error then reads as a miss, a write as not done and an `add` as done. Rate
limits stop counting, and a one-time code's "already used" mark is not kept, for as long as
Redis is away: better than no one being able to sign in or send a form.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


# After a failure the process leaves Redis alone this long, so a page making several cache
# calls pays one timeout, not one each.
RETRY_AFTER_SECONDS = 5
_down_until: dict[str, float] = {}  # by server


def _fail_open(name: str, default):
    method = getattr(RedisCache, name)

    def call(self, *args, **kwargs):
        if time.monotonic() < _down_until.get(self._server_key, 0):
            return default(*args, **kwargs) if callable(default) else default
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("The cache is unavailable (%s): %s goes on without it.", error, name)
            _down_until[self._server_key] = time.monotonic() + RETRY_AFTER_SECONDS
            return default(*args, **kwargs) if callable(default) else default

    call.__name__ = name
    return call


class FailOpenRedisCache(RedisCache):
    @property
    def _server_key(self) -> str:
        return repr(self._servers)

    get = _fail_open("get", lambda key, default=None, version=None: default)
    # "Added": the locks taken with add (rate limits' own, single flight on SQLite) let the
    # caller go on rather than wait for a server that is not there.
    add = _fail_open("add", True)
    set = _fail_open("set", None)
    touch = _fail_open("touch", False)
    delete = _fail_open("delete", False)
    incr = _fail_open("incr", 1)
    get_many = _fail_open("get_many", {})
    set_many = _fail_open("set_many", [])
    delete_many = _fail_open("delete_many", None)
    has_key = _fail_open("has_key", False)
    clear = _fail_open("clear", None)
