"""Writing audit entries: chained, serialised, and free of sensitive text.

`detail` holds identifiers and kinds only, never names, addresses, dates of birth or free text: its
keys must be in DETAIL_KEYS and its values short tokens (refs, codes, kinds, digests), integers,
booleans or lists of those. Anything else is refused with AuditDetailError, so a mistake shows up in
the tests rather than in the audit table. To record something new, add a key here (and say in review
why it cannot identify a victim).
"""

from __future__ import annotations

import re
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from safeguard.audit.chain import GENESIS
from safeguard.audit.context import client_ip, current_request
from safeguard.audit.models import AuditEntry

# Keys that name identifiers, codes, kinds and counts. Never: name, address, note, summary, reason, text…
DETAIL_KEYS = frozenset({
    "agency", "code", "count", "event", "events", "fields", "format", "from_status", "grade", "kind", "kinds",
    "method", "obligation", "obligations", "outcome", "people", "person", "policy_version", "ref", "refs",
    "role", "rows", "rule", "rules", "scope", "seq", "sha256", "source", "spo", "staff", "status", "tables",
    "team", "to_status", "type", "unit", "version",
})
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:#~+/-]{0,79}")
_ACTION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
_MAX_LIST = 200
# A constant key for pg_advisory_xact_lock: one chain, one lock ("SafeAud1").
CHAIN_LOCK_KEY = 0x5361666541756431


class AuditDetailError(ValueError):
    """An audit entry would have held something other than identifiers and kinds."""


def _check_value(key: str, value: Any) -> None:
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        if value and not _TOKEN.fullmatch(value):
            raise AuditDetailError(f"audit detail {key!r} must be an identifier, code or kind (no spaces, at most "
                                   f"80 characters), not free text")
        return
    raise AuditDetailError(f"audit detail {key!r} must be a string token, an integer, a boolean or a list of those")


def clean_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for key, value in (detail or {}).items():
        if key not in DETAIL_KEYS:
            raise AuditDetailError(f"audit detail key {key!r} is not allowed: details hold identifiers and kinds "
                                   "only (add the key to safeguard.audit.log.DETAIL_KEYS if it is one)")
        if isinstance(value, list | tuple | set | frozenset):
            items = sorted(value) if isinstance(value, set | frozenset) else list(value)
            if len(items) > _MAX_LIST:
                raise AuditDetailError(f"audit detail {key!r} lists more than {_MAX_LIST} items")
            for item in items:
                _check_value(key, item)
            cleaned[key] = items
        else:
            _check_value(key, value)
            cleaned[key] = value
    return cleaned


def _check_field(name: str, value: str, limit: int) -> str:
    value = value or ""
    if value and (len(value) > limit or not _TOKEN.fullmatch(value)):
        raise AuditDetailError(f"audit {name} must be an identifier (no spaces, at most {limit} characters)")
    return value


def _lock_chain(using: str) -> None:
    """Serialise chain writers until this transaction ends. On SQLite the write transaction already is
    the lock (Safeguard opens transactions with BEGIN IMMEDIATE); the unique `seq` is the backstop."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _chain_head(using: str) -> tuple[int, str]:
    """Lock the chain (as _lock_chain) and read its last entry's seq and hash: (0, GENESIS) when empty. Plain SQL
    in one cursor: this runs on every audited change."""
    connection = connections[using]
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
        cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")  # noqa: S608 (a table name)
        head = cursor.fetchone()
    return (int(head[0]), str(head[1])) if head else (0, GENESIS)


def write_audit(action: str, *, user: Any = None, case_ref: str = "", object_type: str = "", object_id: str = "",
                detail: dict[str, Any] | None = None, request: Any = None, using: str = "default") -> AuditEntry:
    """Append one entry to the audit chain.

    `request`, when given, supplies the client address and (unless `user` is given) the user. Without it,
    the address of the request being served (AuditContextMiddleware), if any, is recorded.
    """
    entry = {"action": action, "case_ref": case_ref, "object_type": object_type, "object_id": object_id,
             "detail": detail}
    return write_audit_many([entry], user=user, request=request, using=using)[0]


def write_audit_many(entries: list[dict[str, Any]], *, user: Any = None, request: Any = None,
                     using: str = "default") -> list[AuditEntry]:
    """Append several entries (each a dict of write_audit's action, case_ref, object_type, object_id and
    detail) to the chain in order, with one lock, one read of the head and one INSERT: the sweep's
    escalations, which would otherwise be three queries each."""
    if request is not None and user is None:
        user = getattr(request, "user", None)
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    source = request if request is not None else current_request()
    ip = client_ip(source) if source is not None else None
    checked = []
    for item in entries:  # every entry is checked before any is written
        action = item["action"]
        if not _ACTION.fullmatch(action or "") or len(action) > 40:
            raise AuditDetailError(f"audit action {action!r} must look like 'case.viewed' (at most 40 characters)")
        object_id = item.get("object_id", "")
        checked.append({"action": action, "case_ref": _check_field("case_ref", item.get("case_ref", ""), 60),
                        "object_type": _check_field("object_type", item.get("object_type", ""), 60),
                        "object_id": _check_field("object_id", str(object_id) if object_id is not None else "", 60),
                        "detail": clean_detail(item.get("detail"))})
    if not checked:
        return []
    # No savepoint of its own (two queries less per audited change): a failure here fails the caller's whole
    # transaction, which is what a change that cannot be audited must do anyway.
    with transaction.atomic(using=using, savepoint=False):
        seq, prev_hash = _chain_head(using)
        now = timezone.now()
        written = []
        for values in checked:
            seq += 1
            entry = AuditEntry(seq=seq, at=now, user=user, ip=ip, prev_hash=prev_hash, **values)
            entry.hash = prev_hash = entry.compute_hash()
            written.append(entry)
        # INSERTs without save()'s second computation of the hash just computed (actions/bulk.py writes its
        # entries the same way).
        AuditEntry.objects.using(using).bulk_create(written, batch_size=500)
    return written
