"""Fixtures every test can use: fast hashing, a clean cache, and one person per role."""

import os

import pytest
from django.core.cache import cache

from hubportal.celery import app as celery_app
from schools.models import HubStaff, SchoolContact

from .factories import (
    HubFactory,
    HubStaffFactory,
    LocalAuthorityFactory,
    SchoolContactFactory,
    SchoolFactory,
    StaffUserFactory,
    UserFactory,
)
from .support.sessions import Client


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_media(settings, tmp_path):
    """Uploads and kept exports go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clean_cache():
    """Rate limits and kept pages live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _task_results():
    """The portal keeps no task results; tests that wait for a real worker's answer read them
    from the real Redis, and so do the workers they start (through the environment)."""
    from django.conf import settings

    if not settings.REDIS_URL:
        yield
        return
    os.environ["CELERY_RESULT_BACKEND"] = settings.REDIS_URL
    celery_app.conf.result_backend = settings.REDIS_URL
    celery_app._local.__dict__.pop("backend", None)  # made again from the new setting
    yield
    os.environ.pop("CELERY_RESULT_BACKEND", None)


@pytest.fixture(autouse=True)
def _tasks_in_process():
    """Tasks run in the test's own process unless a test starts a real worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def client():
    """Django's test client, whose `force_login` also satisfies the second factor."""
    return Client()


@pytest.fixture
def hub(db):
    return HubFactory(name="Test Maths Hub", slug="test-hub")


@pytest.fixture
def other_hub(db):
    return HubFactory(name="Other Maths Hub", slug="other-hub")


@pytest.fixture
def hub_school(hub):
    return SchoolFactory(local_authority=LocalAuthorityFactory(hub=hub))


@pytest.fixture
def other_school(other_hub):
    return SchoolFactory(local_authority=LocalAuthorityFactory(hub=other_hub))


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(email="staff@example.org")


@pytest.fixture
def hub_lead(hub):
    return HubStaffFactory(
        hub=hub, role=HubStaff.Role.HUB_LEAD, user__email="lead@example.org"
    ).user


@pytest.fixture
def specialist(hub, hub_school):
    return HubStaffFactory(
        hub=hub,
        role=HubStaff.Role.MASTERY_SPECIALIST,
        school=hub_school,
        user__email="specialist@example.org",
    ).user


@pytest.fixture
def school_contact(hub_school):
    user = UserFactory(email="contact@example.org")
    SchoolContactFactory(
        school=hub_school, user=user, email=user.email, role=SchoolContact.Role.LEAD_PARTICIPANT
    )
    return user


@pytest.fixture
def outsider(db):
    """Signed in, but with no role anywhere."""
    return UserFactory(email="outsider@example.org")


@pytest.fixture
def people(staff_user, hub_lead, specialist, school_contact, outsider):
    """Everyone by role name, for access matrices (None: not signed in)."""
    return {
        "anonymous": None,
        "staff": staff_user,
        "hub_lead": hub_lead,
        "specialist": specialist,
        "school_contact": school_contact,
        "outsider": outsider,
    }
