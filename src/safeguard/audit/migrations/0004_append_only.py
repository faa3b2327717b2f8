# Make the chain's position and hash unique, and make the audit log and the case event log append-only in
# the database: triggers that reject UPDATE and DELETE (and TRUNCATE on PostgreSQL), per vendor.

from django.db import migrations, models


def install_guards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from safeguard.audit import guards

    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        guards.install(schema_editor.connection)


def remove_guards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from safeguard.audit import guards

    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        guards.remove(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0003_chain_existing_entries"),
        ("cases", "0002_case_wake_on"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveBigIntegerField(editable=False, help_text="Position in the hash chain: 1, 2, 3… with no gaps", unique=True),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
        migrations.RunPython(install_guards, remove_guards),
    ]
