"""What the API shows of each record. Refs and codes, never names: the API speaks the timeline format's
vocabulary, in which people are refs (names stay in the web app, behind its pages' access rules)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeguard.cases.models import Case, CaseEvent, CaseEventVoid, LinkedPerson
from safeguard.limits import CASE_REF_MAX, CASE_REF_RULE, NAME_MAX
from safeguard.oversight.models import Obligation
from safeguard.practice.models import AgencyCheck
from safeguard.timeline.schema import ROSH, SARA
from safeguard.victims.redaction import never_disclose_values, scrub_payload


class _Level(serializers.Field):  # type: ignore[type-arg]
    """A risk level, or null when none has been assessed (stored as a blank string)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: str) -> str | None:
        return value or None


@extend_schema_field({"type": "string", "enum": list(ROSH), "nullable": True,
                      "description": "Risk of serious harm, null until assessed"})
class RoshField(_Level):
    pass


@extend_schema_field({"type": "string", "enum": list(SARA), "nullable": True,
                      "description": "SARA risk level, null until assessed"})
class SaraField(_Level):
    pass


class CaseSerializer(serializers.ModelSerializer[Case]):
    unit = serializers.CharField(source="unit.name", read_only=True, help_text="The probation delivery unit")
    practitioner = serializers.CharField(source="practitioner.code", read_only=True, allow_null=True,
                                         default=None, help_text="The allocated practitioner's staff ref")
    rosh = RoshField()
    sara_partner = SaraField()
    sara_others = SaraField()

    class Meta:
        model = Case
        fields = ["ref", "unit", "practitioner", "concern", "rosh", "sara_partner", "sara_others", "da_since",
                  "ended_on", "next_due", "evaluated_on", "version"]
        read_only_fields = fields


class LinkedPersonSerializer(serializers.ModelSerializer[LinkedPerson]):
    class Meta:
        model = LinkedPerson
        fields = ["ref", "relationship", "born", "gender", "lives_with_case", "victim", "current_partner",
                  "pregnant_since", "child_protection", "added_on"]
        read_only_fields = fields


class VoidSerializer(serializers.ModelSerializer[CaseEventVoid]):
    seq = serializers.IntegerField(source="event.seq", read_only=True, help_text="The seq of the voided event")
    voided_by = serializers.CharField(source="voided_by.username", read_only=True)

    class Meta:
        model = CaseEventVoid
        fields = ["seq", "reason", "voided_by", "voided_at"]
        read_only_fields = fields


class VoidRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(help_text="Why the event was entered in error (required)", max_length=2000,
                                   trim_whitespace=True)


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    payload = serializers.SerializerMethodField(help_text="The event exactly as recorded, in timeline vocabulary")
    void = serializers.SerializerMethodField(help_text="Set when a manager marked the event as entered in error: "
                                                       "the engine then skips it (null otherwise)")

    class Meta:
        model = CaseEvent
        fields = ["seq", "on", "type", "source", "recorded_at", "payload", "void"]
        read_only_fields = fields

    @extend_schema_field(VoidSerializer(allow_null=True))
    def get_void(self, event: CaseEvent) -> dict[str, Any] | None:
        try:
            void = event.void
        except CaseEventVoid.DoesNotExist:
            return None
        return dict(VoidSerializer(void).data)

    @extend_schema_field({"$ref": "#/components/schemas/TimelineEvent"})
    def get_payload(self, event: CaseEvent) -> dict[str, Any]:
        """The event, with never-disclose details (a refuge address typed into a note) withheld: an API response
        leaves the service, so it never carries one (safeguard.victims.redaction, channel "api")."""
        request = self.context.get("request")
        cache: dict[int, list[str]] = self.context.get("never_disclose", {})
        if event.case_id not in cache:
            cache[event.case_id] = never_disclose_values(event.case)
        values = cache[event.case_id]
        user = getattr(request, "user", None)
        return scrub_payload(dict(event.payload), case=event.case, user=user, channel="api", values=values)


class ObligationSerializer(serializers.ModelSerializer[Obligation]):
    case = serializers.CharField(source="case.ref", read_only=True)
    closed_by = serializers.IntegerField(source="closed_by.seq", read_only=True, allow_null=True, default=None,
                                         help_text="The seq of the event that discharged it")

    class Meta:
        model = Obligation
        fields = ["id", "case", "kind", "rule", "status", "opened", "due", "reason", "closed_on", "closed_by",
                  "immediate", "critical", "escalated_on", "policy_version"]
        read_only_fields = fields


class CheckSerializer(serializers.ModelSerializer[AgencyCheck]):
    """A request to a partner agency: which case (by ref), about whom (person refs), when, and whether answered."""

    case = serializers.CharField(source="case.ref", read_only=True)
    status = serializers.SerializerMethodField()
    about = serializers.SerializerMethodField()

    class Meta:
        model = AgencyCheck
        fields = ["id", "case", "agency", "requested_on", "returned_on", "status", "about"]
        read_only_fields = fields

    def get_status(self, check: AgencyCheck) -> str:
        return "returned" if check.returned_on else "open"

    def get_about(self, check: AgencyCheck) -> list[str]:
        return sorted(p.ref for p in check.about.all())


class CheckReturnSerializer(serializers.Serializer[dict[str, Any]]):
    """A partner agency's answer; recorded on the case as a `check_returned` timeline event."""

    on = serializers.DateField(help_text="The day the answer was given")
    callouts = serializers.IntegerField(required=False, min_value=0, allow_null=True,
                                        help_text="Domestic call-outs found")
    known_to_childrens_services = serializers.BooleanField(required=False, allow_null=True)
    summary = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CaseCreateSerializer(serializers.Serializer[dict[str, Any]]):
    """A timeline file's `case` object (for the schema: the timeline validator checks the body)."""

    ref = serializers.CharField(max_length=CASE_REF_MAX, help_text=f"The case ref (the other system's, e.g. its "
                                f"CRN): {CASE_REF_RULE}")
    born = serializers.DateField(required=False, help_text="Date of birth")
    gender = serializers.CharField(required=False, allow_blank=True, max_length=40)
    pdu = serializers.CharField(required=False, max_length=NAME_MAX,
                                help_text="The probation delivery unit: the account's own (default)")
