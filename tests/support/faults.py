"""Services a fault test owns and breaks on purpose: never the machine's shared ones.

- `RedisServer`: a `redis-server` on a free port of its own, to stop, hang (SIGSTOP) and bring
  back.
- `TcpProxy`: a proxy in front of a server (the shared PostgreSQL), which the test can cut (every
  connection dropped, new ones refused) and restore: a database blink without touching the
  database.
- `SmtpSink`: an SMTP server that refuses (421, "try again later") while told to and otherwise
  accepts and counts each message by its Message-ID.
"""

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import redis
from aiosmtpd.controller import Controller


def worker_database_url(*, port: int | None = None) -> str:
    """DATABASE_URL for a process a test starts: the test database, through `port` if given
    (a TcpProxy's), else where the test itself connects."""
    from django.db import connection

    parts = urlsplit(os.environ["DATABASE_URL"])
    netloc = parts.netloc
    if port is not None:
        netloc = (
            f"{netloc.rsplit('@', 1)[0]}@127.0.0.1:{port}"
            if "@" in netloc
            else (f"127.0.0.1:{port}")
        )
    name = connection.settings_dict["NAME"]
    return urlunsplit((parts.scheme, netloc, f"/{name}", parts.query, parts.fragment))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, timeout: float = 60, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


class RedisServer:
    def __init__(self):
        if not shutil.which("redis-server"):
            raise RuntimeError("The fault tests start their own redis-server: install it.")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)
        if not wait_for(lambda: self._answers(client), timeout=10, every=0.05):
            raise RuntimeError(f"redis-server did not start on port {self.port}")
        return self

    @staticmethod
    def _answers(client) -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    def hang(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.resume()
            self.process.kill()
            self.process.wait(timeout=10)


class TcpProxy:
    """Forwards 127.0.0.1:`port` to `target`; `cut()` drops everything until `restore()`."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._open = threading.Event()
        self._open.set()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if not self._open.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            self._close(end)

    def _close(self, end) -> None:
        with self._lock:
            self._sockets.discard(end)
        with contextlib.suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)
        end.close()

    def cut(self) -> None:
        self._open.clear()
        with self._lock:
            ends = list(self._sockets)
        for end in ends:
            self._close(end)

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        self.cut()
        self._listener.close()


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.sink.delay)
        if self.sink.refusing:
            return "421 4.3.0 Try again later"
        message = envelope.content.decode("utf8", errors="replace")
        message_id = next(
            (
                line.split(":", 1)[1].strip()
                for line in message.splitlines()
                if line.lower().startswith("message-id:")
            ),
            "",
        )
        with self.sink.lock:
            self.sink.received[message_id] += 1
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.port = free_port()
        self.refusing = False
        self.delay = 0.0  # seconds before answering each message: a slow mail server
        self.lock = threading.Lock()
        self.received: Counter[str] = Counter()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def counts(self) -> Counter[str]:
        with self.lock:
            return Counter(self.received)


ROOT = Path(__file__).resolve().parents[2]


def start_worker(queue: str, **settings_env: str) -> subprocess.Popen:
    """A Celery worker in a process of its own, on `queue`, with tests.support.worker_settings
    and the settings given (as environment variables, which the settings read)."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.support.worker_settings",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "TEST_MAIL_KEY": queue,
        "TEST_CELERY_QUEUE": queue,
        **settings_env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "hubportal", "worker", "--pool=solo"]
        + ["-Q", queue, "-n", f"{queue}-{uuid.uuid4().hex[:4]}@%h", "--loglevel=WARNING"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
    )
