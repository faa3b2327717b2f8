"""Interventions: a referral's status history, suitability exclusions, courses, places and attendance.

The referral itself is safeguard.practice.models.Referral (the projection of the `referred` event);
what is here is recorded by safeguard.interventions.service (and, for the five timeline events, by the
projection inside record_event), never written by views directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguard.interventions.catalogue import CATALOGUE, EXCLUSIONS, intervention
from safeguard.interventions.lifecycle import STATUSES

STATUS_CHOICES = [(s.code, s.label) for s in STATUSES]
INTERVENTION_CHOICES = [(i.code, i.name) for i in CATALOGUE]


class ReferralTransition(models.Model):
    """One change of a referral's status: from, to, when, by whom, why; and the case event if it was one."""

    referral = models.ForeignKey("practice.Referral", on_delete=models.PROTECT, related_name="transitions")
    from_status = models.CharField(max_length=30, blank=True, help_text="Empty for the referral itself")
    to_status = models.CharField(max_length=30, choices=STATUS_CHOICES)
    on = models.DateField()
    reason = models.CharField(max_length=30, blank=True, help_text="A reason code from the lifecycle")
    note = models.TextField(blank=True)
    event = models.ForeignKey("cases.CaseEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              help_text="The timeline event that made this change, when it was one")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["to_status", "on"])]

    def __str__(self) -> str:
        return f"referral {self.referral_id}: {self.from_status or 'new'} -> {self.to_status} on {self.on}"


class SuitabilityFactor(models.Model):
    """A suitability exclusion noted on a case (active psychosis, outright denial, language...), while it lasts."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="suitability_factors")
    code = models.CharField(max_length=30, choices=[(e.code, e.label) for e in EXCLUSIONS])
    noted_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["noted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], condition=Q(ended_on=None),
                                               name="suitability_factor_open_once")]


class Cohort(models.Model):
    """A course: one intervention, delivered in one place from a start date, for a number of people."""

    STATES = [("planned", "Planned"), ("running", "Running"), ("completed", "Completed"), ("cancelled", "Cancelled")]
    CANCEL_REASONS = ("facilitators", "too_few_referrals", "venue", "other")
    intervention = models.CharField(max_length=40, choices=INTERVENTION_CHOICES)
    unit = models.ForeignKey("workforce.DeliveryUnit", on_delete=models.PROTECT, related_name="cohorts")
    location = models.CharField(max_length=120, blank=True)
    capacity = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    state = models.CharField(max_length=10, choices=STATES, default="planned")
    cancelled_on = models.DateField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        indexes = [models.Index(fields=["unit", "state", "starts_on"])]
        constraints = [models.CheckConstraint(condition=Q(capacity__gt=0), name="cohort_capacity_positive")]

    def __str__(self) -> str:
        return f"{self.name} from {self.starts_on} ({self.location or self.unit})"

    @property
    def name(self) -> str:
        return intervention(self.intervention).name

    @property
    def programme(self) -> str:
        return intervention(self.intervention).programme


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField()
    on = models.DateField()

    class Meta:
        ordering = ["cohort", "number"]
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="session_number_unique")]

    def __str__(self) -> str:
        return f"session {self.number} on {self.on}"


class Enrolment(models.Model):
    """A referral's place on a course. `outcome` is empty while the place is held."""

    OUTCOMES = [("completed", "Completed"), ("left", "Left"), ("cancelled", "Cancelled"),
                ("withdrawn", "Withdrawn")]
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    referral = models.ForeignKey("practice.Referral", on_delete=models.PROTECT, related_name="enrolments")
    enrolled_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=OUTCOMES, blank=True)

    class Meta:
        ordering = ["enrolled_on", "id"]
        constraints = [models.UniqueConstraint(fields=["referral"], condition=Q(outcome=""),
                                               name="one_place_at_a_time")]

    @property
    def is_active(self) -> bool:
        return self.outcome == ""


class Attendance(models.Model):
    OUTCOMES = [("attended", "Attended"), ("acceptable_absence", "Absent, acceptable"),
                ("unacceptable_absence", "Absent, unacceptable")]
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attendance")
    outcome = models.CharField(max_length=24, choices=OUTCOMES)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "enrolment"], name="attendance_once_per_session")]
