"""Production settings, checked in a fresh interpreter with DEBUG off."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "hubportal.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://hubportal.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "REDIS_URL": "",
}


def _run(code_or_args, extra_env=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION)
    env["DJANGO_SETTINGS_MODULE"] = "hubportal.settings"
    env.update(extra_env or {})
    args = code_or_args if isinstance(code_or_args, list) else ["-c", code_or_args]
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_has_no_warnings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_secret_key_fails_at_start_with_a_clear_message():
    result = _run(["manage.py", "check"], {"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


RESPONSE_HEADERS = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/privacy/", secure=True, headers={"host": "hubportal.example.org"})
cookie = response.cookies.get("csrftoken")
secure = bool(cookie and cookie["secure"])
status = response.status_code
print(json.dumps({"status": status, "csrf_cookie_secure": secure, **response.headers}))
"""


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Production serves hashed static files collected beforehand, as the image build does."""
    root = tmp_path_factory.mktemp("static")
    result = _run(["manage.py", "collectstatic", "--noinput", "-v0"], {"STATIC_ROOT": str(root)})
    assert result.returncode == 0, result.stderr
    return {"STATIC_ROOT": str(root)}


def test_responses_carry_the_security_headers(static_root):
    result = _run(RESPONSE_HEADERS, static_root)
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 200
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["csrf_cookie_secure"] is True


def test_plain_http_is_redirected_to_https(static_root):
    code = RESPONSE_HEADERS.replace("secure=True", "secure=False")
    result = _run(code, static_root)
    headers = json.loads(result.stdout.strip().splitlines()[-1])
    assert headers["status"] == 301
    assert headers["Location"].startswith("https://")
