"""The database cache's table (settings.CACHES without REDIS_URL: rate-limit counters shared by every web
process), and the daily outbox pruning job (django-q2, run by `safeguard manage qcluster`)."""

from django.core.management import call_command
from django.db import migrations

PRUNE = "safeguard.api.outbox.scheduled_prune"


def cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    # Always made (nothing happens when it exists), whatever this process's CACHES, so that switching a
    # deployment from Redis or local memory to the database cache needs no extra step.
    from safeguard.api.conf import CACHE_TABLE

    call_command("createcachetable", CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0)


def schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(name="outbox-prune", defaults={"func": PRUNE, "schedule_type": "D",
                                                                     "repeats": -1})


def unschedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name="outbox-prune").delete()


class Migration(migrations.Migration):
    dependencies = [("api", "0003_webhook_secret_encrypted")]
    operations = [migrations.RunPython(cache_table, migrations.RunPython.noop),
                  migrations.RunPython(schedule, unschedule)]
