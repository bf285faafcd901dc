"""Every kind of write to the programme's records is a new version of the pages kept in the cache,
and nothing else is."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from hubportal import changes
from schools.models import School
from tests.factories import SchoolFactory
from workgroups.models import Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(hub):
    return SchoolFactory(local_authority__hub=hub, name="Elm Tree Primary")


def _changed(action, app="schools") -> bool:
    before = changes.version(app)
    action()
    return changes.version(app) != before


def test_a_save_and_a_delete_are_changes(school):
    def rename():
        school.name = "Elm Tree Academy"
        school.save()

    assert _changed(rename)
    assert _changed(school.delete)


def test_writes_that_send_no_signal_are_changes(school, hub):
    assert _changed(lambda: School.objects.filter(pk=school.pk).update(name="Elm Tree Academy"))
    assert _changed(
        lambda: School.objects.bulk_create(
            [SchoolFactory.build(local_authority=school.local_authority)]
        )
    )
    assert _changed(lambda: School.objects.filter(pk=school.pk).delete())


def test_raw_sql_is_a_change(school):
    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {School._meta.db_table} SET name = %s", ["Renamed"])

    assert _changed(raw_update)


def test_a_change_to_one_app_leaves_the_others_version(school):
    assert not _changed(lambda: School.objects.filter(pk=school.pk).update(name="X"), "workgroups")
    assert not _changed(lambda: Participation.objects.update(release_days_used=1), "schools")


def test_reading_is_no_change(school):
    assert not _changed(lambda: list(School.objects.all()))


def test_a_write_outside_the_programme_records_is_no_change(school, client, hub_lead):
    records = ("schools", "workgroups", "enrolment", "actionplans")
    versions = changes.version(*records)
    client.force_login(hub_lead)  # writes the session and the last login
    assert changes.version(*records) == versions


def test_a_commit_counts_the_change_again(school, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        School.objects.filter(pk=school.pk).update(name="Renamed")
    during = changes.version("schools")
    for callback in callbacks:
        callback()
    assert changes.version("schools") != during


def test_a_version_the_cache_lost_starts_anew(school):
    before = changes.version("schools")
    cache.clear()
    after = changes.version("schools")
    assert after != before
    assert changes.version("schools") == after
