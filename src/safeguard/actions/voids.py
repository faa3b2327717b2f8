"""void_event: a manager marks one event of a case as entered in error (ADR 0006).

The event stays in the append-only log as recorded; the void is a record of its own (cases.CaseEventVoid, also
append-only), audited in the chain, and the case is re-evaluated at once without the event. Only whoever may
record a manager decision on the case may void one of its events (accounts.access.can_void_event).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from safeguard.accounts.access import can_void_event
from safeguard.actions.events import in_force, read_log, refuse_stale
from safeguard.api import outbox
from safeguard.audit.chain import VOID_FIELDS, fields_of, void_digest
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent, CaseEventVoid
from safeguard.oversight.service import evaluate_locked

REASON_LIMIT = 2000


class VoidError(ValueError):
    """A void that cannot be made (no reason, no such event, already void); `field` names the input at fault.
    Nothing was written."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class NoSuchEvent(VoidError):
    """The case has no event with that seq."""


class AlreadyVoid(VoidError):
    """The event is marked void already (a void is never undone or repeated)."""


def void_event(case: Case, seq: int, *, reason: str, user: Any, expected_version: int | None = None
               ) -> CaseEventVoid:
    """Mark event `seq` of `case` void with `reason`, by `user` (a manager of the case), and re-evaluate the case
    without it, in one transaction. Raises PermissionDenied, VoidError or ConflictError; then nothing is written."""
    if not can_void_event(user, case):
        raise PermissionDenied("Only the case's senior probation officer can mark an event as entered in error")
    reason = (reason or "").strip()
    if not reason:
        raise VoidError("reason", "Give the reason the event was entered in error")
    if len(reason) > REASON_LIMIT:
        raise VoidError("reason", f"The reason must be {REASON_LIMIT} characters or fewer")
    with transaction.atomic():
        locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
        refuse_stale(locked, expected_version, then="try again")
        event = CaseEvent.objects.filter(case=locked, seq=seq).first()
        if event is None:
            raise NoSuchEvent("seq", f"Case {locked.ref} has no event {seq}")
        if CaseEventVoid.objects.filter(event=event).exists():
            raise AlreadyVoid("seq", f"Event {seq} of case {locked.ref} is already marked as entered in error")
        void = CaseEventVoid.objects.create(event=event, case=locked, reason=reason, voided_by=user)
        locked.voided_events += 1
        locked.version += 1
        evaluate_locked(locked, in_force(locked, read_log(locked.pk)),
                        save_also=("version", "voided_events"))
        outbox.event_voided(locked, event)  # other systems that keep the log learn of it, in this transaction
        # The digest makes the void tamper-evident, as an event's is: `safeguard audit verify` checks every void
        # against it, so a void written around this function (an event hidden from the engine) is found.
        write_audit("event.voided", user=user, case_ref=locked.ref, object_type="case_event_void",
                    object_id=str(void.pk), detail={"seq": seq, "type": event.type,
                                                    "sha256": void_digest(fields_of(void, VOID_FIELDS))})
    case.version = locked.version
    case.voided_events = locked.voided_events
    return void


__all__ = ["AlreadyVoid", "NoSuchEvent", "VoidError", "void_event"]
