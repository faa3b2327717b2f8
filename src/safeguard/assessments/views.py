"""Pages for risk assessments, under /cases/<ref>/assessments/. Cases come only from
Case.objects.visible_to(user); changes go only through safeguard.assessments.service."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard import concurrency
from safeguard.accounts.access import can_record
from safeguard.assessments import content as c
from safeguard.assessments import service
from safeguard.assessments.checks import contradictions, sufficiency
from safeguard.assessments.diff import diff_contents
from safeguard.assessments.documents import Audience
from safeguard.assessments.forms import PlanDoneForm, ReturnForm
from safeguard.assessments.models import PlanAction, RiskAssessment
from safeguard.assessments.record import SERIOUS_FEATURES, history_items, people_to_consider, returned_checks
from safeguard.assessments.tier import tier_of
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.victims.redaction import ON_ENTRY, scrub_payload

BLANK_ROWS = 2


def _case(request: HttpRequest, ref: str) -> Case:
    case = Case.objects.visible_to(request.user).filter(ref=ref).select_related("unit", "practitioner").first()
    if case is None:
        raise Http404("No such case")
    return case


def _require_recording(request: HttpRequest, case: Case) -> None:
    """A read-only viewer of the case (head of unit, QA, integration) is refused (403), as on the other
    recording pages, rather than shown the service's refusal."""
    if not can_record(request.user, case):
        raise PermissionDenied("Only the case's practitioner or their senior probation officer can do this")


def _assessment(case: Case, pk: int) -> RiskAssessment:
    assessment = RiskAssessment.objects.filter(case=case, pk=pk).select_related("author", "countersigned_by").first()
    if assessment is None:
        raise Http404("No such assessment")
    return assessment


def _labels(case: Case, day: date) -> dict[str, dict[str, str]]:
    ctx = service.context_for(case, day)
    return {"people": {p.ref: p.description for p in people_to_consider(ctx.facts, day, ctx.names)},
            "history": {h.key: h.title for h in history_items(ctx.facts, day)},
            "sources": {k.key: k.title for k in returned_checks(ctx.facts, day)}}


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_list(request: HttpRequest, ref: str) -> HttpResponse:
    case = _case(request, ref)
    if request.method == "POST":
        if not can_record(request.user, case):
            raise Http404("No such case")
        try:
            assessment = service.start_assessment(case, request.user)
        except service.AssessmentError as exc:
            return _list_page(request, case, error=str(exc))
        return redirect("assessment-edit", ref=case.ref, pk=assessment.pk)
    return _list_page(request, case)


def _list_page(request: HttpRequest, case: Case, error: str = "", refused: PlanDoneForm | None = None,
               action_pk: int | None = None) -> HttpResponse:
    write_audit("case.viewed", user=request.user, case_ref=case.ref, object_type="case", object_id=str(case.pk),
                detail={"source": "assessments"})
    day = service.today()
    facts = service.facts_for(case)
    context = {"case": case, "assessments": RiskAssessment.objects.filter(case=case).select_related("author"),
               "tier": tier_of(facts, day), "plan": service.plan_obligations(case, day),
               "can_record": can_record(request.user, case), "error": error,
               "refused": (action_pk, refused.data.get("note", "")) if refused is not None else None}
    return render(request, "assessments/list.html", context, status=400 if refused is not None else 200)


