"""The partner-agency queue through the API: the requests addressed to the caller's agency and area
(accounts.access.requests_for_agency), each showing only what the agency needs to answer it, and answering
through agencies.actions.answer_request, as the queue page does.

A request outside the caller's queue is a 404, as is every case, victim and measures endpoint for a partner
(permissions.PartnerFence)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.access import requests_for_agency
from safeguard.agencies import actions
from safeguard.agencies.models import AGENCIES, CHILD_PROTECTION, AgencyRequest
from safeguard.api.conditional import IF_NONE_MATCH, respond
from safeguard.api.filters import Param
from safeguard.api.problems import Conflict, TimelineRejected
from safeguard.api.views import ApiView
from safeguard.audit.log import write_audit
from safeguard.timeline.validate import TimelineError
from safeguard.victims.redaction import never_disclose_values, scrub, show

STATUSES = tuple(s for s, _ in AgencyRequest.STATUSES if s != "drafted")
REQUEST_STATUS_CHOICES = [(s, label) for s, label in AgencyRequest.STATUSES if s != "drafted"]


class RequestSerializer(serializers.ModelSerializer[AgencyRequest]):
    """A request in the queue: its reference, status and dates. No case ref and nothing about the case."""

    ref = serializers.CharField(read_only=True, help_text="REQ-000123")
    agency = serializers.ChoiceField(choices=AGENCIES, read_only=True)
    status = serializers.ChoiceField(choices=REQUEST_STATUS_CHOICES, read_only=True)
    answer_by = serializers.SerializerMethodField(help_text="When probation needs the answer (the chase date)")

    class Meta:
        model = AgencyRequest
        fields = ["id", "ref", "agency", "status", "sent_on", "answer_by", "chased_on", "escalated_on",
                  "returned_on"]
        read_only_fields = fields

    def get_answer_by(self, item: AgencyRequest) -> str | None:
        due = actions.chase_due_on(item) if item.is_open else None
        return due.isoformat() if due else None


class PersonSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="As recorded by probation (blank if not recorded)")
    relationship = serializers.CharField()
    born = serializers.DateField(allow_null=True)


class SubjectSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(help_text="The person on probation")
    born = serializers.DateField(allow_null=True)


class AnswerSerializer(serializers.Serializer[dict[str, Any]]):
    """The agency's answer: structured fields plus a summary (recorded on the case as `check_returned`)."""

    callouts = serializers.IntegerField(required=False, allow_null=True, min_value=0,
                                        help_text="Domestic call-outs found (default: how many dates are given)")
    callout_dates = serializers.ListField(child=serializers.DateField(), required=False, max_length=500,
                                          help_text="The dates of the call-outs")
    children_known = serializers.BooleanField(required=False, allow_null=True,
                                              help_text="Are children known at these addresses or with these people?")
    child_protection = serializers.ChoiceField(choices=[c for c, _ in CHILD_PROTECTION], required=False,
                                               allow_blank=True, help_text="Child protection status")
    other_information = serializers.CharField(required=False, allow_blank=True, max_length=5000,
                                              help_text="Bail conditions, intelligence, warnings")
    summary = serializers.CharField(max_length=5000, help_text="Your answer in words: recorded on the case")


class GivenAnswerSerializer(serializers.Serializer[Any]):
    """The answer as recorded (null until the request is answered)."""

    callouts = serializers.IntegerField(allow_null=True)
    callout_dates = serializers.ListField(child=serializers.DateField())
    children_known = serializers.BooleanField(allow_null=True)
    child_protection = serializers.CharField(allow_blank=True)
    other_information = serializers.CharField(allow_blank=True)
    summary = serializers.CharField(allow_blank=True)


