# Chain the entries written before the chain existed, in the order they were written (id).

from django.db import migrations

from safeguard.audit.chain import GENESIS, HASHED_FIELDS, entry_hash


def chain_existing(apps, schema_editor):  # type: ignore[no-untyped-def]
    AuditEntry = apps.get_model("audit", "AuditEntry")
    prev_hash = GENESIS
    for seq, entry in enumerate(AuditEntry.objects.order_by("id").iterator(chunk_size=2000), start=1):
        entry.seq, entry.prev_hash = seq, prev_hash
        entry.hash = entry_hash({name: getattr(entry, name) for name in HASHED_FIELDS})
        entry.save(update_fields=["seq", "prev_hash", "hash"])
        prev_hash = entry.hash


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0002_chain_fields"),
    ]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
    ]
