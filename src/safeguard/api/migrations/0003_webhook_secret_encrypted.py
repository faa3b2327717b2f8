"""Webhook signing secrets encrypted at rest: the column becomes an encrypted text field and every secret
stored in clear is encrypted with the newest field key (SAFEGUARD_FIELD_KEYS). Reversible (decrypts).

Raw SQL, because the field's own reading would try to decrypt the clear values."""

from django.db import migrations

import safeguard.victims.fields


def _rewrite(schema_editor, convert):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    table = connection.ops.quote_name("api_webhooksubscription")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret FROM {table} WHERE secret <> ''")  # noqa: S608
        for pk, stored in cursor.fetchall():
            new = convert(stored)
            if new != stored:
                cursor.execute(f"UPDATE {table} SET secret = %s WHERE id = %s", [new, pk])  # noqa: S608


def encrypt(apps, schema_editor):  # type: ignore[no-untyped-def]
    from safeguard.victims import crypto

    _rewrite(schema_editor, lambda v: v if v.startswith(crypto.PREFIX) else crypto.encrypt(v))


def decrypt(apps, schema_editor):  # type: ignore[no-untyped-def]
    from safeguard.victims import crypto

    _rewrite(schema_editor, lambda v: crypto.decrypt(v) if v.startswith(crypto.PREFIX) else v)


class Migration(migrations.Migration):
    dependencies = [("api", "0002_webhook_delivery_schedule")]
    operations = [
        migrations.AlterField(
            model_name="webhooksubscription", name="secret",
            field=safeguard.victims.fields.EncryptedTextField(blank=True, default="",
                                                              help_text="The signing secret, encrypted at rest"),
        ),
        migrations.RunPython(encrypt, decrypt),
    ]
