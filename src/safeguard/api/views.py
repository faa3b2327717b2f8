"""The API's views. Access comes from accounts.access (visible_cases, can_record_event, checks_for_agency); every
change to a case goes through actions.record_event."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.access import can_create_cases, can_record_event, can_void_event, checks_for_agency, role_of
from safeguard.actions import ConflictError, create_case, record_event
from safeguard.actions.voids import AlreadyVoid, NoSuchEvent, VoidError, void_event
from safeguard.api.conditional import IF_NONE_MATCH, matches, respond
from safeguard.api.filters import Ordering, Param, ParamFilter
from safeguard.api.permissions import HasScope, PartnerFence
from safeguard.api.problems import Conflict, PreconditionFailed, PreconditionRequired, TimelineRejected
from safeguard.api.serializers import (
    CaseCreateSerializer,
    CaseSerializer,
    CheckReturnSerializer,
    CheckSerializer,
    EventSerializer,
    LinkedPersonSerializer,
    ObligationSerializer,
    VoidRequestSerializer,
    VoidSerializer,
)
from safeguard.audit.log import write_audit
from safeguard.cases.models import CONCERN_CHOICES, Case, CaseEvent, LinkedPerson
from safeguard.oversight.models import OPEN, STATUS_CHOICES, Obligation
from safeguard.policy.obligations import KINDS
from safeguard.practice.models import AgencyCheck
from safeguard.timeline.schema import EVENTS, FORMAT, ROSH
from safeguard.timeline.validate import TimelineError, validate_document

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True,
    description="The case's ETag as last read (e.g. \"7\"). Missing: 428; stale: 412.")
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200, 201],
                        description="The case's version, for If-Match on the next change")
LOCATION = OpenApiParameter("Location", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[201],
                            description="The new event")
REF = OpenApiParameter("ref", OpenApiTypes.STR, OpenApiParameter.PATH, description="The case ref")
STATUSES = tuple(s for s, _ in STATUS_CHOICES)


def etag(version: int) -> str:
    return f'"{version}"'


def expected_version(request: Request, version: int) -> int | None:
    """The version the client last read, from If-Match (RFC 9110 strong comparison): 428 without it, 412 when it
    does not match. `*` matches any current version (the client chooses not to check)."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        raise PreconditionRequired()
    tags = [t.strip() for t in header.split(",")]
    if "*" in tags:
        return None
    for tag in tags:
        if tag.startswith('"') and tag.endswith('"') and len(tag) >= 2:
            tag = tag[1:-1]
        if tag == str(version):
            return version
    raise PreconditionFailed()


class ApiView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Permissions by scope (tokens) and role (accounts.access); filters and ordering from the view's lists."""

    permission_classes = [PartnerFence, HasScope]
    partner_facing = False
    filter_backends = [ParamFilter, Ordering]
    filter_params: tuple[Param, ...] = ()
    read_scope = "read"
    write_scope: str | None = None

    def fake(self) -> bool:
        return bool(getattr(self, "swagger_fake_view", False))


class CaseScoped(ApiView):
    """Views under /cases/{ref}/: the case must be visible to the user, or it does not exist (404)."""

    _case: Case | None = None

    def get_case(self) -> Case:
        if self._case is None:
            self._case = get_object_or_404(Case.objects.visible_to(self.request.user)
                                           .select_related("practitioner", "unit"), ref=self.kwargs["ref"])
            if self.request.method in ("GET", "HEAD"):  # reads join the case's access log, as the pages' do
                write_audit("case.viewed", user=self.request.user, case_ref=self._case.ref, object_type="case",
                            object_id=str(self._case.pk), detail={"source": "api"})
        return self._case


