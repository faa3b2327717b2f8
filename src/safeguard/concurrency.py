"""Optimistic concurrency for editable records: two edits from the same version, the second is refused.

A page that edits a record puts the record's edit token in a hidden field (`FIELD`); the action that saves
the edit calls `claim(record, token)` first, inside its transaction. The token is the record's version:

- a model with an integer `version` column: the token is the number, and claim runs
  `UPDATE … SET version = version + 1 WHERE id = … AND version = n` (cases use this through
  `record_event(expected_version=…)`);
- a model with `updated_at`: the token is its time, and claim runs
  `UPDATE … SET updated_at = now WHERE id = … AND updated_at = t`;
- any other model: the token is a digest of the row as stored (and its many-to-many links), compared
  under a row lock (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's write transaction is already exclusive).

When no row matches, `StaleEdit` is raised, the caller's transaction rolls back and nothing is written:
the page shows the other person's version and says the changes were not saved. The API uses the same
token as its ETag and refuses a stale If-Match with 412.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta
from typing import Any

from django.db import connections, models, router
from django.utils import timezone

FIELD = "edit_token"
STALE_MESSAGE = ("Someone else changed this record while you were editing it. Your changes were not saved: "
                 "this page now shows their version. Make your changes again if they are still needed.")


class StaleEdit(Exception):
    """The record changed since the editor read it. Nothing was written."""

    def __init__(self, record: models.Model, submitted: str | None) -> None:
        self.record = record
        self.submitted = submitted
        label = record._meta.verbose_name
        super().__init__(f"{label} {record.pk} was changed by someone else since it was read "
                         f"(edit token {submitted!r}): nothing was saved")


def _raw_row(record: models.Model, *, lock: bool) -> tuple[Any, ...]:
    """The row as stored (encrypted fields as ciphertext), optionally locked for the transaction."""
    model = type(record)
    using = router.db_for_write(model)
    connection = connections[using]
    quote = connection.ops.quote_name
    columns = [str(f.column) for f in model._meta.concrete_fields]
    pk_column = str(model._meta.pk.column) if model._meta.pk else "id"
    sql = (f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "
           f"WHERE {quote(pk_column)} = %s")
    if lock and connection.vendor == "postgresql":
        sql += " FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [record.pk])
        row = cursor.fetchone()
    if row is None:
        raise StaleEdit(record, None)
    links = tuple(sorted(getattr(record, m.name).values_list("pk", flat=True))
                  for m in model._meta.many_to_many)
    return tuple(row) + links


def _digest(row: tuple[Any, ...]) -> str:
    text = json.dumps(row, default=lambda v: v.hex() if isinstance(v, bytes | memoryview) else str(v),
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def token(record: models.Model) -> str:
    """The record's current edit token (also its API ETag value), read from the database."""
    model = type(record)
    if _has(model, "version"):
        return str(model._default_manager.filter(pk=record.pk).values_list("version", flat=True).get())
    if _has(model, "updated_at"):
        stamp = model._default_manager.filter(pk=record.pk).values_list("updated_at", flat=True).get()
        return stamp.isoformat() if stamp else ""
    return _digest(_raw_row(record, lock=False))


def claim(record: models.Model, submitted: str | None) -> None:
    """Take the edit: succeed only if the record is still at the version `submitted`, and move it on so
    a second edit from that version fails. Call inside the transaction that writes the edit."""
    model = type(record)
    if not submitted:
        raise StaleEdit(record, submitted)
    manager = model._default_manager
    if _has(model, "version"):
        if not submitted.isdigit():
            raise StaleEdit(record, submitted)
        matched = manager.filter(pk=record.pk, version=int(submitted)).update(version=models.F("version") + 1)
    elif _has(model, "updated_at"):
        try:
            when = datetime.fromisoformat(submitted)
        except ValueError:
            raise StaleEdit(record, submitted) from None
        # Always move forward, even when the clock has not (a frozen or coarse clock would reuse the token).
        moved = max(timezone.now(), when + timedelta(microseconds=1))
        matched = manager.filter(pk=record.pk, updated_at=when).update(updated_at=moved)
    else:
        matched = int(_digest(_raw_row(record, lock=True)) == submitted)
    if matched != 1:
        raise StaleEdit(record, submitted)
    record.refresh_from_db()


def etag(value: str) -> str:
    """A strong ETag for a token."""
    return f'"{value}"'


def from_if_match(header: str | None) -> str | None:
    """The token in an If-Match header (a single strong ETag), or None when absent or a wildcard."""
    if not header:
        return None
    value = header.strip()
    if value == "*" or value.startswith("W/"):
        return None
    return value.strip('"')


__all__ = ["FIELD", "STALE_MESSAGE", "StaleEdit", "claim", "etag", "from_if_match", "token"]