class RequestDetailSerializer(RequestSerializer):
    """One request with what the agency needs to answer it: the person's name and date of birth, the people
    and addresses involved, the question; and the answer once given."""

    subject = serializers.SerializerMethodField()
    people = serializers.SerializerMethodField()
    addresses = serializers.SerializerMethodField()
    question = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()

    class Meta(RequestSerializer.Meta):
        fields = [*RequestSerializer.Meta.fields, "subject", "people", "addresses", "question", "answer"]
        read_only_fields = fields

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._values: dict[int, list[str]] = {}

    def _user(self) -> Any:
        return getattr(self.context.get("request"), "user", None)

    def _scrub(self, item: AgencyRequest, text: str) -> str:
        values = self._values.get(item.case_id)
        if values is None:
            values = self._values[item.case_id] = never_disclose_values(item.case)
        return scrub(text, case=item.case, user=self._user(), channel="api", values=values)

    @extend_schema_field(SubjectSerializer)
    def get_subject(self, item: AgencyRequest) -> dict[str, Any]:
        return {"name": item.case.name, "born": item.case.born}

    @extend_schema_field(PersonSerializer(many=True))
    def get_people(self, item: AgencyRequest) -> list[dict[str, Any]]:
        source = item.agency_check.about if item.agency_check is not None else item.about
        return [{"name": p.name, "relationship": p.relationship, "born": p.born} for p in source.order_by("ref")]

    def get_addresses(self, item: AgencyRequest) -> list[str]:
        text = show(item.addresses, user=self._user(), case=item.case, channel="api", sensitive=False)
        return [line.strip() for line in text.splitlines() if line.strip()]

    def get_question(self, item: AgencyRequest) -> str:
        return self._scrub(item, item.question)

    @extend_schema_field(GivenAnswerSerializer(allow_null=True))
    def get_answer(self, item: AgencyRequest) -> dict[str, Any] | None:
        if item.returned_on is None:
            return None
        return {"callouts": item.callouts, "callout_dates": list(item.callout_dates),
                "children_known": item.children_known, "child_protection": item.child_protection,
                "other_information": self._scrub(item, item.other_information),
                "summary": self._scrub(item, item.summary)}


class RequestsScoped(ApiView):
    read_scope = "partner_agency"
    write_scope = "partner_agency"
    partner_facing = True

    def get_queryset(self) -> QuerySet[AgencyRequest]:
        if self.fake():
            return AgencyRequest.objects.none()
        return requests_for_agency(AgencyRequest.objects.select_related("case", "agency_check"), self.request.user)


@extend_schema_view(get=extend_schema(
    summary="Your agency's queue: requests for information addressed to your agency and area", tags=["requests"]))
class RequestQueue(RequestsScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = RequestSerializer
    filter_params = (
        Param("status", "status", choices=STATUSES, description="sent, chased, returned or used"),
        Param("open", "returned_on__isnull", kind="bool", description="true: not yet answered; false: answered"),
        Param("sent_after", "sent_on__gte", kind="date", description="Sent on or after this day"),
    )
    ordering_fields = ["sent_on", "id"]
    ordering = ["sent_on", "id"]


def _viewed(request: Request, item: AgencyRequest) -> None:
    write_audit("agency_request.viewed", user=request.user, case_ref=item.case.ref, object_type="agencyrequest",
                object_id=str(item.pk), detail={"source": "api"})


@extend_schema(summary="One request, with what you need to answer it", tags=["requests"],
               parameters=[IF_NONE_MATCH])
class RequestDetail(RequestsScoped, generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = RequestDetailSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        _viewed(request, item)  # partners' reads join the case's access log, as the queue page's do
        return respond(request, self.get_serializer(item).data)


@extend_schema(summary="Answer a request (recorded on the case as a check_returned event)", tags=["requests"],
               request=AnswerSerializer,
               responses={200: OpenApiResponse(RequestDetailSerializer, description="Answered")})
class RequestAnswer(RequestsScoped, generics.GenericAPIView):  # type: ignore[type-arg]
    serializer_class = AnswerSerializer

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item: AgencyRequest = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        dates = sorted(data.get("callout_dates") or [])
        answer = actions.Answer(callouts=data.get("callouts"), callout_dates=dates,
                                children_known=data.get("children_known"),
                                child_protection=data.get("child_protection") or "",
                                other_information=data.get("other_information") or "", summary=data["summary"])
        try:
            actions.answer_request(item, answer, user=request.user)
        except actions.AgencyError as exc:
            raise Conflict(str(exc)) from None
        except TimelineError as exc:
            raise TimelineRejected(exc) from None
        item.refresh_from_db()
        return Response(RequestDetailSerializer(item, context=self.get_serializer_context()).data)
