"""Helper run in a separate process by the backup and audit tests (see owndb.py), against DATABASE_URL.

    dbtool.py migrate [APP [MIGRATION]]   migrate (system checks skipped)
    dbtool.py build                       build data through the actions (timelines, users, audited views)
    dbtool.py dump raw|orm                every table's rows as JSON: raw = as the database driver returns
                                          them (same-vendor comparison), orm = as Django's fields read them
    dbtool.py write-audit N               write N audit entries, each in its own transaction
    dbtool.py legacy-audit N              insert N audit rows as they were before the chain (audit 0001)

Several commands run in one process when separated by "+"; the last one's result is printed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

TESTS = Path(__file__).resolve().parent


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    import django

    django.setup()


def migrate(args: list[str]) -> None:
    from django.core.management import call_command

    call_command("migrate", *args, verbosity=0, interactive=False, skip_checks=True)


class FakeRequest:
    def __init__(self, ip: str, user: Any = None) -> None:
        self.META = {"REMOTE_ADDR": ip}
        self.user = user


def build(_: list[str]) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from safeguard.audit.log import write_audit
    from safeguard.timeline.importer import import_timeline
    from safeguard.timeline.validate import load_file, validate_document

    sys.path.insert(0, str(TESTS))
    from conftest import BASE_TIMELINE

    refs = [import_timeline(validate_document(json.loads(json.dumps(BASE_TIMELINE)), "base.json")).ref]
    for name in ("01-killamarsh-curfew-partner-children.json", "13-high-risk-good-practice.json"):
        refs.append(import_timeline(load_file(TESTS / "replay" / name)).ref)
    user = get_user_model().objects.create_user("practitioner.one", password="correct horse battery staple")
    write_audit("case.viewed", case_ref=refs[0], object_type="case", object_id="1",
                request=FakeRequest("192.0.2.10", user))
    write_audit("case.viewed", case_ref=refs[1], object_type="case", object_id="2",
                request=FakeRequest("2001:db8::7", user))
    return {"cases": refs}


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict | list):
        return json.loads(json.dumps(value, sort_keys=True, default=str))
    return [type(value).__name__, str(value)]


def dump(args: list[str]) -> dict[str, Any]:
    from django.apps import apps
    from django.db import connection

    mode = args[0] if args else "raw"
    tables: dict[str, Any] = {}
    if mode == "raw":
        with connection.cursor() as cursor:
            for table in sorted(connection.introspection.table_names()):
                if table in ("django_migrations", "django_session"):
                    continue
                cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
                tables[table] = [[_jsonable(v) for v in row] for row in cursor.fetchall()]
            tables["django_migrations"] = []
            if "django_migrations" in connection.introspection.table_names():
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                tables["django_migrations"] = [list(row) for row in cursor.fetchall()]
        return tables
    existing = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.db_table not in existing or meta.db_table == "django_session":
            continue
        names = [f.attname for f in meta.local_concrete_fields]
        rows = model._base_manager.order_by(meta.pk.attname).values_list(*names)
        tables[meta.db_table] = [[_jsonable(v) for v in row] for row in rows]
    return tables


def write_audit_entries(args: list[str]) -> dict[str, Any]:
    from safeguard.audit.log import write_audit

    count = int(args[0])
    for n in range(count):
        write_audit("case.viewed", case_ref=f"X{os.getpid()}", object_type="case", object_id=str(n))
    return {"written": count}


def legacy_audit(args: list[str]) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.utils import timezone

    with transaction.atomic(), connection.cursor() as cursor:
        for n in range(int(args[0])):
            cursor.execute("INSERT INTO audit_auditentry (at, action, case_ref, object_type, object_id, detail) "
                           "VALUES (%s, %s, %s, %s, %s, %s)",
                           [connection.ops.adapt_datetimefield_value(timezone.now()), "case.viewed", f"L{n}", "case",
                            str(n), json.dumps({"seq": n})])
    return {"inserted": int(args[0])}


COMMANDS = {"migrate": migrate, "build": build, "dump": dump, "write-audit": write_audit_entries,
            "legacy-audit": legacy_audit}

if __name__ == "__main__":
    _setup()
    # Several commands in one process, separated by "+": dbtool.py migrate + build + dump raw
    commands, current = [], []  # type: ignore[var-annotated]
    for word in sys.argv[1:] + ["+"]:
        if word == "+":
            commands.append(current)
            current = []
        else:
            current.append(word)
    results = [COMMANDS[name](rest) for name, *rest in commands if name]
    if results and results[-1] is not None:
        print(json.dumps(results[-1]))
