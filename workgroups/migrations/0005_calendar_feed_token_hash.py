"""Calendar feeds keep a hash of their token instead of the token.

Each existing token is hashed, so every address already in someone's calendar keeps working, and
then the token itself is dropped. Going back cannot restore a dropped token: each feed is given a
new random one, and its owner must make a new address to subscribe again.

The operations are ordered so that both directions run on PostgreSQL and SQLite: the token loses
its uniqueness and its default before the data step, so that going back adds it without a
default (every row empty), fills each row, and only then makes it unique again.
"""

import secrets

from django.db import migrations, models

from core.tokens import hash_token


def hash_tokens(apps, schema_editor):
    """Keep the hash of each feed's token, the one lookup the feed address now makes."""
    CalendarFeed = apps.get_model("workgroups", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk", "token"))
    for feed in feeds:
        feed.token_hash = hash_token(feed.token)
    CalendarFeed.objects.bulk_update(feeds, ["token_hash"], batch_size=500)


def new_tokens(apps, schema_editor):
    """Going back: a fresh token for each feed (the old ones are not kept anywhere)."""
    CalendarFeed = apps.get_model("workgroups", "CalendarFeed")
    feeds = list(CalendarFeed.objects.only("pk"))
    for feed in feeds:
        feed.token = secrets.token_urlsafe()
        feed.token_hash = hash_token(feed.token)
    CalendarFeed.objects.bulk_update(feeds, ["token", "token_hash"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('workgroups', '0004_hub_year_summaries'),
    ]

    operations = [
        migrations.AddField(
            model_name='calendarfeed',
            name='token_hash',
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='calendarfeed',
            name='token',
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, new_tokens),
        migrations.AlterField(
            model_name='calendarfeed',
            name='token_hash',
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RemoveField(
            model_name='calendarfeed',
            name='token',
        ),
    ]
