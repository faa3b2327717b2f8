"""The case audit's records: samples drawn (with their seed, so a sample can be drawn again and checked) and the
auditor's answers to the inspectors' questions for each case in them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

ANSWERS = [("yes", "Yes"), ("partly", "Partly"), ("no", "No")]


class AuditSample(models.Model):
    """A random sample of cases drawn for quality assurance, as inspectors draw theirs: the population is every
    domestic-abuse case under supervision in the scope and period that the auditor may see, in case-reference
    order; `seed` drives Python's random.Random(seed).sample over it, so the same seed over the same population
    (checked by `population_sha256`) draws the same cases."""

    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    seed = models.PositiveBigIntegerField()
    size = models.PositiveSmallIntegerField(help_text="How many cases were asked for")
    scope_level = models.CharField(max_length=20)
    scope_id = models.PositiveIntegerField(null=True, blank=True)
    scope_label = models.CharField(max_length=200)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    as_of = models.DateField(help_text="The day the population was read")
    population = models.PositiveIntegerField(help_text="How many cases the sample was drawn from")
    population_sha256 = models.CharField(max_length=64, help_text="Digest of the population's case references")

    class Meta:
        ordering = ["-drawn_at", "-pk"]

    def __str__(self) -> str:
        return f"Sample {self.pk}: {self.scope_label} (seed {self.seed})"


class AuditedCase(models.Model):
    """One case in a sample, and the auditor's judgement of it."""

    sample = models.ForeignKey(AuditSample, on_delete=models.CASCADE, related_name="cases")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(help_text="Order drawn, from 1")
    assessment = models.CharField(max_length=6, choices=ANSWERS, blank=True)
    assessment_comment = models.TextField(blank=True)
    planning = models.CharField(max_length=6, choices=ANSWERS, blank=True)
    planning_comment = models.TextField(blank=True)
    delivery = models.CharField(max_length=6, choices=ANSWERS, blank=True)
    delivery_comment = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "case"], name="audited_case_once_per_sample"),
            models.UniqueConstraint(fields=["sample", "position"], name="audited_case_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.position}"

    @property
    def answered(self) -> bool:
        return bool(self.assessment and self.planning and self.delivery)
