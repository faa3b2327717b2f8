"""The audit log: who did or saw what, when, and from where. Append-only and hash-chained.

Entries are written only by safeguard.audit.log.write_audit, which assigns `seq`, links `prev_hash` to
the entry before and computes `hash` under a lock, so concurrent writers never fork the chain. Database
triggers reject UPDATE, DELETE (and TRUNCATE on PostgreSQL) of this table (safeguard.audit.guards), and
`safeguard audit verify` walks the chain. `detail` holds identifiers and kinds only, never names,
addresses or free text (write_audit enforces it).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguard.audit.appendonly import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet
from safeguard.audit.chain import HASHED_FIELDS, entry_hash, fields_of


class AuditEntry(AppendOnlyModel):
    seq = models.PositiveBigIntegerField(unique=True, editable=False,
                                         help_text="Position in the hash chain: 1, 2, 3… with no gaps")
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    action = models.CharField(max_length=40)
    case_ref = models.CharField(max_length=60, blank=True, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    detail = models.JSONField(default=dict)
    ip = models.GenericIPAddressField(null=True, blank=True, unpack_ipv4=True,
                                      help_text="Where the request came from, when there was one")
    prev_hash = models.CharField(max_length=64, editable=False)
    # Not unique, not indexed: the hash covers `seq`, which is unique, so distinct entries have distinct hashes, and
    # nothing looks an entry up by its hash. Its two indexes were the import's largest cost nationally (ADR 0005, 26).
    hash = models.CharField(max_length=64, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.case_ref}"

    def compute_hash(self) -> str:
        return entry_hash(fields_of(self, HASHED_FIELDS))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and (not self.hash or self.hash != self.compute_hash()):
            raise AppendOnlyError("audit entries are written by safeguard.audit.log.write_audit, which chains them")
        super().save(*args, **kwargs)
