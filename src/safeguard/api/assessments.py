"""Read API for a case's domestic-abuse risk assessments:

    GET /api/v1/cases/{ref}/assessments/        the case's assessments, newest first
    GET /api/v1/cases/{ref}/assessments/{id}/   one assessment

Access is the case endpoints' (CaseScoped: Case.objects.visible_to, else 404; the `read` scope for tokens).
Like the rest of the API it speaks in refs and codes, never names: the checks run without the people's names,
and free text (a contradiction's explanation) has never-disclose details withheld (victims.redaction, "api").
The figures come from safeguard.assessments (service, checks, tier), as the pages and the PDF show them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers

from safeguard.api.views import REF, CaseScoped
from safeguard.assessments import service
from safeguard.assessments.checks import contradictions, sufficiency
from safeguard.assessments.models import STATUSES, RiskAssessment
from safeguard.assessments.tier import ORDER, tier_of
from safeguard.audit.log import write_audit
from safeguard.timeline.schema import ROSH, SARA
from safeguard.victims.redaction import never_disclose_values, scrub


class FindingSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField(help_text="Stable code, e.g. person:X1, check:11, history, contradiction:...")
    text = serializers.CharField(help_text="What is missing or contradictory, in words")
    rule8 = serializers.BooleanField(help_text="Policy rule 8 finds it too: the risk_assessment obligation "
                                               "stays open while it is missing")


class ContradictionSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    text = serializers.CharField()
    explanation = serializers.CharField(allow_blank=True, help_text="The author's explanation (empty if none)")


class TierStepSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField(help_text="The national tiering rules' step")
    tier = serializers.ChoiceField(choices=ORDER, allow_null=True, help_text="The tier this step gives, if any")
    reason = serializers.CharField()


class TierSerializer(serializers.Serializer[dict[str, Any]]):
    tier = serializers.ChoiceField(choices=ORDER)
    provisional = serializers.BooleanField()
    label = serializers.CharField(help_text="The tier, marked (provisional) when it is")  # type: ignore[assignment]
    steps = TierStepSerializer(many=True)
    explanation = serializers.ListField(child=serializers.CharField())


class AssessmentSerializer(serializers.Serializer[dict[str, Any]]):
    """One assessment as its latest version stands, with its checks and the case's tier on its day."""

    id = serializers.IntegerField()
    case = serializers.CharField(help_text="The case ref")
    status = serializers.ChoiceField(choices=[s for s, _ in STATUSES])
    version = serializers.IntegerField(help_text="The latest version's number (every save adds one)")
    author = serializers.CharField(help_text="Staff ref of the assessor")
    started_on = serializers.DateField()
    submitted_on = serializers.DateField(allow_null=True)
    countersignature_required = serializers.BooleanField()
    countersigned_by = serializers.CharField(allow_null=True, help_text="Staff ref of the countersigning SPO")
    final_on = serializers.DateField(allow_null=True)
    rosh = serializers.ChoiceField(choices=ROSH, allow_null=True, help_text="Risk of serious harm, null if not set")
    sara_partner = serializers.ChoiceField(choices=SARA, allow_null=True)
    sara_others = serializers.ChoiceField(choices=SARA, allow_null=True)
    dash_yes = serializers.IntegerField(allow_null=True, help_text="DASH checklist: number of yes answers")
    dash_threshold = serializers.IntegerField(help_text="The MARAC referral threshold in force")
    dash_meets_threshold = serializers.BooleanField()
    assessed_on = serializers.DateField(help_text="The day the checks and tier are worked out for: the "
                                                  "submission day, or today for a draft")
    sufficiency = FindingSerializer(many=True)
    contradictions = ContradictionSerializer(many=True)
    tier = TierSerializer()


def assessment_data(assessment: RiskAssessment, user: Any, values: list[str]) -> dict[str, Any]:
    """The assessment as the serializer shows it: checks without names, free text scrubbed for `user`."""
    case = assessment.case
    ctx = dataclasses.replace(service.document_context(assessment), names={})
    content = assessment.content()
    latest = assessment.latest()

    def clean(text: str) -> str:
        return scrub(text, case=case, user=user, channel="api", values=values)

    tier = tier_of(ctx.facts, ctx.on)
    dash = content["dash_yes"]
    return {
        "id": assessment.pk, "case": case.ref, "status": assessment.status,
        "version": latest.number if latest else 0, "author": assessment.author.code,
        "started_on": assessment.started_on, "submitted_on": assessment.submitted_on,
        "countersignature_required": assessment.countersignature_required,
        "countersigned_by": assessment.countersigned_by.code if assessment.countersigned_by else None,
        "final_on": assessment.final_on,
        "rosh": content["rosh"] or None, "sara_partner": content["sara_partner"] or None,
        "sara_others": content["sara_others"] or None, "dash_yes": dash, "dash_threshold": ctx.dash_threshold,
        "dash_meets_threshold": dash is not None and dash >= ctx.dash_threshold, "assessed_on": ctx.on,
        "sufficiency": [{"code": f.code, "text": clean(f.text), "rule8": f.rule8} for f in sufficiency(content, ctx)],
        "contradictions": [{"code": f.code, "text": clean(f.text),
                            "explanation": clean(content["explanations"].get(f.code, ""))}
                           for f in contradictions(content, ctx)],
        "tier": {"tier": tier.tier, "provisional": tier.provisional, "label": tier.label,
                 "steps": [{"name": s.name, "tier": s.tier, "reason": s.reason} for s in tier.steps],
                 "explanation": list(tier.explanation)},
    }


class _Assessments(CaseScoped):
    serializer_class = AssessmentSerializer

    def base(self) -> QuerySet[RiskAssessment]:
        return RiskAssessment.objects.filter(case=self.get_case()).select_related(
            "case", "author", "countersigned_by")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        """Serializes assessment_data() dicts rather than model instances."""
        if args and not self.fake():
            values = never_disclose_values(self.get_case())
            found = args[0]
            if kwargs.get("many"):
                args = ([assessment_data(a, self.request.user, values) for a in found], *args[1:])
            else:
                args = (assessment_data(found, self.request.user, values), *args[1:])
        return super().get_serializer(*args, **kwargs)


@extend_schema_view(get=extend_schema(summary="A case's domestic-abuse risk assessments", tags=["assessments"],
                                      parameters=[REF]))
class AssessmentList(_Assessments, generics.ListAPIView):  # type: ignore[type-arg]
    ordering_fields = ["started_on", "id"]
    ordering = ["-started_on", "-id"]

    def get_queryset(self) -> QuerySet[RiskAssessment]:
        if self.fake():
            return RiskAssessment.objects.none()
        return self.base()


@extend_schema(summary="One domestic-abuse risk assessment", tags=["assessments"],
               parameters=[REF, OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                                 description="The assessment's id")])
class AssessmentDetail(_Assessments, generics.RetrieveAPIView):  # type: ignore[type-arg]
    queryset = RiskAssessment.objects.none()

    def get_object(self) -> RiskAssessment:
        assessment = get_object_or_404(self.base(), pk=self.kwargs["pk"])
        write_audit("assessment.viewed", user=self.request.user, case_ref=assessment.case.ref,
                    object_type="risk_assessment", object_id=str(assessment.pk), detail={"source": "api"})
        return assessment
