"""Run in a separate process by tests/scale against DATABASE_URL (a throwaway database of the test's own).

    scaletool.py load slow|bulk CASES SEED AS_OF [national]   migrate, load synthetic cases, print the tables

Prints one JSON document: every table both loaders write, rows in id order, without the write timestamps.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date

SKIP_COLUMNS = {"created_at", "recorded_at", "updated_at", "at", "hash", "prev_hash"}


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from safeguard.actions.rows import schema as _models
    from safeguard.demo.synth import generate, generate_national, load
    from safeguard.scale.bulk import bulk_load
    from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

    _, _, how, cases, seed, as_of, *rest = argv
    call_command("migrate", verbosity=0, interactive=False)
    day = date.fromisoformat(as_of)
    org, generated = (generate_national if rest == ["national"] else generate)(int(cases), int(seed), day)
    summary = (load if how == "slow" else bulk_load)(org, generated, day, **({"batch": 7} if how == "bulk" else {}))
    tables = {}
    for name, model in [*_models().items(), ("region", Region), ("unit", DeliveryUnit), ("team", Team),
                        ("staff", Staff)]:
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP_COLUMNS]
        rows = [list(row) for row in model.objects.order_by("pk").values_list(*fields)]
        if name == "audit":  # an event's digest covers its recording time, which differs: verify checks it
            detail = fields.index("detail")
            for row in rows:
                row[detail] = {k: v for k, v in row[detail].items() if k != "sha256"}
        tables[name] = rows
    from safeguard.audit.verify import verify

    report = verify()
    problems = [str(p) for p in report.problems]
    print(json.dumps({"summary": summary.as_dict(), "tables": tables, "audit_problems": problems,
                      "events_checked": report.events_checked}, default=str, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
