"""What practitioners and partner agencies do on a case: checks, contacts, assessments, reviews,
referrals and programmes, enforcement, decisions, notes, victims' safety work."""

from __future__ import annotations

from django.db import models

from safeguard.cases.models import Case, LinkedPerson


class CaseRecord(models.Model):
    """Fields every practice record has: the case, the day, and the log event that recorded it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    on = models.DateField()
    event = models.OneToOneField("cases.CaseEvent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        ordering = ["on", "id"]


class AgencyCheck(models.Model):
    """A request to police or children's social care for what they know, and their answer."""

    AGENCIES = [("police", "Police"), ("childrens_services", "Children's social care")]
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="checks")
    agency = models.CharField(max_length=20, choices=AGENCIES)
    requested_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    about = models.ManyToManyField(LinkedPerson, blank=True)
    callouts = models.PositiveIntegerField(null=True, blank=True)
    known_to_childrens_services = models.BooleanField(null=True)
    summary = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["agency", "returned_on"])]


class PoliceIncident(CaseRecord):
    kind = models.CharField(max_length=20)
    victim = models.ForeignKey(LinkedPerson, null=True, blank=True, on_delete=models.PROTECT)
    domestic = models.BooleanField(default=False)
    features = models.JSONField(default=list)


class Contact(CaseRecord):
    kind = models.CharField(max_length=20)
    outcome = models.CharField(max_length=30)
    by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT)


class Assessment(CaseRecord):
    by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rosh = models.CharField(max_length=10, blank=True)
    sara_partner = models.CharField(max_length=10, blank=True)
    sara_others = models.CharField(max_length=10, blank=True)
    dash_yes = models.PositiveSmallIntegerField(null=True, blank=True)
    victims_considered = models.ManyToManyField(LinkedPerson, blank=True)
    sources = models.JSONField(default=list)
    analysis = models.TextField(blank=True)
    countersigned_by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")
    countersigned_on = models.DateField(null=True, blank=True)


class Review(CaseRecord):
    by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT)
    rosh = models.CharField(max_length=10, blank=True)
    sara_partner = models.CharField(max_length=10, blank=True)
    sara_others = models.CharField(max_length=10, blank=True)
    sources = models.JSONField(default=list)
    analysis = models.TextField(blank=True)


class Referral(models.Model):
    """A referral to a domestic-abuse programme and what became of it.

    `status` follows the lifecycle in safeguard.interventions.lifecycle; its history (who changed it, when)
    is in safeguard.interventions.models.ReferralTransition.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals")
    programme = models.CharField(max_length=20)
    intervention = models.CharField(max_length=40, blank=True,
                                    help_text="The catalogue entry (safeguard.interventions.catalogue), when known")
    referred_on = models.DateField()
    status = models.CharField(max_length=30, default="referred", db_index=True)
    started_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=20, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_reason = models.CharField(max_length=20, blank=True)


class Enforcement(CaseRecord):
    action = models.CharField(max_length=20)
    reason = models.TextField(blank=True)


class ManagerDecision(CaseRecord):
    by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT)
    about = models.CharField(max_length=40)
    decision = models.TextField(blank=True)


class Note(CaseRecord):
    by = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.PROTECT)
    text = models.TextField(blank=True)


class Marac(CaseRecord):
    """A MARAC referral (stage 'referred') or hearing (stage 'heard')."""

    stage = models.CharField(max_length=10)
    text = models.TextField(blank=True)


class MappaRecord(CaseRecord):
    category = models.PositiveSmallIntegerField()
    level = models.PositiveSmallIntegerField()


class VictimContact(CaseRecord):
    person = models.ForeignKey(LinkedPerson, on_delete=models.PROTECT)
    by = models.CharField(max_length=30)
    safety_plan = models.BooleanField(default=False)


class Disclosure(CaseRecord):
    scheme = models.CharField(max_length=20)
    to = models.ForeignKey(LinkedPerson, null=True, blank=True, on_delete=models.PROTECT)


class InformationReceived(CaseRecord):
    source = models.CharField(max_length=20)
    text = models.TextField(blank=True)
