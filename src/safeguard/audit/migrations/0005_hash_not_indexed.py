# The hash needs no index: it covers `seq`, which stays unique, so no two entries share a hash, and nothing looks
# an entry up by its hash. Its unique index and PostgreSQL's pattern copy (about 1 GB each at national scale, written
# at random) were the largest cost of importing into a national dataset (ADR 0005, decision 26).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_append_only"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(editable=False, max_length=64),
        ),
    ]
