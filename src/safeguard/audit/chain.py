"""The audit hash chain and the case event digest: pure functions, no Django, no I/O.

Each audit entry stores `prev_hash` (the `hash` of the entry before it in `seq` order, or GENESIS for
the first) and `hash` = SHA-256 over a canonical serialisation of its own fields plus `prev_hash`.
Changing any stored field of any entry, removing an entry or inserting one breaks the chain at that
point, and `safeguard audit verify` says where (see docs/security.md and docs/adr/0001).

The serialisation is stable across databases (SQLite and PostgreSQL give the same hashes) and across
backup and restore: JSON with sorted keys and no spaces, ASCII only, times in UTC with microseconds.
Changing it is a format change: bump CHAIN_FORMAT and keep verifying old entries with the old form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

CHAIN_FORMAT = "safeguard-audit/1"
EVENT_FORMAT = "safeguard-case-event/1"
VOID_FORMAT = "safeguard-case-event-void/1"
GENESIS = "0" * 64

# The fields of an audit entry that the hash covers, in the names the model uses.
HASHED_FIELDS = ("seq", "at", "user_id", "action", "case_ref", "object_type", "object_id", "detail", "ip",
                 "prev_hash")
# The fields of a case event that its digest covers.
EVENT_FIELDS = ("id", "case_id", "seq", "on", "type", "payload", "recorded_by_id", "recorded_at", "source")
# The fields of a void of a case event (cases.CaseEventVoid) that its digest covers.
VOID_FIELDS = ("id", "event_id", "case_id", "reason", "voided_by_id", "voided_at")


def utc_text(moment: datetime) -> str:
    """A timestamp as the chain spells it: UTC, microseconds, a Z."""
    if moment.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def canonical(document: Mapping[str, Any]) -> bytes:
    return json.dumps({k: _plain(v) for k, v in document.items()}, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=True, allow_nan=False).encode("ascii")


def entry_hash(fields: Mapping[str, Any]) -> str:
    """The hash of one audit entry, from its HASHED_FIELDS (a dict, a model instance's values, a row)."""
    document = {name: fields[name] for name in HASHED_FIELDS}
    return hashlib.sha256(CHAIN_FORMAT.encode("ascii") + b"\n" + canonical(document)).hexdigest()


def event_digest(fields: Mapping[str, Any]) -> str:
    """The digest of one case event, kept in the audit entry that recorded it."""
    return _digest(EVENT_FORMAT, EVENT_FIELDS, fields)


def void_digest(fields: Mapping[str, Any]) -> str:
    """The digest of one void of a case event, kept in the audit entry that recorded it."""
    return _digest(VOID_FORMAT, VOID_FIELDS, fields)


def _digest(form: str, names: tuple[str, ...], fields: Mapping[str, Any]) -> str:
    document = {name: fields[name] for name in names}
    return hashlib.sha256(form.encode("ascii") + b"\n" + canonical(document)).hexdigest()


def fields_of(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in names}
