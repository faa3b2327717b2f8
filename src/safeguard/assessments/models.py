"""Risk assessments, their versions and their risk-plan actions.

An assessment's content lives only in its versions: every save, submission, return and countersignature
adds a version (append-only in the application: AppendOnlyModel), so every state a manager or inspector
saw can be shown again and compared. The RiskAssessment row holds the workflow state; changes to it go
through safeguard.assessments.service, which also records the `assessed` and `countersigned` case events
through record_event.

Plan actions are what the risk management plan asks someone to do by a date. They are stored here, not
as engine obligations: the engine derives obligations from the event log alone and withdraws any stored
obligation it did not derive. They are shown beside the case's obligations (service.plan_obligations).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models

from safeguard.audit.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from safeguard.cases.models import Case, CaseEvent

STATUSES = [
    ("draft", "Draft"),
    ("awaiting_countersignature", "Submitted: waiting for a senior probation officer to countersign"),
    ("returned", "Returned for changes"),
    ("final", "Final"),
]


class RiskAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="risk_assessments")
    status = models.CharField(max_length=30, choices=STATUSES, default="draft", db_index=True)
    author = models.ForeignKey("workforce.Staff", on_delete=models.PROTECT, related_name="+",
                               help_text="Who started it (and submits it)")
    started_on = models.DateField()
    submitted_on = models.DateField(null=True, blank=True)
    submitted_event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                        help_text="The latest `assessed` event it recorded")
    rosh_in_force = models.CharField(max_length=10, blank=True,
                                     help_text="The case's RoSH level before this assessment was first submitted")
    countersignature_required = models.BooleanField(default=False)
    countersigned_by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    countersigned_event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+")
    final_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return f"{self.case.ref} assessment {self.pk} ({self.status})"

    @property
    def editable(self) -> bool:
        return self.status in {"draft", "returned"}

    def latest(self) -> AssessmentVersion | None:
        return self.versions.order_by("-number").first()

    def content(self) -> dict[str, Any]:
        from safeguard.assessments.content import normalise

        latest = self.latest()
        return normalise(latest.content if latest else None)


class AssessmentVersion(AppendOnlyModel):
    CHANGES = [("started", "Started"), ("saved", "Saved"), ("submitted", "Submitted"),
               ("returned", "Returned for changes"), ("countersigned", "Countersigned")]
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    change = models.CharField(max_length=20, choices=CHANGES)
    status = models.CharField(max_length=30, choices=STATUSES, help_text="The assessment's status after it")
    content = models.JSONField()
    reason = models.TextField(blank=True, help_text="Why it was returned for changes")
    by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              help_text="The case event this step recorded, if any")
    on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["assessment", "number"]
        constraints = [models.UniqueConstraint(fields=["assessment", "number"], name="assessment_version_unique")]

    def __str__(self) -> str:
        return f"assessment {self.assessment_id} v{self.number} {self.change}"


class PlanAction(models.Model):
    STATUSES = [("open", "Open"), ("done", "Done"), ("superseded", "Replaced by a later plan")]
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.PROTECT, related_name="plan_actions")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plan_actions")
    version = models.PositiveIntegerField(help_text="The assessment version whose plan it comes from")
    action = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    person = models.CharField(max_length=40, blank=True, help_text="Ref of the person it protects, if any")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=STATUSES, default="open")
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    done_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["case", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.case.ref} plan action {self.pk} due {self.due_on} ({self.status})"

    def status_on(self, day: date) -> str:
        """due, overdue, done or superseded: the same words as the case's obligations."""
        if self.status != "open":
            return self.status
        return "overdue" if self.due_on < day else "due"
