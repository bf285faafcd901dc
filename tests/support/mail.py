"""Mail backends that fail on purpose, to test the outbox's retries.

The first two fail and count in this process: for tests whose tasks run in-process. The Redis
ones count in Redis, under the key `settings.TEST_MAIL_KEY`, so that a test can see what a real
worker in another process delivered, and a failure count survives the worker's retries.
"""

import json

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend


class AlwaysFailingBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server refused the connection")


class FailTwiceBackend(EmailBackend):
    """Fails the first two sends in this process, then delivers to the locmem outbox."""

    failures_left = 2

    def send_messages(self, messages):
        if FailTwiceBackend.failures_left > 0:
            FailTwiceBackend.failures_left -= 1
            raise TimeoutError("mail server timed out")
        return super().send_messages(messages)


def delivered_key(key: str) -> str:
    return f"{key}:delivered"


def attempts_key(key: str) -> str:
    return f"{key}:attempts"


def delivered(key: str) -> list[dict]:
    """What a RedisOutboxBackend delivered under `key`, oldest first."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    return [json.loads(item) for item in client.lrange(delivered_key(key), 0, -1)]


class RedisOutboxBackend(BaseEmailBackend):
    """Delivers each message to a Redis list, where a test in another process can count it."""

    def send_messages(self, messages):
        client = redis.Redis.from_url(settings.REDIS_URL)
        for message in messages:
            item = {"to": message.to, "subject": message.subject}
            client.rpush(delivered_key(settings.TEST_MAIL_KEY), json.dumps(item))
        return len(messages)


class RedisFailTwiceBackend(RedisOutboxBackend):
    """Fails the first two sends, counted across every process and retry, then delivers."""

    def send_messages(self, messages):
        client = redis.Redis.from_url(settings.REDIS_URL)
        if client.incr(attempts_key(settings.TEST_MAIL_KEY)) <= 2:
            raise TimeoutError("mail server timed out")
        return super().send_messages(messages)
