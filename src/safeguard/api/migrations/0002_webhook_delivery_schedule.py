"""Schedule webhook delivery every minute with django-q2 (run by `safeguard manage qcluster`)."""

from django.db import migrations

DELIVER = "safeguard.api.delivery.scheduled_delivery"


def schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(name="webhook-delivery", defaults={"func": DELIVER, "schedule_type": "I",
                                                                         "minutes": 1, "repeats": -1})


def unschedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name="webhook-delivery").delete()


class Migration(migrations.Migration):
    dependencies = [("api", "0001_initial"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(schedule, unschedule)]
