"""Regions, probation delivery units, teams and staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models

GRADE_CHOICES = [("PO", "Probation officer"), ("PQiP", "Probation officer in training (PQiP)"),
                 ("PSO", "Probation services officer"), ("SPO", "Senior probation officer")]


class Region(models.Model):
    name = models.CharField(max_length=100, unique=True)

    def __str__(self) -> str:
        return self.name


class DeliveryUnit(models.Model):
    """A probation delivery unit (PDU)."""

    name = models.CharField(max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="units")

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=100)
    unit = models.ForeignKey(DeliveryUnit, on_delete=models.PROTECT, related_name="teams")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="team_name_unique_in_unit")]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Staff(models.Model):
    code = models.CharField(max_length=40, unique=True, help_text="The staff ref used in timelines")
    name = models.CharField(max_length=120, blank=True)
    grade = models.CharField(max_length=4, choices=GRADE_CHOICES)
    qualified_on = models.DateField(null=True, blank=True)
    da_trained = models.BooleanField(default=False)
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=37)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="staff")
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "staff"

    def __str__(self) -> str:
        return self.name or self.code


class SupervisionSession(models.Model):
    """A management supervision session between an SPO and a practitioner (part of the SPO's oversight record).

    Countersignatures and manager decisions are case events (`countersigned`, `manager_decision`), recorded
    through record_event; safeguard.workforce.oversight lists them with these sessions.
    """

    practitioner = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="supervision_sessions")
    supervisor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="supervision_given")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="How long the session lasted")
    cases_discussed = models.ManyToManyField("cases.Case", blank=True, related_name="+")
    notes = models.TextField(blank=True, help_text="What was agreed; case details belong on the case")
    next_on = models.DateField(null=True, blank=True, help_text="When the next session is planned")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["supervisor", "held_on"]), models.Index(fields=["practitioner", "held_on"])]

    def __str__(self) -> str:
        return f"supervision of {self.practitioner} by {self.supervisor} on {self.held_on}"