@extend_schema_view(get=extend_schema(summary="Cases you may see", tags=["cases"]))
class CaseList(ApiView, generics.ListAPIView):  # type: ignore[type-arg]
    """GET: the cases you may see. POST (integration accounts, `create_cases` scope): create a case."""

    serializer_class = CaseSerializer
    write_scope = "create_cases"
    filter_params = (
        Param("concern", "concern", choices=tuple(c for c, _ in CONCERN_CHOICES), description="Concern level"),
        Param("rosh", "rosh", choices=ROSH, description="Risk of serious harm level"),
        Param("mine", lambda qs, mine, request: _mine(qs, mine, request, "practitioner__user"), kind="bool",
              description="true: only cases allocated to you; false: the others"),
        Param("due_before", "next_due__lt", kind="date", description="An open obligation falls due before this day"),
    )
    ordering_fields = ["ref", "next_due", "evaluated_on", "created_at"]
    ordering = ["ref"]

    def get_queryset(self) -> QuerySet[Case]:
        if self.fake():
            return Case.objects.none()
        return Case.objects.visible_to(self.request.user).select_related("unit", "practitioner")

    @extend_schema(
        summary="Create a case (integration accounts)", tags=["cases"], parameters=[ETAG, LOCATION],
        request=CaseCreateSerializer,
        responses={201: OpenApiResponse(CaseSerializer, description="Created; post its events next")},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The body is a timeline file's `case` object, checked by the same validator as `safeguard import`;
        the case is made by actions.create_case in the account's own delivery unit."""
        body = request.data
        user = request.user
        unit = getattr(getattr(user, "profile", None), "unit", None)
        if role_of(user) != "integration" or unit is None:
            raise exceptions.PermissionDenied("Only integration accounts (with a delivery unit) may create cases.")
        if not isinstance(body, dict):
            raise TimelineRejected(TimelineError("api", "case", f"expected an object, got {body!r}"))
        body = dict(body)
        body.setdefault("pdu", unit.name)
        try:
            timeline = validate_document({"format": FORMAT, "case": body, "events": []}, "api")
        except TimelineError as exc:
            raise TimelineRejected(exc) from None
        info = timeline.case
        if info["pdu"] != unit.name or not can_create_cases(user, unit):
            raise exceptions.PermissionDenied(f"field 'pdu': this account creates cases in {unit.name} only, "
                                              f"not {info['pdu']!r}.")
        if Case.objects.filter(ref=info["ref"]).exists():
            raise Conflict(f"field 'ref': a case {info['ref']} already exists.")
        try:
            case = create_case(info["ref"], unit, born=_day(info.get("born")), gender=info.get("gender") or "",
                               user=user)
        except IntegrityError:  # made by someone else between the check and the insert
            raise Conflict(f"field 'ref': a case {info['ref']} already exists.") from None
        location = request.build_absolute_uri(f"{request.path}{case.ref}/")
        return Response(CaseSerializer(case).data, status=201,
                        headers={"ETag": etag(case.version), "Location": location})


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _mine(queryset: QuerySet[Any], mine: bool, request: Request, lookup: str) -> QuerySet[Any]:
    return queryset.filter(**{lookup: request.user}) if mine else queryset.exclude(**{lookup: request.user})


@extend_schema(summary="One case", tags=["cases"], parameters=[REF, ETAG, IF_NONE_MATCH])
class CaseDetail(CaseScoped, generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = CaseSerializer
    queryset = Case.objects.none()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        return respond(request, self.get_serializer(case).data, etag(case.version))


@extend_schema_view(get=extend_schema(summary="People linked to a case (refs only)", tags=["cases"],
                                      parameters=[REF]))
class PeopleList(CaseScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = LinkedPersonSerializer
    filter_params = (Param("victim", "victim", kind="bool", description="Known victims only (true) or others"),)
    ordering_fields = ["ref", "added_on"]
    ordering = ["added_on", "ref"]

    def get_queryset(self) -> QuerySet[LinkedPerson]:
        if self.fake():
            return LinkedPerson.objects.none()
        return LinkedPerson.objects.filter(case=self.get_case())


class EventList(CaseScoped, generics.ListAPIView):  # type: ignore[type-arg]
    """GET: the case's event log. POST: record one timeline event (the same vocabulary and validation as a
    timeline file), with If-Match."""

    serializer_class = EventSerializer
    write_scope = "write_events"
    filter_params = (
        Param("type", "type", choices=tuple(EVENTS), description="Event type"),
        Param("on_after", "on__gte", kind="date", description="On or after this day"),
        Param("on_before", "on__lte", kind="date", description="On or before this day"),
    )
    ordering_fields = ["seq", "on"]
    ordering = ["seq"]

    def get_queryset(self) -> QuerySet[CaseEvent]:
        if self.fake():
            return CaseEvent.objects.none()
        return CaseEvent.objects.filter(case=self.get_case()).select_related("void__voided_by")

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "never_disclose": {}}

    @extend_schema(summary="A case's event log", tags=["events"], parameters=[REF, ETAG, IF_NONE_MATCH])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        tag = etag(self.get_case().version)  # the log changes only with the case's version
        if matches(request.headers.get("If-None-Match"), tag):
            return Response(status=304, headers={"ETag": tag})
        response = self.list(request, *args, **kwargs)
        response["ETag"] = tag
        return response

    @extend_schema(
        summary="Record a timeline event on a case", tags=["events"], parameters=[REF, IF_MATCH, ETAG, LOCATION],
        request={"application/json": {"$ref": "#/components/schemas/TimelineEvent"}},
        responses={201: OpenApiResponse(EventSerializer, description="Recorded; obligations re-evaluated")},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        event = request.data
        event_type = str(event.get("type")) if isinstance(event, dict) else ""
        if not can_record_event(request.user, case, event_type):
            raise exceptions.PermissionDenied("Only the case's practitioner or their team's SPO (or an integration "
                                              "account of its unit) may record on it; countersignatures and "
                                              "manager decisions only an SPO.")
        version = expected_version(request, case.version)
        if not isinstance(event, dict):
            raise TimelineRejected(TimelineError(f"case {case.ref}", "event", f"expected an object, got {event!r}"))
        try:
            logged = record_event(case, dict(event), user=request.user, source="api", expected_version=version)
        except TimelineError as exc:
            raise TimelineRejected(exc) from None
        except ConflictError:
            raise PreconditionFailed() from None
        location = request.build_absolute_uri(f"{request.path}{logged.seq}/")
        return Response(EventSerializer(logged, context=self.get_serializer_context()).data, status=201,
                        headers={"ETag": etag(case.version), "Location": location})


@extend_schema(summary="One event of a case's log", tags=["events"],
               parameters=[REF, OpenApiParameter("seq", OpenApiTypes.INT, OpenApiParameter.PATH)])
class EventDetail(CaseScoped, generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = EventSerializer
    queryset = CaseEvent.objects.none()

    def get_object(self) -> CaseEvent:
        return get_object_or_404(CaseEvent, case=self.get_case(), seq=self.kwargs["seq"])

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "never_disclose": {}}


@extend_schema(
    summary="Mark an event as entered in error", tags=["events"],
    parameters=[REF, OpenApiParameter("seq", OpenApiTypes.INT, OpenApiParameter.PATH), IF_MATCH, ETAG],
    request=VoidRequestSerializer,
    responses={201: OpenApiResponse(VoidSerializer, description="Voided; obligations re-evaluated without it")},
)
class EventVoid(CaseScoped, generics.GenericAPIView):  # type: ignore[type-arg]
    """A manager (whoever may record a manager decision on the case) voids one event, with a reason: the log keeps
    it, the engine skips it, and the case is re-evaluated at once (ADR 0006)."""

    serializer_class = VoidRequestSerializer
    write_scope = "write_events"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.get_case()
        if not can_void_event(request.user, case):
            raise exceptions.PermissionDenied("Only the case's senior probation officer can mark an event as "
                                              "entered in error.")
        version = expected_version(request, case.version)
        body = VoidRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            void = void_event(case, self.kwargs["seq"], reason=body.validated_data["reason"], user=request.user,
                              expected_version=version)
        except NoSuchEvent as exc:
            raise exceptions.NotFound(exc.message) from None
        except AlreadyVoid as exc:
            raise Conflict(exc.message) from None
        except VoidError as exc:
            raise exceptions.ValidationError({exc.field: [exc.message]}) from None
        except ConflictError:
            raise PreconditionFailed() from None
        return Response(VoidSerializer(void).data, status=201, headers={"ETag": etag(case.version)})


OBLIGATION_FILTERS = (
    Param("kind", "kind", choices=KINDS, description="Obligation kind"),
    Param("due_before", "due__lt", kind="date", description="Due before this day"),
    Param("due_after", "due__gte", kind="date", description="Due on or after this day"),
    Param("escalated", "escalated_on__isnull", kind="bool", negate=True,
          description="Escalated to a manager (true) or not"),
)


@extend_schema_view(get=extend_schema(summary="A case's obligations (all statuses)", tags=["obligations"],
                                      parameters=[REF]))
class CaseObligationList(CaseScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = ObligationSerializer
    filter_params = (Param("status", "status", choices=STATUSES, description="Status"), *OBLIGATION_FILTERS)
    ordering_fields = ["due", "opened", "kind", "id"]
    ordering = ["due", "id"]

    def get_queryset(self) -> QuerySet[Obligation]:
        if self.fake():
            return Obligation.objects.none()
        return Obligation.objects.filter(case=self.get_case()).select_related("case", "closed_by")


@extend_schema_view(get=extend_schema(summary="Your queue: open obligations on the cases you may see",
                                      tags=["obligations"]))
class ObligationQueue(ApiView, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = ObligationSerializer
    filter_params = (Param("status", "status", choices=OPEN, description="due or overdue (default both)"),
                     Param("mine", lambda qs, mine, request: _mine(qs, mine, request, "case__practitioner__user"),
                           kind="bool", description="true: only on cases allocated to you; false: the others"),
                     *OBLIGATION_FILTERS)
    ordering_fields = ["due", "opened", "kind", "id"]
    ordering = ["due", "id"]

    def get_queryset(self) -> QuerySet[Obligation]:
        if self.fake():
            return Obligation.objects.none()
        cases = Case.objects.visible_to(self.request.user)
        return (Obligation.objects.filter(case__in=cases, status__in=OPEN)
                .select_related("case", "closed_by"))


@extend_schema_view(get=extend_schema(summary="One obligation", tags=["obligations"]))
class ObligationDetail(ApiView, generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = ObligationSerializer

    def get_queryset(self) -> QuerySet[Obligation]:
        if self.fake():
            return Obligation.objects.none()
        return Obligation.objects.filter(case__in=Case.objects.visible_to(self.request.user)).select_related(
            "case", "closed_by")


class ChecksScoped(ApiView):
    read_scope = "partner_agency"
    write_scope = "partner_agency"
    partner_facing = True

    def get_queryset(self) -> QuerySet[AgencyCheck]:
        if self.fake():
            return AgencyCheck.objects.none()
        return checks_for_agency(AgencyCheck.objects.select_related("case").prefetch_related("about"),
                                 self.request.user)


@extend_schema_view(get=extend_schema(
    summary="The partner-agency queue: check requests addressed to your agency", tags=["checks"]))
class CheckQueue(ChecksScoped, generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = CheckSerializer
    filter_params = (Param("status", "returned_on__isnull", choices=("open", "returned"),
                           values={"open": True, "returned": False},
                           description="open: not yet answered; returned: answered"),
                     Param("requested_after", "requested_on__gte", kind="date", description="Requested on or after"))
    ordering_fields = ["requested_on", "id"]
    ordering = ["requested_on", "id"]


@extend_schema(summary="One check request", tags=["checks"], parameters=[ETAG, IF_NONE_MATCH])
class CheckDetail(ChecksScoped, generics.RetrieveAPIView):  # type: ignore[type-arg]
    serializer_class = CheckSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check = self.get_object()
        return respond(request, self.get_serializer(check).data, etag(check.case.version))


@extend_schema(summary="Answer a check request (recorded on the case as a check_returned event)", tags=["checks"],
               parameters=[IF_MATCH, ETAG], request=CheckReturnSerializer,
               responses={200: OpenApiResponse(CheckSerializer, description="Answered")})
class CheckReturn(ChecksScoped, generics.GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CheckReturnSerializer

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check: AgencyCheck = self.get_object()
        if check.returned_on is not None:
            raise Conflict("This request has already been answered.")
        later = AgencyCheck.objects.filter(case=check.case, agency=check.agency, returned_on=None, pk__gt=check.pk)
        if later.exists():
            raise Conflict(f"A later request to the same agency is open on this case (id {later.first().pk}): "  # type: ignore[union-attr]
                           "answer that one.")
        version = expected_version(request, check.case.version)
        body = CheckReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        answer = {k: v for k, v in body.validated_data.items() if k != "on"}
        event = {"on": body.validated_data["on"].isoformat(), "type": "check_returned", "agency": check.agency,
                 **answer}
        case = check.case
        try:
            record_event(case, event, user=request.user, source="api", expected_version=version)
        except TimelineError as exc:
            raise TimelineRejected(exc) from None
        except ConflictError:
            raise PreconditionFailed() from None
        check.refresh_from_db()
        return Response(CheckSerializer(check).data, headers={"ETag": etag(case.version)})

