"""Restricted cases ("limited access" in the national system): a case can exclude named people, or be open
only to named people. The access rules in safeguard.accounts.access read the active restriction; everyone it
keeps out is told, everywhere, that the case does not exist (404, absent from lists).

Setting and lifting go through set_restriction / lift_restriction: validated, one transaction, audited. A
restriction is never edited or deleted: lifting it stamps who, when and why, and a new one is set instead."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

MODES = [("exclude", "Exclude the people named"), ("only", "Only the people named")]
REASON_MIN = 10
REASON_MAX = 2000


class RestrictionError(ValueError):
    """A restriction could not be set or lifted; the message says what and where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class CaseRestriction(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="restrictions")
    mode = models.CharField(max_length=10, choices=MODES)
    people = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="case_restrictions",
                                    help_text="Excluded (mode exclude) or the only ones allowed (mode only)")
    reason = models.TextField(max_length=REASON_MAX)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(max_length=REASON_MAX, blank=True)

    class Meta:
        app_label = "cases"
        ordering = ["-set_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["case"], condition=Q(lifted_at=None),
                                               name="case_restriction_one_active")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.mode}"


def active_restriction(case: Any) -> CaseRestriction | None:
    return CaseRestriction.objects.filter(case=case, lifted_at=None).prefetch_related("people").first()


def _reason(text: str, field: str) -> str:
    text = (text or "").strip()
    if len(text) < REASON_MIN:
        raise RestrictionError(field, f"Give the reason (at least {REASON_MIN} characters)")
    if len(text) > REASON_MAX:
        raise RestrictionError(field, f"The reason must be {REASON_MAX} characters or fewer")
    return text


def set_restriction(case: Any, *, mode: str, people: list[Any], reason: str, user: Any) -> CaseRestriction:
    """Restrict a case. Exclude: the people named may not see it (not yourself, not its practitioner). Only:
    nobody but the people named may see it; you and the case's practitioner are always among them, so the
    case keeps someone to supervise it and someone to lift the restriction."""
    from safeguard.audit.log import write_audit

    if mode not in dict(MODES):
        raise RestrictionError("mode", "Choose whether to exclude the people named or allow only them")
    reason = _reason(reason, "reason")
    named = {p.pk: p for p in people}
    practitioner_user = getattr(case.practitioner, "user", None) if case.practitioner_id else None
    if mode == "exclude":
        if not named:
            raise RestrictionError("people", "Choose at least one person to exclude")
        if user.pk in named:
            raise RestrictionError("people", "You cannot exclude yourself")
        if practitioner_user is not None and practitioner_user.pk in named:
            raise RestrictionError("people", "You cannot exclude the case's practitioner: reallocate the case first")
    else:
        named[user.pk] = user
        if practitioner_user is not None:
            named[practitioner_user.pk] = practitioner_user
    with transaction.atomic():
        if CaseRestriction.objects.select_for_update().filter(case=case, lifted_at=None).exists():
            raise RestrictionError("mode", "This case is already restricted: lift that restriction first")
        restriction = CaseRestriction.objects.create(case=case, mode=mode, reason=reason, set_by=user)
        restriction.people.set(list(named.values()))
        write_audit("case.restricted", user=user, case_ref=case.ref, object_type="case_restriction",
                    object_id=str(restriction.pk), detail={"kind": mode, "people": sorted(named)})
    return restriction


def lift_restriction(restriction: CaseRestriction, *, reason: str, user: Any) -> CaseRestriction:
    from safeguard.audit.log import write_audit

    reason = _reason(reason, "lift_reason")
    with transaction.atomic():
        locked = CaseRestriction.objects.select_for_update().select_related("case").get(pk=restriction.pk)
        if locked.lifted_at is not None:
            raise RestrictionError("lift_reason", "This restriction has already been lifted")
        locked.lifted_at, locked.lifted_by, locked.lift_reason = timezone.now(), user, reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        write_audit("case.unrestricted", user=user, case_ref=locked.case.ref, object_type="case_restriction",
                    object_id=str(locked.pk), detail={"kind": locked.mode})
    return locked
