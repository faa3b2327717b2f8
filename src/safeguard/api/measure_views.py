"""The inspection measures through the API (safeguard.insights.measures), for the levels of the organisation the
caller may open (accounts.access.insight_scopes): each figure with its numerator and denominator, over a period.

    GET /api/v1/measures/?scope=team-5&from=2025-04-01&to=2026-03-31
    GET /api/v1/measures/police-checks/?scope=unit-2

Without `scope`, the caller's own (their cases, team, unit or region); without `from`/`to`, the last 12 months
to `as_of` (default today), as on the insights pages. The cases behind a number are listed through the cases
endpoints, which apply the caller's case access."""

from __future__ import annotations

from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.api.conditional import IF_NONE_MATCH, respond
from safeguard.api.filters import QueryValidationError
from safeguard.api.views import ApiView
from safeguard.insights.measures import MEASURE_BY_ID, MEASURES, Measure, Result, compute_all, today
from safeguard.insights.scope import Period, Scope, ScopeError, default_scope, default_start
from safeguard.insights_web.choosing import scope_from_value, scope_options

PARAMETERS = [
    OpenApiParameter("scope", OpenApiTypes.STR, OpenApiParameter.QUERY, required=False,
                     description="The level of the organisation, as `<level>-<id>` (region-1, unit-2, team-5, "
                                 "practitioner-9); default your own. `scopes` in the answer lists the ones you may "
                                 "ask for"),
    OpenApiParameter("from", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
                     description="First day of the period (inclusive); with neither from nor to, 12 months"),
    OpenApiParameter("to", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
                     description="Last day of the period (inclusive)"),
    OpenApiParameter("as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY, required=False,
                     description="The day the figures are judged on (default today; not in the future)"),
    IF_NONE_MATCH,
]


class FigureSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    title = serializers.CharField()
    group = serializers.CharField()
    value_is = serializers.ChoiceField(choices=["proportion", "average"],
                                       help_text="proportion: 0 to 1; average: per practitioner")
    numerator = serializers.FloatField()
    denominator = serializers.FloatField()
    value = serializers.FloatField(allow_null=True, help_text="numerator / denominator; null when nothing counted")


class ScopeSerializer(serializers.Serializer[Any]):
    value = serializers.CharField(help_text="For ?scope=")
    level = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label


class MeasuresSerializer(serializers.Serializer[Any]):
    scope = ScopeSerializer()
    period = serializers.DictField(child=serializers.DateField(allow_null=True),
                                   help_text="`from` and `to`, inclusive")
    as_of = serializers.DateField()
    scopes = ScopeSerializer(many=True, help_text="Every scope you may ask for")
    results = FigureSerializer(many=True)


class MeasureDefinitionSerializer(FigureSerializer):
    counts = serializers.CharField()
    numerator_counts = serializers.CharField(help_text="What the numerator counts")
    denominator_counts = serializers.CharField(help_text="What the denominator counts")
    exclusions = serializers.CharField()
    period_rule = serializers.CharField(help_text="How the period applies")
    rules = serializers.ListField(child=serializers.CharField(), help_text="The policy rules behind it")
    reference = serializers.DictField(allow_null=True, help_text="The latest national inspection figure, if any")


class MeasureDetailSerializer(MeasuresSerializer):
    results = None  # type: ignore[assignment]
    measure = MeasureDefinitionSerializer()


def _date(request: Request, name: str, errors: dict[str, list[str]]) -> date | None:
    if name not in request.query_params:
        return None
    raw = request.query_params.get(name, "").strip()
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = [f"expected a date (YYYY-MM-DD), got {raw!r}"]
        return None


def _scope_value(scope: Scope) -> str:
    shown = scope.as_dict()
    return f"{shown['level']}-{shown['id']}"


def _scope_dict(scope: Scope) -> dict[str, Any]:
    shown = scope.as_dict()
    return {"value": _scope_value(scope), "level": shown["level"], "label": shown["label"]}


def selection(request: Request) -> tuple[Scope, Period, date, list[dict[str, Any]]]:
    """The scope, period and day the request asks for: 403 for no measures at all or a scope not the caller's,
    400 naming the parameter for a bad date."""
    user = request.user
    options = [{"value": c.value, "level": c.level, "label": c.label} for _, group in scope_options(user)
               for c in group]
    if not options:
        raise exceptions.PermissionDenied("Inspection measures are for practitioners, senior probation officers, "
                                          "heads of unit and quality assurance.")
    errors: dict[str, list[str]] = {}
    as_of = _date(request, "as_of", errors) or today()
    if as_of > today():
        errors["as_of"] = ["must not be in the future"]
    start, end = _date(request, "from", errors), _date(request, "to", errors)
    if errors:
        raise QueryValidationError(errors)
    wanted = request.query_params.get("scope", "")
    scope: Scope | None
    if wanted:
        scope = scope_from_value(user, wanted)
        if scope is None:
            raise exceptions.PermissionDenied(f"scope {wanted!r} is not one you may see (see `scopes`).")
    else:
        own = default_scope(user)
        scope = scope_from_value(user, _scope_value(own)) if own is not None else None
        scope = scope or scope_from_value(user, options[0]["value"])
    assert scope is not None
    if "from" not in request.query_params and "to" not in request.query_params:
        start, end = default_start(as_of), as_of
    try:
        period = Period(start, end)
    except ScopeError as exc:
        raise QueryValidationError({"from": [str(exc)]}) from None
    return scope, period, as_of, options


def figure(item: Measure, result: Result) -> dict[str, Any]:
    return {"id": item.id, "title": item.title, "group": item.group, "value_is": item.value_is,
            **result.as_dict()}


class MeasuresView(ApiView):
    filter_backends: list[Any] = []
    pagination_class = None

    def context(self, request: Request) -> tuple[dict[str, Any], Scope, Period, date]:
        scope, period, as_of, options = selection(request)
        return ({"scope": _scope_dict(scope), "period": period.as_dict(), "as_of": as_of.isoformat(),
                 "scopes": options}, scope, period, as_of)


class MeasureList(MeasuresView):
    serializer_class = MeasuresSerializer

    @extend_schema(summary="Inspection measures for a level of the organisation you may see", tags=["measures"],
                   operation_id="measures_list",
                   parameters=PARAMETERS, responses=MeasuresSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        head, scope, period, as_of = self.context(request)
        counted = compute_all(scope, period, as_of)  # one query for the obligation measures; the daily cache
        results = [figure(m, counted[m.id]) for m in MEASURES]
        return respond(request, {**head, "results": results})


class MeasureDetail(MeasuresView):
    serializer_class = MeasureDetailSerializer

    @extend_schema(summary="One inspection measure: its definition and figure", tags=["measures"],
                   operation_id="measure_retrieve",
                   parameters=[OpenApiParameter("measure", OpenApiTypes.STR, OpenApiParameter.PATH,
                                                enum=list(MEASURE_BY_ID), description="The measure's id"),
                               *PARAMETERS],
                   responses=MeasureDetailSerializer)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = MEASURE_BY_ID.get(self.kwargs["measure"])
        if item is None:
            raise exceptions.NotFound(f"No measure {self.kwargs['measure']!r}.")
        head, scope, period, as_of = self.context(request)
        definition = {**figure(item, item.count(scope, period, as_of)), "counts": item.counts,
                      "numerator_counts": item.numerator, "denominator_counts": item.denominator,
                      "exclusions": item.exclusions, "period_rule": item.period, "rules": list(item.rules),
                      "reference": item.reference.as_dict() if item.reference else None}
        return respond(request, {**head, "measure": definition})