@require_safe
@login_required
def assessment_detail(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    return _detail_page(request, ref, pk)


def _detail_page(request: HttpRequest, ref: str, pk: int, problems: list[str] | None = None) -> HttpResponse:
    """The assessment's page, also shown (with the problems) when a submit or countersign POST is refused."""
    case = _case(request, ref)
    assessment = _assessment(case, pk)
    write_audit("assessment.viewed", user=request.user, case_ref=case.ref, object_type="risk_assessment",
                object_id=str(assessment.pk))
    ctx = service.document_context(assessment)
    content = assessment.content()
    shown = _shown(request, case, content)
    labels = _labels(case, ctx.on)
    context = {
        "case": case, "assessment": assessment, "content": shown,
        "people": [(p, c.JUDGEMENTS.get(content["people"].get(p.ref, {}).get("judgement", ""), "Not considered"),
                    shown["people"].get(p.ref, {}).get("note", ""))
                   for p in people_to_consider(ctx.facts, ctx.on, ctx.names)],
        "history": history_items(ctx.facts, ctx.on),
        "checks": returned_checks(ctx.facts, ctx.on), "gaps": sufficiency(content, ctx),
        "contradictions": contradictions(content, ctx), "problems": problems or [],
        "versions": assessment.versions.select_related("by").order_by("-number"),
        "labels": labels, "c": c, "audiences": list(Audience),
        "probation_copy_refusal": service.probation_copy_refusal(assessment),
        "can_edit": assessment.editable and can_record(request.user, case),
        "can_countersign": assessment.status == "awaiting_countersignature"
        and service.may_countersign(request.user, assessment),
        "rosh_label": c.ROSH_LEVELS.get(content["rosh"], "Not set"),
        "rosh_meaning": c.ROSH_MEANING.get(content["rosh"], ""), "dash_threshold": ctx.dash_threshold,
    }
    return render(request, "assessments/detail.html", context)


def _shown(request: HttpRequest, case: Case, content: Any) -> Any:
    """An assessment's content (or a version's) as this user may see it on a page: the free text (notes, the
    summary, factors, the plan) with the case's never-disclose values withheld unless the user may see them."""
    return scrub_payload(content, case=case, user=request.user, channel="page") if content is not None else None


def _rows(post: QueryDict, prefix: str, fields: tuple[str, ...]) -> list[dict[str, str]]:
    indexes = sorted({int(k.split("-")[1]) for k in post if k.startswith(f"{prefix}-") and k.split("-")[1].isdigit()})
    return [{f: post.get(f"{prefix}-{i}-{f}", "") for f in fields} for i in indexes]


def content_from_post(post: QueryDict) -> dict[str, Any]:
    """The content a submitted edit form describes (normalised)."""
    people: dict[str, dict[str, str]] = {}
    history: dict[str, str] = {}
    explanations: dict[str, str] = {}
    for key in post:
        value = post.get(key, "")
        if key.startswith("person-") and key.endswith("-judgement"):
            ref = key[len("person-"):-len("-judgement")]
            people[ref] = {"judgement": value, "note": post.get(f"person-{ref}-note", "")}
        elif key.startswith("history-"):
            history[f"seq:{key[len('history-'):]}"] = value
        elif key.startswith("explain-"):
            explanations[f"contradiction:{key[len('explain-'):]}"] = value
    items = [i.strip() for i in post.get("dash_items", "").replace(";", ",").split(",") if i.strip()]
    return c.normalise({
        "people": people, "categories": post.getlist("category"), "abuse_note": post.get("abuse_note", ""),
        "history": history, "circumstances": {k: post.get(f"circumstance-{k}", "") for k in c.CIRCUMSTANCES},
        "risk_factors": _rows(post, "risk", ("factor", "evidence")),
        "protective_factors": _rows(post, "protective", ("factor", "evidence")),
        "rosh": post.get("rosh", ""), "rosh_rationale": post.get("rosh_rationale", ""),
        "sara_partner": post.get("sara_partner", ""), "sara_others": post.get("sara_others", ""),
        "dash_yes": post.get("dash_yes", ""), "dash_items": items, "sources": post.getlist("source"),
        "plan": _rows(post, "plan", ("action", "owner", "due_on", "person")), "summary": post.get("summary", ""),
        "explanations": explanations,
    })


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_edit(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    case = _case(request, ref)
    assessment = _assessment(case, pk)
    if not (assessment.editable and can_record(request.user, case)):
        return redirect("assessment-detail", ref=case.ref, pk=assessment.pk)
    stale = False
    errors: list[tuple[str, str]] = []
    shown: Any = None
    if request.method == "POST":
        content = content_from_post(request.POST)
        shown = _shown(request, case, content)
    if shown is not None and shown != content:
        errors = [("#main-content", ON_ENTRY)]  # nothing saved: the text again, the address taken out
    elif request.method == "POST":
        try:  # one transaction: the edit is claimed (optimistic concurrency) and saved, or neither
            with transaction.atomic():
                # Required: an edit without the token (an old page, a hand-made request) is refused like a stale one.
                concurrency.claim(assessment, request.POST.get(concurrency.FIELD, ""))
                service.save_draft(assessment, content, request.user)
        except concurrency.StaleEdit:
            stale = True
        else:
            if "submit" in request.POST:
                try:
                    service.submit(assessment, request.user)
                except service.SubmissionRefused as refused:
                    return _detail_page(request, ref, pk, problems=refused.problems)
            return redirect("assessment-detail", ref=case.ref, pk=assessment.pk)
    ctx = service.assessment_context(assessment)
    content = shown if errors else _shown(request, case, assessment.content())
    blank = {"factor": "", "evidence": ""}
    context = {
        "case": case, "assessment": assessment, "content": content, "c": c,
        "people": [(p, content["people"].get(p.ref, {})) for p in people_to_consider(ctx.facts, ctx.on, ctx.names)],
        "history": [(h, content["history"].get(h.key, ""), [SERIOUS_FEATURES[f] for f in h.features])
                    for h in history_items(ctx.facts, ctx.on)],
        "checks": returned_checks(ctx.facts, ctx.on),
        "circumstances": [(k, label, content["circumstances"].get(k, "")) for k, label in c.CIRCUMSTANCES.items()],
        "risk_rows": content["risk_factors"] + [blank] * BLANK_ROWS,
        "protective_rows": content["protective_factors"] + [blank] * BLANK_ROWS,
        "plan_rows": content["plan"] + [{"action": "", "owner": "", "due_on": "", "person": ""}] * BLANK_ROWS,
        "contradictions": [(f, f.code.split(":", 1)[1], content["explanations"].get(f.code, ""))
                           for f in contradictions(content, ctx)],
        "dash_items": ", ".join(str(i) for i in content["dash_items"]),
        "rosh_in_force": c.ROSH_LEVELS.get(ctx.previous_rosh or "", "not set"),
        "edit_token": concurrency.token(assessment),
        "stale_errors": [("#main-content", concurrency.STALE_MESSAGE)] if stale else errors,
    }
    return render(request, "assessments/edit.html", context, status=409 if stale else 400 if errors else 200)


@require_POST
@login_required
def assessment_submit(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    case = _case(request, ref)
    _require_recording(request, case)
    assessment = _assessment(case, pk)
    try:
        service.submit(assessment, request.user)
    except service.SubmissionRefused as refused:
        return _detail_page(request, ref, pk, problems=refused.problems)
    except service.AssessmentError as exc:
        return _detail_page(request, ref, pk, problems=[str(exc)])
    return redirect("assessment-detail", ref=case.ref, pk=assessment.pk)


@require_POST
@login_required
def assessment_countersign(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    case = _case(request, ref)
    _require_recording(request, case)
    assessment = _assessment(case, pk)
    try:
        service.countersign(assessment, request.user)
    except service.AssessmentError as exc:
        return _detail_page(request, ref, pk, problems=[str(exc)])
    return redirect("assessment-detail", ref=case.ref, pk=assessment.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def assessment_return(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    case = _case(request, ref)
    assessment = _assessment(case, pk)
    error = ""
    form = ReturnForm(request.POST if request.method == "POST" else None)
    form.guard(request.user, case)
    if request.method == "POST" and not form.is_valid():  # a never-disclose value: shown again, redacted
        error = " ".join(str(m) for m in form.errors.get("reason", []))
    elif request.method == "POST":
        try:
            service.return_for_changes(assessment, request.user, form.cleaned_data["reason"])
            return redirect("assessment-detail", ref=case.ref, pk=assessment.pk)
        except service.AssessmentError as exc:
            error = str(exc)
    if not service.may_countersign(request.user, assessment):
        raise Http404("No such assessment")
    return render(request, "assessments/return.html", {"case": case, "assessment": assessment, "error": error,
                                                       "reason": form.data.get("reason", "") if error else ""},
                  status=400 if form.errors else 200)


@require_safe
@login_required
def assessment_version(request: HttpRequest, ref: str, pk: int, number: int) -> HttpResponse:
    case = _case(request, ref)
    assessment = _assessment(case, pk)
    version = assessment.versions.filter(number=number).select_related("by").first()
    if version is None:
        raise Http404("No such version")
    previous = assessment.versions.filter(number__lt=number).order_by("-number").first()
    labels = _labels(case, service.document_context(assessment).on)
    lines = diff_contents(_shown(request, case, previous.content if previous else None),
                          _shown(request, case, version.content), **labels)
    write_audit("assessment.viewed", user=request.user, case_ref=case.ref, object_type="risk_assessment",
                object_id=str(assessment.pk), detail={"version": version.number})
    return render(request, "assessments/version.html", {"case": case, "assessment": assessment, "version": version,
                                                        "previous": previous, "lines": lines})


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@login_required
def assessment_pdf(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    case = _case(request, ref)
    assessment = _assessment(case, pk)
    try:
        audience = Audience(request.GET.get("audience", Audience.PRACTITIONER.value))
    except ValueError as exc:
        raise Http404("No such copy") from exc
    try:
        data = service.assessment_pdf(assessment, audience.value, user=request.user)
    except service.AssessmentError as exc:  # his copy from a draft or uncountersigned assessment: nothing made
        refused = _detail_page(request, ref, pk, problems=[str(exc)])
        refused.status_code = 409
        return refused
    write_audit("assessment.document", user=request.user, case_ref=case.ref, object_type="risk_assessment",
                object_id=str(assessment.pk), detail={"kind": audience.value, "format": "pdf"})
    return _pdf_response(data, f"{case.ref}-risk-assessment-{assessment.pk}-{audience.value}.pdf")


@require_safe
@login_required
def marac_pdf(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    case = _case(request, ref)
    assessment = _assessment(case, pk)
    write_audit("assessment.document", user=request.user, case_ref=case.ref, object_type="risk_assessment",
                object_id=str(assessment.pk), detail={"kind": "marac_referral", "format": "pdf"})
    return _pdf_response(service.marac_pdf(assessment, user=request.user),
                         f"{case.ref}-marac-referral-{assessment.pk}.pdf")


@require_POST
@login_required
def plan_action_done(request: HttpRequest, ref: str, action_pk: int) -> HttpResponse:
    case = _case(request, ref)
    _require_recording(request, case)
    action = PlanAction.objects.filter(case=case, pk=action_pk).first()
    if action is None:
        raise Http404("No such plan action")
    form = PlanDoneForm(request.POST)
    form.guard(request.user, case)
    if not form.is_valid():  # a never-disclose value in the note: shown again on the list, redacted
        return _list_page(request, case, error=ON_ENTRY, refused=form, action_pk=action.pk)
    try:
        service.complete_plan_action(action, request.user, form.cleaned_data["note"])
    except service.AssessmentError as exc:
        return _list_page(request, case, error=str(exc))
    if request.POST.get("return_to") == "case":  # marked done from the case page's Risk section
        return redirect(reverse("case", args=[case.ref]) + "#risk")
    return redirect("assessment-list", ref=case.ref)
