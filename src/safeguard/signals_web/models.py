"""Decisions on suggestions raised by risk signals in free text: append-only (a decision is never changed)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from safeguard.audit.appendonly import AppendOnlyModel, AppendOnlyQuerySet

DECISIONS = [("confirmed", "Confirmed and recorded"), ("dismissed", "Dismissed")]
DISMISS_REASONS = [
    ("already_recorded", "It is already recorded on the case"),
    ("not_about_him", "It is not about him or his household"),
    ("not_meant", "The words do not mean that here"),
    ("dealt_with", "It is old information that has been dealt with"),
    ("other", "Another reason"),
]


class SignalDecision(AppendOnlyModel):
    """A person's decision on one suggestion: the signals of one kind found in one event's text (a note,
    information received, a partner agency's reply). `start` and `end` locate the first matched words in it."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    source_event = models.ForeignKey("cases.CaseEvent", on_delete=models.PROTECT, related_name="+",
                                     help_text="The event whose text the signal was found in")
    kind = models.CharField(max_length=40)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    decision = models.CharField(max_length=10, choices=DECISIONS)
    reason = models.CharField(max_length=20, choices=DISMISS_REASONS, blank=True, help_text="Why it was dismissed")
    reason_text = models.TextField(blank=True, help_text="In the person's words")
    recorded_event = models.ForeignKey("cases.CaseEvent", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+", help_text="The event recorded on confirming")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["source_event", "kind"], name="signal_decided_once")]

    def __str__(self) -> str:
        return f"{self.kind} in event {self.source_event_id}: {self.decision}"
