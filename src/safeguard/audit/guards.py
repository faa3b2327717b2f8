"""Database triggers that make the audit log and the case event log append-only.

On SQLite: BEFORE UPDATE and BEFORE DELETE triggers that RAISE(ABORT). On PostgreSQL: a BEFORE UPDATE
OR DELETE row trigger and a BEFORE TRUNCATE statement trigger calling `safeguard_append_only()`, which
raises SQLSTATE 23001 (restrict_violation). Either way the statement fails with an IntegrityError and
the transaction is rolled back, whatever code (or person with a SQL prompt) sent it.

They are created by migration audit.0004 and re-created after every `migrate` (post_migrate), because
on SQLite a migration that alters one of these tables rebuilds it and the rebuild drops its triggers.

Only the owner of the tables can drop or disable the triggers. In production the application connects
as a role that does not own them and has no UPDATE/DELETE/TRUNCATE grant on them (docs/security.md).
The maintenance paths that must remove rows (restoring over a database with --force, and the test
suite's flush between transactional tests) use `suspended()`, inside one transaction, which puts the
triggers back before it commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.base import BaseDatabaseWrapper

APPEND_ONLY_TABLES = ("audit_auditentry", "cases_caseevent", "cases_caseeventvoid")
PG_FUNCTION = "safeguard_append_only"

_PG_FUNCTION_BODY = """
BEGIN
    RAISE EXCEPTION 'Safeguard: table % is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation',
              HINT = 'Corrections are recorded as new entries. See docs/security.md.';
END;
"""



def _pg_tgtype(name: str) -> int:
    """pg_trigger.tgtype of our triggers (bits: 1 row, 2 before, 8 delete, 16 update, 32 truncate)."""
    return 2 | 32 if name.endswith("_no_truncate") else 1 | 2 | 8 | 16


def _sqlite_triggers(table: str) -> dict[str, str]:
    return {
        f"{table}_no_update": (f'CREATE TRIGGER "{table}_no_update" BEFORE UPDATE ON "{table}" BEGIN '
                               f"SELECT RAISE(ABORT, 'Safeguard: table {table} is append-only: UPDATE is not "
                               "allowed'); END"),
        f"{table}_no_delete": (f'CREATE TRIGGER "{table}_no_delete" BEFORE DELETE ON "{table}" BEGIN '
                               f"SELECT RAISE(ABORT, 'Safeguard: table {table} is append-only: DELETE is not "
                               "allowed'); END"),
    }


def _pg_triggers(table: str) -> dict[str, str]:
    return {
        f"{table}_append_only": (f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
                                 f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()"),
        f"{table}_no_truncate": (f'CREATE TRIGGER "{table}_no_truncate" BEFORE TRUNCATE ON "{table}" '
                                 f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"),
    }


def triggers_for(vendor: str, table: str) -> dict[str, str]:
    if vendor == "sqlite":
        return _sqlite_triggers(table)
    if vendor == "postgresql":
        return _pg_triggers(table)
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def install(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    """Create (or re-create) the triggers on whichever of `tables` exist. Idempotent."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql "
                           f"AS $safeguard${_PG_FUNCTION_BODY}$safeguard$")
        for table in tables:
            if table not in existing:
                continue
            for name, sql in triggers_for(connection.vendor, table).items():
                if connection.vendor == "postgresql":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
                else:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
                cursor.execute(sql)


def remove(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> None:
    """Drop the triggers (migration rollback only)."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in tables:
            if table not in existing:
                continue
            for name in triggers_for(connection.vendor, table):
                if connection.vendor == "postgresql":
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
                else:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def _squash(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip().rstrip(";").lower()


def problems(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> list[str]:
    """What is wrong with the guards: missing, disabled or altered triggers. Empty when all is in place."""
    found: list[str] = []
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [PG_FUNCTION])
            row = cursor.fetchone()
            if row is None:
                found.append(f"function {PG_FUNCTION}() is missing")
            elif _squash(row[0]) != _squash(_PG_FUNCTION_BODY):
                found.append(f"function {PG_FUNCTION}() has been altered")
        for table in tables:
            if table not in existing:
                found.append(f"table {table} is missing")
                continue
            expected = triggers_for(connection.vendor, table)
            if connection.vendor == "postgresql":
                cursor.execute("SELECT tgname, tgenabled, tgtype, tgfoid::regproc::text FROM pg_trigger "
                               "WHERE tgrelid = %s::regclass AND NOT tgisinternal", [table])
                actual = {name: (enabled, kind, function) for name, enabled, kind, function in cursor.fetchall()}
                for name in expected:
                    if name not in actual:
                        found.append(f"trigger {name} on {table} is missing")
                    elif actual[name][0] not in ("O", "A"):
                        found.append(f"trigger {name} on {table} is disabled")
                    elif (actual[name][1], actual[name][2]) != (_pg_tgtype(name), PG_FUNCTION):
                        found.append(f"trigger {name} on {table} has been altered")
            else:
                cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                               [table])
                actual_sql = dict(cursor.fetchall())
                for name, sql in expected.items():
                    if name not in actual_sql:
                        found.append(f"trigger {name} on {table} is missing")
                    elif _squash(actual_sql[name]) != _squash(sql):
                        found.append(f"trigger {name} on {table} has been altered")
    return found


def _settle_deferred_checks(connection: BaseDatabaseWrapper) -> None:
    """PostgreSQL refuses ALTER TABLE while deferred foreign-key checks are pending on the table: run them now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def suspended(connection: BaseDatabaseWrapper, tables: tuple[str, ...] = APPEND_ONLY_TABLES) -> Iterator[None]:
    """Lift the guards for the rest of the current transaction's work inside the block, then put them back.

    Must run inside transaction.atomic(): DDL is transactional on SQLite and PostgreSQL, so if anything
    fails the rollback restores the triggers too. For maintenance paths only (restore --force, test flush).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("guards.suspended() must be used inside transaction.atomic()")
    existing = set(connection.introspection.table_names())
    present = tuple(t for t in tables if t in existing)
    with connection.cursor() as cursor:
        _settle_deferred_checks(connection)
        for table in present:
            for name in triggers_for(connection.vendor, table):
                if connection.vendor == "postgresql":
                    cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
                else:
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
    yield
    # Not in a finally: after an error the transaction is rolled back, and the rollback restores them.
    if connection.vendor == "postgresql":
        _settle_deferred_checks(connection)
        with connection.cursor() as cursor:
            for table in present:
                for name in triggers_for(connection.vendor, table):
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')
    else:
        install(connection, present)
