"""Victims' and children's safety records: their own models, apart from the case and its event log.

A VictimRecord belongs to one person linked to a case (a victim, a partner, a child). Its contact details,
support workers' phone numbers and safety-plan text are encrypted at rest (EncryptedTextField) and read back
sealed: only safeguard.victims.redaction opens them, for the people safeguard.accounts.access allows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.cases.models import Case, LinkedPerson
from safeguard.victims.fields import EncryptedTextField

WORKER_ROLES = [("partner_link_worker", "Partner link worker"), ("victim_liaison", "Victim liaison officer"),
                ("idva", "Independent domestic violence adviser (IDVA)")]
CONTACT_BY = [("practitioner", "Probation practitioner"), *WORKER_ROLES]


class VictimRecord(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    person = models.OneToOneField(LinkedPerson, on_delete=models.PROTECT, related_name="victim_record")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "person__ref"]

    def __str__(self) -> str:
        return f"safety record {self.pk}"


class ContactDetail(models.Model):
    """An address, phone number or email for the person. `never_disclose` (a refuge address, say) keeps it
    off every page but a victim-facing worker's, and out of every export, PDF, API response and email."""

    KINDS = [("address", "Address"), ("phone", "Phone"), ("email", "Email"), ("other", "Other")]
    record = models.ForeignKey(VictimRecord, on_delete=models.PROTECT, related_name="details")
    kind = models.CharField(max_length=10, choices=KINDS)
    value = EncryptedTextField()
    never_disclose = models.BooleanField(default=False)
    note = EncryptedTextField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "id"]


class SupportWorker(models.Model):
    """The person's partner link worker, victim liaison officer or IDVA."""

    record = models.ForeignKey(VictimRecord, on_delete=models.PROTECT, related_name="workers")
    role = models.CharField(max_length=20, choices=WORKER_ROLES)
    name = models.CharField(max_length=120)
    organisation = models.CharField(max_length=120, blank=True)
    phone = EncryptedTextField()
    from_on = models.DateField()
    to_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_on", "id"]


class SafetyContact(models.Model):
    """Contact with the person about their safety (a `victim_contact` event), with the safety plan when one
    was made or reviewed."""

    record = models.ForeignKey(VictimRecord, on_delete=models.PROTECT, related_name="contacts")
    event = models.OneToOneField("cases.CaseEvent", on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    by = models.CharField(max_length=20, choices=CONTACT_BY)
    safety_plan = models.BooleanField(default=False)
    plan = EncryptedTextField(help_text="The safety plan agreed or reviewed")
    plan_review_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-on", "-id"]
