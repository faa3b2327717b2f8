"""Helpers for the audit tests: tampering with the database the way an insider with a SQL prompt would."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection

from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry


def _behind_the_apps_back(sql: str, params: Sequence[Any] = (), table: str = "audit_auditentry") -> None:
    """Run `sql` directly against the database, getting the append-only triggers out of the way first.

    This is what someone with the table owner's credentials could do, and what `safeguard audit verify`
    exists to catch. On SQLite: read the triggers' definitions from sqlite_master, drop them, run the
    statement, and create them again from the same definitions. On PostgreSQL: ALTER TABLE … DISABLE
    TRIGGER USER, run the statement, ENABLE TRIGGER USER (after running any deferred foreign-key checks,
which PostgreSQL insists on before an ALTER TABLE). (Inserting a forged row needs no bypass at all:
    INSERT is allowed; the chain catches that instead.) Inside a test everything is rolled back afterwards.
    """
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            saved = cursor.fetchall()
            for name, _ in saved:
                cursor.execute(f'DROP TRIGGER "{name}"')
            cursor.execute(sql, list(params))
            for _, definition in saved:
                cursor.execute(definition)
        else:
            # PostgreSQL will not ALTER a table with deferred foreign-key checks pending: run them first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"ALTER TABLE {quoted} DISABLE TRIGGER USER")
            cursor.execute(sql, list(params))
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute(f"ALTER TABLE {quoted} ENABLE TRIGGER USER")


@pytest.fixture
def tamper(db: None) -> Callable[..., None]:
    """Run SQL against a table as an insider would, triggers out of the way (see _behind_the_apps_back)."""
    return _behind_the_apps_back


@pytest.fixture
def chain(db: None) -> list[AuditEntry]:
    """Five chained audit entries."""
    return [write_audit("case.viewed", case_ref=f"X90000{n}", object_type="case", object_id=str(n),
                        detail={"source": "web"}) for n in range(1, 6)]
