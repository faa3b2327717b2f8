"""Legal holds and the record of what retention did. Neither is ever edited away or deleted: lifting a hold
stamps who, when and why; anonymising a case leaves a RetentionAction saying when and under which rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.cases.models import Case


class LegalHold(models.Model):
    """While a hold is in force (lifted_at is empty) retention never touches the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField(help_text="Why the record must be kept (litigation, inquiry, serious case review)")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["case", "lifted_at"])]

    def __str__(self) -> str:
        return f"legal hold {self.pk} on {self.case.ref}"

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class RetentionAction(models.Model):
    """A case anonymised after its retention period (one row per case, written in the same transaction)."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="retention_action")
    action = models.CharField(max_length=20, default="anonymised")
    ended_on = models.DateField(help_text="When supervision ended")
    years = models.PositiveSmallIntegerField(help_text="The retention period applied, in years")
    done_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.case.ref} {self.action} {self.done_at:%Y-%m-%d}"
