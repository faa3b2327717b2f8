"""Victims' and children's safety records through the API, for victim-facing workers and the case's
practitioner and SPO (accounts.access.victim_records_visible / can_see_victims; the `victims` token scope).

Every value goes through safeguard.victims.redaction on the "api" channel: a detail marked never disclose is
never in a response (accounts.access.can_reveal_never_disclose allows it on screen only), and free text (notes,
safety plans) has never-disclose values scrubbed out. Every read of a record joins its access log
(victims.actions.viewed), as opening the record's page does. People are refs, as everywhere in the API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.access import can_see_victims, victim_records_visible
from safeguard.api.conditional import IF_NONE_MATCH, respond
from safeguard.api.filters import Param
from safeguard.api.views import ApiView
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.victims import actions
from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker, VictimRecord
from safeguard.victims.redaction import NEVER_DISCLOSE, detail_text, never_disclose_values, scrub, show


class VictimRecordSerializer(serializers.ModelSerializer[VictimRecord]):
    case = serializers.CharField(source="case.ref", read_only=True)
    person = serializers.CharField(source="person.ref", read_only=True, help_text="The linked person's ref")
    relationship = serializers.CharField(source="person.relationship", read_only=True)
    victim = serializers.BooleanField(source="person.victim", read_only=True)

    class Meta:
        model = VictimRecord
        fields = ["id", "case", "person", "relationship", "victim", "created_at"]
        read_only_fields = fields


class DetailSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    never_disclose = serializers.BooleanField(help_text=f"When true, `value` is always {NEVER_DISCLOSE!r}")
    value = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class WorkerSerializer(serializers.Serializer[Any]):
    role = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField(allow_blank=True)
    phone = serializers.CharField(allow_blank=True)
    from_on = serializers.DateField()
    to_on = serializers.DateField(allow_null=True)


class ContactSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    by = serializers.CharField()
    safety_plan = serializers.BooleanField()
    plan = serializers.CharField(allow_blank=True, help_text="The safety plan agreed or reviewed")
    plan_review_on = serializers.DateField(allow_null=True)
    seq = serializers.IntegerField(help_text="The `victim_contact` event on the case")


class VictimRecordDetailSerializer(VictimRecordSerializer):
    """One record: contact details, support workers and safety contacts with their plans."""

    details = serializers.SerializerMethodField()
    workers = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()

    class Meta(VictimRecordSerializer.Meta):
        fields = [*VictimRecordSerializer.Meta.fields, "details", "workers", "contacts"]
        read_only_fields = fields

    def _user(self) -> Any:
        return getattr(self.context.get("request"), "user", None)

    def _text(self, record: VictimRecord, value: Any) -> str:
        return show(value, user=self._user(), case=record.case, channel="api")

    @extend_schema_field(DetailSerializer(many=True))
    def get_details(self, record: VictimRecord) -> list[dict[str, Any]]:
        rows: QuerySet[ContactDetail] = record.details.filter(removed_at=None)
        return [{"id": d.pk, "kind": d.kind, "never_disclose": d.never_disclose,
                 "value": detail_text(d, user=self._user(), channel="api"),
                 "note": self._text(record, d.note)} for d in rows]

    @extend_schema_field(WorkerSerializer(many=True))
    def get_workers(self, record: VictimRecord) -> list[dict[str, Any]]:
        rows: QuerySet[SupportWorker] = record.workers.all()
        values = never_disclose_values(record.case)
        return [{"role": w.role, "name": w.name,
                 "organisation": scrub(w.organisation, case=record.case, user=self._user(), channel="api",
                                       values=values),
                 "phone": self._text(record, w.phone), "from_on": w.from_on, "to_on": w.to_on} for w in rows]

    @extend_schema_field(ContactSerializer(many=True))
    def get_contacts(self, record: VictimRecord) -> list[dict[str, Any]]:
        rows: QuerySet[SafetyContact] = record.contacts.select_related("event")
        return [{"on": c.on, "by": c.by, "safety_plan": c.safety_plan, "plan": self._text(record, c.plan),
                 "plan_review_on": c.plan_review_on, "seq": c.event.seq} for c in rows]


class VictimsScoped(ApiView):
    read_scope = "victims"

    def get_queryset(self) -> QuerySet[VictimRecord]:
        if self.fake():
            return VictimRecord.objects.none()
        return victim_records_visible(VictimRecord.objects.select_related("case", "person"), self.request.user)


@extend_schema_view(get=extend_schema(summary="Victims' and children's safety records you may see",
                                      tags=["victims"]))
class VictimRecordList(VictimsScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = VictimRecordSerializer
    filter_params = (Param("case", "case__ref", kind="text", description="Only this case's records (its ref)"),)
    ordering_fields = ["id", "created_at"]
    ordering = ["id"]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ref = request.query_params.get("case")
        case = Case.objects.filter(ref=ref, archived_at=None).first() if ref else None
        if case is not None and can_see_victims(request.user, case):
            actions.ensure_records(case)  # made on first look, as on the case's safety page
        response = super().list(request, *args, **kwargs)
        rows = response.data.get("results", []) if isinstance(response.data, dict) else response.data
        # A list of safety records is a read of each: one audit entry per case listed (ids only, no names).
        by_case: dict[str, list[str]] = {}
        for row in rows:
            by_case.setdefault(str(row["case"]), []).append(str(row["id"]))
        for case_ref, ids in sorted(by_case.items()):
            write_audit("victim.listed", user=request.user, case_ref=case_ref, object_type="victim_record",
                        detail={"source": "api", "refs": ids})
        return response


@extend_schema(summary="One safety record: contact details, support workers, safety contacts and plans",
               tags=["victims"], parameters=[IF_NONE_MATCH])
class VictimRecordDetail(VictimsScoped, generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = VictimRecordDetailSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        actions.viewed(record, request.user)  # every read joins the record's access log
        return respond(request, self.get_serializer(record).data)
