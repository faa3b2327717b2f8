"""Writing audit entries. Details hold identifiers and kinds only, never victims' details or free text."""

from __future__ import annotations

from typing import Any

from safeguard.audit.models import AuditEntry


def write_audit(action: str, *, user: Any = None, case_ref: str = "", object_type: str = "", object_id: str = "",
                detail: dict[str, Any] | None = None) -> AuditEntry:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditEntry.objects.create(action=action, user=user, case_ref=case_ref, object_type=object_type,
                                     object_id=object_id, detail=detail or {})
