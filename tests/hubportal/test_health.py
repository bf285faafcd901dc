import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database_and_broker(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    assert data["broker"] == ("ok" if settings.REDIS_URL else "not configured")
    assert data["status"] == "ok"


def test_healthz_is_503_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("down")
    assert response.json()["status"] == "unavailable"
