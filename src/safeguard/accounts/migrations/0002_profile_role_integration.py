"""The integration-account role: another system using the API (safeguard.accounts.access.can_integrate)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [
        migrations.AlterField(
            model_name="profile", name="role",
            field=models.CharField(choices=[
                ("practitioner", "Probation practitioner"), ("spo", "Senior probation officer"),
                ("head", "Head of delivery unit"), ("qa", "Quality assurance"),
                ("police", "Police domestic abuse unit"), ("csc", "Children's social care"),
                ("victim_worker", "Victim-facing worker"), ("admin", "Administrator"),
                ("integration", "Integration account (another system, API only)")], max_length=20),
        ),
    ]
