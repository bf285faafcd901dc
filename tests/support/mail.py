"""Mail backends that fail on purpose, to test the outbox's retries."""

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
