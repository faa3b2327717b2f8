"""Partner-agency requests, MARAC referrals and actions, control terms, breach reports and Clare's Law
disclosure decisions. The case's own record of each (check_requested, marac_referred, control_breached,
disclosure, ...) is its event log; these hold the workflow around those events."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from safeguard.cases.models import Case, CaseEvent, Control, LinkedPerson
from safeguard.victims.fields import EncryptedTextField

AGENCIES = [("police", "Police domestic abuse unit"), ("childrens_services", "Children's social care")]
CHILD_PROTECTION = [("none", "Not known to children's social care"), ("child_in_need", "Child in need"),
                    ("child_protection_plan", "Child protection plan"), ("looked_after", "Looked after"),
                    ("not_known", "Not known / could not say")]


class AgencyRequest(models.Model):
    """A request for information to a partner agency, from draft to use.

    drafted -> sent (a `check_requested` event) -> chased (10 working days without an answer, rule 5) ->
    returned (a `check_returned` event) -> used (named by an assessment or review). `check` is the case's
    AgencyCheck, made by the event; a check recorded another way (an import, the event form, the API) gets a
    request record of its own, so every check has one.
    """

    STATUSES = [("drafted", "Drafted"), ("sent", "Sent"), ("chased", "Chased"), ("returned", "Returned"),
                ("used", "Used")]
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(max_length=20, choices=AGENCIES)
    area = models.ForeignKey("workforce.DeliveryUnit", on_delete=models.PROTECT, related_name="+",
                             help_text="The area whose agency is asked (the case's delivery unit unless it moved)")
    status = models.CharField(max_length=10, choices=STATUSES, default="drafted", db_index=True)
    question = models.TextField(blank=True)
    about = models.ManyToManyField(LinkedPerson, blank=True, related_name="+")
    addresses = EncryptedTextField(help_text="Addresses the agency should check, one a line")
    agency_check = models.OneToOneField("practice.AgencyCheck", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="agency_request")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_event = models.OneToOneField(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    chased_on = models.DateField(null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(default=0)
    escalated_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    returned_event = models.OneToOneField(CaseEvent, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    response_working_days = models.IntegerField(null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    callouts = models.PositiveIntegerField(null=True, blank=True)
    callout_dates = models.JSONField(default=list, blank=True)
    children_known = models.BooleanField(null=True, blank=True)
    child_protection = models.CharField(max_length=30, choices=CHILD_PROTECTION, blank=True)
    other_information = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    used_on = models.DateField(null=True, blank=True)
    used_in = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                help_text="The assessment or review that used the answer")

    class Meta:
        indexes = [models.Index(fields=["agency", "area", "status"])]
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.ref

    @property
    def ref(self) -> str:
        return f"REQ-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in {"sent", "chased"}


class MaracReferral(models.Model):
    """A referral to the MARAC: which criteria were met, then the hearing's outcome and actions."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    dash_yes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="DASH yes answers (0-24)")
    escalation = models.BooleanField(default=False, help_text="Potential escalation: repeated incidents")
    incidents = models.PositiveSmallIntegerField(null=True, blank=True,
                                                 help_text="Domestic police incidents in the last 12 months")
    judgement = models.BooleanField(default=False, help_text="Professional judgement")
    judgement_reasons = models.TextField(blank=True)
    referred_on = models.DateField()
    referred_event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="+")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    heard_on = models.DateField(null=True, blank=True)
    heard_event = models.OneToOneField(CaseEvent, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")
    outcome = models.TextField(blank=True)
    imar_event = models.OneToOneField(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-referred_on", "-id"]

    @property
    def visible_high_risk(self) -> bool:
        return self.dash_yes is not None and self.dash_yes >= 14

    def criteria(self) -> list[str]:
        met = []
        if self.visible_high_risk:
            met.append(f"visible high risk (DASH {self.dash_yes} yes answers)")
        if self.escalation:
            met.append("potential escalation" + (f" ({self.incidents} domestic incidents in 12 months)"
                                                 if self.incidents is not None else ""))
        if self.judgement:
            met.append("professional judgement")
        return met


class MaracAction(models.Model):
    """An action the MARAC agreed, tracked to done (the practitioner is reminded when one is overdue)."""

    OWNERS = [("probation", "Probation"), ("police", "Police"), ("childrens_services", "Children's social care"),
              ("idva", "IDVA service"), ("housing", "Housing"), ("health", "Health"), ("other", "Other agency")]
    referral = models.ForeignKey(MaracReferral, on_delete=models.PROTECT, related_name="actions")
    text = models.TextField()
    owner = models.CharField(max_length=20, choices=OWNERS)
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["done_on", "due_on", "id"]


class ControlTerms(models.Model):
    """What an external control says: its terms (sealed: they often describe where a victim lives), who made
    it and its reference. The control itself (kind, protected people, end date) is the case's record."""

    control = models.OneToOneField(Control, on_delete=models.PROTECT, related_name="terms")
    terms = EncryptedTextField()
    made_by = models.CharField(max_length=120, blank=True, help_text="Court or issuing body")
    reference = models.CharField(max_length=60, blank=True)


class BreachReport(models.Model):
    """A breach of a control reported by anyone (partner agencies included): a `control_breached` event,
    escalated at once by email to the practitioner and their SPO."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    event = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="+")
    control = models.CharField(max_length=30, blank=True)
    occurred_on = models.DateField()
    reported_by = models.CharField(max_length=20)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    description = EncryptedTextField()
    reported_at = models.DateTimeField(auto_now_add=True)
    notified = models.PositiveSmallIntegerField(default=0, help_text="Emails sent at once")

    class Meta:
        ordering = ["-reported_at"]

    @property
    def ref(self) -> str:
        return f"BR-{self.pk:06d}"


class DisclosureConsideration(models.Model):
    """Clare's Law: a new partner considered for a Right to Know disclosure, the decision with reasons, and
    its outcome (a `disclosure` event, or a manager decision not to disclose)."""

    DECISIONS = [("disclose", "Apply for a disclosure"), ("not_disclose", "Do not disclose")]
    OUTCOMES = [("disclosed", "Disclosed"), ("manager_decision", "Manager decided not to disclose")]
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(LinkedPerson, on_delete=models.PROTECT, related_name="+")
    trigger = models.OneToOneField(CaseEvent, on_delete=models.PROTECT, related_name="+",
                                   help_text="The relationship_started event")
    opened_on = models.DateField()
    considered_on = models.DateField(null=True, blank=True)
    considered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    police_consulted = models.BooleanField(null=True, blank=True)
    considerations = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=DECISIONS, blank=True)
    reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    outcome = models.CharField(max_length=20, choices=OUTCOMES, blank=True)
    outcome_event = models.OneToOneField(CaseEvent, null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]

    @property
    def stage(self) -> str:
        if self.outcome:
            return self.get_outcome_display()
        if self.decision:
            return "Decided: " + self.get_decision_display().lower()
        if self.considered_on:
            return "Considered"
        return "To consider"
