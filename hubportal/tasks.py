from celery import shared_task


@shared_task
def diagnostic_ping(value: str = "ping") -> str:
    """Answer with what it was given, proving that a worker picks up and returns work."""
    return f"pong: {value}"
