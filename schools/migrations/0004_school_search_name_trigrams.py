"""A trigram index on the schools' searchable names, on PostgreSQL.

The search finds a word anywhere in a name ("marys" finds "Hillmarys Road"), which a B-tree
cannot answer: without this index every search reads every school. With it, a search for words
of three letters or more reads only the names holding their trigrams. SQLite (`make run`) has
no such index and, with a few schools, needs none.
"""

from django.db import migrations

INDEX = "schools_school_search_name_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON schools_school "
            "USING gin (search_name gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_hub_area")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
