"""Schedule the daily sweep with django-q2 (run by `safeguard manage qcluster`)."""

from django.db import migrations

SWEEP = "safeguard.oversight.sweep.scheduled_sweep"


def schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(name="daily-sweep", defaults={"func": SWEEP, "schedule_type": "D", "repeats": -1})


def unschedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name="daily-sweep").delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial"), ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(schedule, unschedule)]
