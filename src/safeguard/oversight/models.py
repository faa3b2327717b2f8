"""Stored obligations: what each case needs, by when, and why (reconciled after every evaluation)."""

from __future__ import annotations

from django.db import models

from safeguard.cases.models import Case, CaseEvent
from safeguard.policy.obligations import KINDS

STATUS_CHOICES = [(s, s) for s in ("due", "overdue", "done", "waived", "withdrawn")]
OPEN = ("due", "overdue")


class Obligation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="obligations")
    key = models.CharField(max_length=120, help_text="Rule id and what triggered it; unique within the case")
    rule = models.CharField(max_length=60)
    kind = models.CharField(max_length=40, choices=[(k, k.replace("_", " ")) for k in KINDS])
    policy_version = models.CharField(max_length=60)
    opened = models.DateField()
    due = models.DateField()
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default="due")
    reason = models.TextField()
    closed_on = models.DateField(null=True, blank=True)
    closed_by = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_note = models.TextField(blank=True)
    immediate = models.BooleanField(default=False)
    critical = models.BooleanField(default=False)
    overdue_at_once = models.BooleanField(default=False)
    escalated_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="obligation_key_unique")]
        indexes = [models.Index(fields=["status", "due"]), models.Index(fields=["case", "status"]),
                   models.Index(fields=["kind", "status"]),
                   # Measures count a rule's obligations opened in a period.
                   models.Index(fields=["rule", "opened"])]
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return f"{self.case.ref} {self.kind} {self.status} {self.due}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN
