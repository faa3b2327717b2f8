"""People on probation and what the timeline format says about them.

The case event log (CaseEvent) is the record: every change appends one event in timeline
vocabulary, and the policy engine reads the log. The other models are the same facts in
queryable form for pages, search and measures; actions write both in one transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.audit.appendonly import AppendOnlyModel, AppendOnlyQuerySet
from safeguard.timeline import schema

CONCERN_CHOICES = [(c, c) for c in ("none", "watch", "serious", "immediate")]
CONCERN_RANK = {"none": 0, "watch": 1, "serious": 2, "immediate": 3}


def _choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(v, v.replace("_", " ")) for v in values]


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: object) -> CaseQuerySet:
        """The one place that decides which cases a user may see (see safeguard.accounts.access)."""
        from safeguard.accounts.access import visible_cases

        return visible_cases(self, user)


class Case(models.Model):
    """A person on probation."""

    ref = models.CharField(max_length=60, unique=True, help_text="Case reference (synthetic in demo and tests)")
    name = models.CharField(max_length=120, blank=True)
    born = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    unit = models.ForeignKey("workforce.DeliveryUnit", on_delete=models.PROTECT, related_name="cases")
    practitioner = models.ForeignKey("workforce.Staff", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="cases")
    concern = models.CharField(max_length=10, choices=CONCERN_CHOICES, default="none", db_index=True)
    rosh = models.CharField(max_length=10, blank=True, choices=_choices(schema.ROSH))
    sara_partner = models.CharField(max_length=10, blank=True, choices=_choices(schema.SARA))
    sara_others = models.CharField(max_length=10, blank=True, choices=_choices(schema.SARA))
    da_since = models.DateField(null=True, blank=True, help_text="When the record first showed domestic abuse")
    ended_on = models.DateField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True, db_index=True,
                                help_text="The earliest due date of an open obligation (for the sweep)")
    evaluated_on = models.DateField(null=True, blank=True)
    wake_on = models.DateField(null=True, blank=True, db_index=True,
                               help_text="The next day the sweep must re-evaluate this case (something turns due or "
                                         "overdue)")
    obligations_digest = models.BigIntegerField(null=True, blank=True, editable=False,
                                                help_text="A fingerprint of the obligations the last evaluation "
                                                          "stored (oversight.service.obligations_digest)")
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every action (optimistic concurrency)")
    voided_events = models.PositiveIntegerField(default=0, editable=False,
                                                help_text="How many of the case's events are marked void (while 0, "
                                                          "the log is read whole, with no look-up of voids)")
    archived_at = models.DateTimeField(null=True, blank=True, help_text="Set when an import replaced this record")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["practitioner", "concern"]), models.Index(fields=["unit", "concern"])]

    def __str__(self) -> str:
        return self.ref

    def events_in_force(self) -> models.QuerySet[CaseEvent]:
        """The case's events as the engine and validation read them: all of them, less any marked void (looked up
        only when the case has some)."""
        events: models.QuerySet[CaseEvent] = CaseEvent.objects.filter(case=self)
        return events.filter(void__isnull=True) if self.voided_events else events


class CaseEvent(AppendOnlyModel):
    """One entry of a case's append-only event log, in timeline vocabulary.

    Append-only in the application (AppendOnlyModel) and in the database (triggers, safeguard.audit.guards);
    the audit entry that records each event holds its digest, so `safeguard audit verify` finds an event
    altered, removed or added behind the application's back.
    """

    SOURCES = [("web", "web"), ("api", "api"), ("import", "import"), ("replay", "replay"), ("synth", "synth")]
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    on = models.DateField()
    type = models.CharField(max_length=40, choices=_choices(tuple(schema.EVENTS)))
    payload = models.JSONField(help_text="The event exactly as in a timeline file (with 'on' and 'type')")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=10, choices=SOURCES, default="web")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq_unique")]
        indexes = [
            models.Index(fields=["type", "on"]),
            # The starts of supervision, for the measures' caseload ("sentenced or released by the day"): a small
            # index read on its own, instead of every event's row (issue 11).
            models.Index(fields=["case", "on"], condition=models.Q(type__in=("sentenced", "released")),
                         name="case_event_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.case.ref} #{self.seq} {self.type} {self.on}"


class CaseEventVoid(AppendOnlyModel):
    """An event of a case's log marked as entered in error, by a manager, with the reason (ADR 0006).

    The event stays in the log as it was recorded; this is a record of its own, append-only like the log (a void
    is not undone: the event is recorded again if it was right after all). The engine and the check that dates
    do not go backwards skip a voided event (Case.events_in_force); the case's timeline shows it struck through.
    """

    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="void")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="event_voids")
    reason = models.TextField(help_text="Why the event was entered in error")
    voided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voided_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    def __str__(self) -> str:
        return f"void of event {self.event_id}"


def voided_event_ids(case_ids: list[int]) -> set[int]:
    """The ids of the events of these cases marked void (ask only for cases whose `voided_events` is not 0)."""
    return set(CaseEventVoid.objects.filter(case_id__in=case_ids).values_list("event_id", flat=True))


class LinkedPerson(models.Model):
    """A victim, partner, child or family member linked to a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="people")
    ref = models.CharField(max_length=40)
    name = models.CharField(max_length=120, blank=True)
    relationship = models.CharField(max_length=20, choices=_choices(schema.RELATIONSHIPS))
    born = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=40, blank=True)
    lives_with_case = models.BooleanField(default=False)
    victim = models.BooleanField(default=False)
    current_partner = models.BooleanField(default=False)
    pregnant_since = models.DateField(null=True, blank=True)
    child_protection = models.CharField(max_length=30, blank=True, default="none")
    added_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "ref"], name="linked_person_ref_unique")]

    def __str__(self) -> str:
        return f"{self.ref} ({self.relationship})"


