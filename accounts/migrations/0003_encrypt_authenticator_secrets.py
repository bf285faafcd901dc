"""Authenticator secrets (TOTP keys, recovery code seeds) set up before they were encrypted are encrypted in place."""

from cryptography.fernet import InvalidToken
from django.db import migrations


def encrypt_secrets(apps, schema_editor):
    from accounts.adapters import PortalMFAAdapter

    adapter = PortalMFAAdapter()
    Authenticator = apps.get_model("mfa", "Authenticator")
    fields = {"totp": "secret", "recovery_codes": "seed"}
    for authenticator in Authenticator.objects.filter(type__in=fields).iterator():
        field = fields[authenticator.type]
        secret = authenticator.data.get(field, "")
        try:
            adapter.decrypt(secret)
            continue  # already encrypted
        except (InvalidToken, ValueError):
            pass
        authenticator.data[field] = adapter.encrypt(secret)
        authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_national_staff_role"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, migrations.RunPython.noop)]
