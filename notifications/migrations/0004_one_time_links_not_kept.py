import re

from django.db import migrations, models

SECRET_MARK = "[one-time link: sent, not kept]"
# The one-time links the portal has sent: invitations, password resets, address confirmations.
ONE_TIME_LINK = re.compile(
    r"https?://[^\s\"'<>]*/account/(?:invitations|password/reset/key|confirm-email)/[^\s\"'<>]+"
)


def scrub_sent_links(apps, schema_editor):
    """Mails already sent keep no working link."""
    Notification = apps.get_model("notifications", "Notification")
    sent = Notification.objects.filter(status="sent", body_text__contains="/account/")
    for mail in sent.iterator():
        text = ONE_TIME_LINK.sub(SECRET_MARK, mail.body_text)
        html = ONE_TIME_LINK.sub(SECRET_MARK, mail.body_html)
        if (text, html) != (mail.body_text, mail.body_html):
            Notification.objects.filter(pk=mail.pk).update(body_text=text, body_html=html)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_outbox_backoff_and_claims")]

    operations = [
        migrations.AddField(
            model_name="notification", name="secret", field=models.TextField(blank=True)
        ),
        migrations.RunPython(scrub_sent_links, migrations.RunPython.noop),
    ]
