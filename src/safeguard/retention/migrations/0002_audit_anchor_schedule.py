"""Schedule the daily audit chain check against off-box anchors with django-q2 (run by `safeguard manage
qcluster`); see safeguard.audit.anchors."""

from django.db import migrations

VERIFY = "safeguard.audit.anchors.scheduled_verify"


def schedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(name="audit-verify-anchor", defaults={"func": VERIFY, "schedule_type": "D",
                                                                            "repeats": -1})


def unschedule(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("django_q", "Schedule").objects.filter(name="audit-verify-anchor").delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial"),
                    ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")]
    operations = [migrations.RunPython(schedule, unschedule)]