class Address(models.Model):
    """An address known on a case, by its ref. Address text is sensitive and kept with victims' records."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="addresses")
    ref = models.CharField(max_length=80)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "ref"], name="address_ref_unique")]

    def __str__(self) -> str:
        return self.ref


class Residence(models.Model):
    """Where the case lived and with whom, from a date until the next move."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="residences")
    address = models.ForeignKey(Address, on_delete=models.PROTECT)
    from_on = models.DateField()
    to_on = models.DateField(null=True, blank=True)
    occupants = models.ManyToManyField(LinkedPerson, blank=True, related_name="residences")


class AddressProposal(models.Model):
    PURPOSES = _choices(("curfew", "release", "residence"))
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="address_proposals")
    address = models.ForeignKey(Address, on_delete=models.PROTECT)
    purpose = models.CharField(max_length=10, choices=PURPOSES)
    proposed_on = models.DateField()
    occupants = models.ManyToManyField(LinkedPerson, blank=True, related_name="proposed_homes")
    victims_nearby = models.ManyToManyField(LinkedPerson, blank=True, related_name="nearby_proposals")


class Sentence(models.Model):
    """A court order or a licence, with its requirements or conditions."""

    KINDS = [("order", "court order"), ("licence", "licence")]
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="sentences")
    kind = models.CharField(max_length=10, choices=KINDS)
    order_type = models.CharField(max_length=30, blank=True)
    start_on = models.DateField()
    months = models.PositiveIntegerField(null=True, blank=True)
    offence_description = models.TextField(blank=True)
    offence_domestic = models.BooleanField(null=True)
    victims = models.ManyToManyField(LinkedPerson, blank=True, related_name="offences_against")
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.PROTECT)


class Requirement(models.Model):
    """A community-order requirement or a licence condition."""

    sentence = models.ForeignKey(Sentence, on_delete=models.PROTECT, related_name="requirements")
    type = models.CharField(max_length=30)
    programme = models.CharField(max_length=20, blank=True)
    days = models.PositiveIntegerField(null=True, blank=True)
    hours = models.PositiveIntegerField(null=True, blank=True)
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.PROTECT)
    electronic_monitoring = models.BooleanField(null=True)
    protects = models.ManyToManyField(LinkedPerson, blank=True)


class CourtReport(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="court_reports")
    requested_on = models.DateField()
    court_date = models.DateField()
    report = models.CharField(max_length=20, blank=True)
    curfew_proposed = models.BooleanField(default=False)


class PreviousOffence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="previous_offences")
    recorded_on = models.DateField()
    offence_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    victim_relationship = models.CharField(max_length=20, blank=True)
    violent = models.BooleanField(null=True)
    domestic = models.BooleanField(null=True)


class Registration(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="registrations")
    code = models.CharField(max_length=6, choices=_choices(schema.REGISTER_CODES))
    registered_on = models.DateField()
    deregistered_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["code", "deregistered_on"])]


class Control(models.Model):
    """An external control: restraining order, non-molestation order, DAPO, exclusion, licence condition."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="controls")
    control = models.CharField(max_length=30, choices=_choices(schema.CONTROLS))
    imposed_on = models.DateField()
    until = models.DateField(null=True, blank=True)
    protects = models.ManyToManyField(LinkedPerson, blank=True, related_name="protected_by")


class ControlBreach(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="breaches")
    control = models.ForeignKey(Control, null=True, blank=True, on_delete=models.PROTECT)
    on = models.DateField()
    protects = models.ForeignKey(LinkedPerson, null=True, blank=True, on_delete=models.PROTECT)
    reported_by = models.CharField(max_length=20, blank=True)


from safeguard.cases.restrictions import CaseRestriction  # noqa: E402,F401  (a model of this app)
