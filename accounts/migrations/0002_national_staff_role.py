from django.db import migrations, models


def national_staff_from_admin_access(apps, schema_editor):
    """Until now admin access stood for national staff: those people keep their role."""
    apps.get_model("accounts", "User").objects.filter(is_staff=True).update(is_national_staff=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_national_staff",
            field=models.BooleanField(
                default=False,
                help_text="National staff: every hub's records, dashboards and the national register.",
                verbose_name="national staff",
            ),
        ),
        migrations.AlterField(
            model_name="user",
            name="is_staff",
            field=models.BooleanField(
                default=False, help_text="May open the Django admin.", verbose_name="admin access"
            ),
        ),
        migrations.RunPython(national_staff_from_admin_access, migrations.RunPython.noop),
    ]
