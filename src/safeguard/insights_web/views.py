"""Insights pages: thin views. Scopes a user may open come from accounts.access.insight_scopes (via choosing),
cases from Case.objects.visible_to, numbers from safeguard.insights."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.accounts.access import can_audit_cases
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.insights.dashboard import PARTS, Part
from safeguard.insights.measures import MEASURE_BY_ID, Measure
from safeguard.insights_web import casesample, data, exports
from safeguard.insights_web.charts import percent
from safeguard.insights_web.choosing import Selection, choose
from safeguard.insights_web.models import ANSWERS, AuditedCase, AuditSample
from safeguard.victims.redaction import scrub

PDF_CHARTS = ("measures_chart", "concern_chart")


def _measure(request: HttpRequest) -> Measure:
    m = MEASURE_BY_ID.get(request.GET.get("measure", ""))
    if m is None:
        raise Http404("No such measure")
    return m


def _part(request: HttpRequest) -> Part:
    part = request.GET.get("part", "not_met")
    if part not in PARTS:
        raise Http404("No such part of a measure")
    return part  # type: ignore[return-value]


def _common(request: HttpRequest, sel: Selection, **extra: Any) -> dict[str, Any]:
    return {"sel": sel, "query": sel.query(), **extra}


EXPORT_LABELS = (("csv", "CSV"), ("xlsx", "Excel (XLSX)"), ("pdf", "PDF"))


def _export_links(name: str, query: str) -> list[tuple[str, str]]:
    return [(label, f"{reverse(f'insights_web:{name}-{fmt}')}?{query}") for fmt, label in EXPORT_LABELS]


# -- dashboard --------------------------------------------------------------------------------------------
@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    sel = choose(request)
    context = _common(request, sel, **data.dashboard(sel),
                      export_links=_export_links("export", sel.query()))
    return render(request, "insights_web/dashboard.html", context, status=400 if sel.errors else 200)


@require_safe
@login_required
def measure_page(request: HttpRequest) -> HttpResponse:
    sel = choose(request)
    m = _measure(request)
    context = _common(request, sel, **data.measure_page(m, sel), measure_query=sel.query(measure=m.id),
                      export_links=_export_links("measure-export", sel.query(measure=m.id)))
    return render(request, "insights_web/measure.html", context, status=400 if sel.errors else 200)


@require_safe
@login_required
def cases_page(request: HttpRequest) -> HttpResponse:
    sel = choose(request)
    m = _measure(request)
    part = _part(request)
    behind = data.cases_behind_number(m, part, sel, request.user, limit=data.PAGE_LIMIT)
    write_audit("insights.cases_listed", user=request.user, object_type="measure", object_id=m.id,
                detail={"kind": part, "scope": sel.scope_value, "count": len(behind["cases"])})
    context = _common(request, sel, **behind, parts=data.PART_WORDS, measure_query=sel.query(measure=m.id),
                      export_links=_export_links("cases-export", sel.query(measure=m.id, part=part)))
    return render(request, "insights_web/cases.html", context)


# -- exports ------------------------------------------------------------------------------------------------
def _about(sel: Selection) -> list[tuple[str, str]]:
    return [("Scope", sel.scope.label), ("Period", sel.period_words),
            ("Read on", f"{sel.as_of.day} {sel.as_of:%B %Y}")]


def _measures_table(rows: list[dict[str, Any]]) -> exports.Table:
    proportion = [r["value_is"] == "proportion" for r in rows]
    return exports.Table(
        "Measures",
        ["Group", "Measure", "Measure id", "Met (numerator)", "Counted (denominator)", "Percentage",
         "Average per practitioner", "National figure", "National figure year"],
        [[r["group"], r["title"], r["id"], r["numerator"], r["denominator"], r["value"] if p else None,
          None if p else r["value"], r["reference"]["value"] if r["reference"] else None,
          r["reference"]["year"] if r["reference"] else ""]
         for r, p in zip(rows, proportion, strict=True)],
        percent_columns=frozenset({5, 7}),
    )


def _trend_table(title: str, chart_rows: list[dict[str, Any]], reference: dict[str, Any] | None) -> exports.Table:
    return exports.Table(
        title[:60], ["Month", "Met (numerator)", "Counted (denominator)", "Value", "National figure"],
        [[p["label"], p["numerator"], p["denominator"], p["value"], reference["value"] if reference else None]
         for p in chart_rows],
        percent_columns=frozenset({3, 4}),
    )


def _dashboard_export(request: HttpRequest, sel: Selection, draw: bool) -> exports.Export:
    found = data.dashboard(sel, draw=draw)
    tables = [_measures_table(found["rows"])]
    for m, chart in found["trend_charts"]:
        tables.append(exports.Table(f"Trend: {m.title}"[:60], chart.headers, chart.rows))
    return exports.Export(
        f"Inspection measures: {sel.scope.label}", _about(sel), tables,
        charts=[found[name] for name in PDF_CHARTS] + [chart for _m, chart in found["trend_charts"]] if draw else [],
        notes=["Definitions of every measure: docs/measures.md, and each measure's page in Safeguard."])


def _measure_export(sel: Selection, m: Measure, draw: bool) -> exports.Export:
    found = data.measure_page(m, sel, draw=draw)
    result = found["result"]
    summary = exports.Table(m.title[:60], ["What", "Value"], [
        ["Met (numerator)", result["numerator"]], ["Counted (denominator)", result["denominator"]],
        ["Value", percent(result["value"], 1) if m.value_is == "proportion" else result["value"]],
        ["Numerator", m.numerator], ["Denominator", m.denominator], ["Exclusions", m.exclusions],
        ["Period", m.period],
        ["National figure", f"{percent(m.reference.value)} ({m.reference.year}): {m.reference.finding}"
         if m.reference else "None published"],
    ])
    tables = [summary]
    chart = found["trend_chart"]
    if not m.counter.snapshot:
        points = data.trend_points(m.id, sel)
        tables.append(_trend_table("Month by month", points, found["reference"]))
    return exports.Export(f"{m.title}: {sel.scope.label}", _about(sel), tables,
                          charts=[chart] if chart is not None else [])


def _cases_export(request: HttpRequest, sel: Selection, m: Measure, part: Part) -> exports.Export:
    behind = data.cases_behind_number(m, part, sel, request.user)
    table = exports.Table("Cases", ["Case reference", "Name", "Practitioner", "Delivery unit", "Concern",
                                    "What was counted"],
                          [[row.case.ref, row.case.name, str(row.case.practitioner or "Not allocated"),
                            str(row.case.unit), row.case.concern,
                            scrub("; ".join(row.counted), case=row.case, user=request.user, channel="export")]
                           for row in behind["cases"]])
    return exports.Export(f"{m.title}: cases {behind['part_words']}", _about(sel), [table],
                          notes=["Official-sensitive: personal information. Keep it within the service."])


@require_safe
@login_required
def export(request: HttpRequest, fmt: str, page: str) -> HttpResponse:
    """The dashboard (page "export"), a measure ("measure-export") or the cases behind a number
    ("cases-export") as CSV, XLSX or PDF."""
    if fmt not in exports.FORMATS:
        raise Http404("No such format")
    sel = choose(request)
    part: Part | None = None
    measure_id = ""
    if page == "export":
        made, name = _dashboard_export(request, sel, fmt == "pdf"), "insights"
    else:
        m = _measure(request)
        measure_id = m.id
        if page == "cases-export":
            part = _part(request)
            made, name = _cases_export(request, sel, m, part), f"{m.id}-cases-{part}"
        else:
            made, name = _measure_export(sel, m, fmt == "pdf"), m.id
    body = exports.render(made, fmt)
    write_audit("insights.exported", user=request.user, object_type="measure" if measure_id else "dashboard",
                object_id=measure_id, detail={"format": fmt, "scope": sel.scope_value, "rows": made.row_count,
                                              **({"kind": part} if part else {})})
    content_type, extension = exports.FORMATS[fmt]
    response = HttpResponse(body, content_type=content_type)
    stamp = sel.as_of.isoformat()
    response["Content-Disposition"] = f'attachment; filename="safeguard-{name}-{sel.scope_value}-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


# -- the case audit ------------------------------------------------------------------------------------------
def _auditor(request: HttpRequest) -> None:
    if not can_audit_cases(request.user):
        raise PermissionDenied("The case audit is for quality assurance staff")


def _sample(request: HttpRequest, pk: int) -> AuditSample:
    """A sample the auditor may open: one drawn in a scope they may still choose."""
    from safeguard.insights_web.choosing import scope_from_value

    _auditor(request)
    sample = get_object_or_404(AuditSample, pk=pk)
    if sample.scope_id is None or scope_from_value(request.user, f"{sample.scope_level}-{sample.scope_id}") is None:
        raise Http404("No such sample")
    return sample


class DrawForm(forms.Form):
    size = forms.IntegerField(min_value=1, max_value=casesample.MAX_SAMPLE, initial=casesample.DEFAULT_SAMPLE,
                              error_messages={"required": "Enter how many cases to sample",
                                              "invalid": "How many cases must be a whole number",
                                              "min_value": "Sample at least 1 case",
                                              "max_value": f"Sample at most {casesample.MAX_SAMPLE} cases"})
    seed = forms.IntegerField(required=False, min_value=0, max_value=10**12,
                              error_messages={"invalid": "The seed must be a whole number",
                                              "min_value": "The seed must be 0 or more",
                                              "max_value": "The seed must be at most 1000000000000"})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def samples(request: HttpRequest) -> HttpResponse:
    _auditor(request)
    sel = choose(request)
    form = DrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        sample = casesample.draw_sample(request.user, sel.scope, sel.period, size=form.cleaned_data["size"],
                                        seed=form.cleaned_data["seed"], as_of=sel.as_of)
        return redirect("insights_web:audit-sample", pk=sample.pk)
    mine = [s for s in AuditSample.objects.all()[:100] if s.scope_id is not None
            and _may_open(request.user, s)]
    errors = [(f"#{name}", str(e)) for name in ("size", "seed") for e in form.errors.get(name, [])]
    return render(request, "insights_web/samples.html", {**_common(request, sel), "form": form, "samples": mine,
                                                         "errors": errors + sel.errors,
                                                         "questions": casesample.QUESTIONS},
                  status=400 if errors else 200)


def _may_open(user: Any, sample: AuditSample) -> bool:
    from safeguard.insights_web.choosing import scope_from_value

    return scope_from_value(user, f"{sample.scope_level}-{sample.scope_id}") is not None


@require_safe
@login_required
def sample_page(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk)
    # Only the cases the user may see now (a case restricted since the draw drops out of their sample).
    audited = list(sample.cases.filter(case__in=Case.objects.visible_to(request.user))
                   .select_related("case", "case__practitioner", "answered_by"))
    verdicts = casesample.safeguard_verdicts([a.case_id for a in audited],
                                             _period(sample))
    answered = [a for a in audited if a.answered]
    table = casesample.agreement(audited, verdicts)
    redrawn, same_population = casesample.redraw(sample, request.user)
    return render(request, "insights_web/sample.html", {
        "sample": sample, "answered": len(answered),
        "audited": [(a, [(q, getattr(a, q.name), verdicts[a.case_id][q.name]) for q in casesample.QUESTIONS])
                    for a in audited],
        "agreement": table, "questions": casesample.QUESTIONS, "answers": ANSWERS,
        "verdict_names": [("yes", "Yes"), ("partly", "Partly"), ("no", "No"), (casesample.NOT_JUDGED, "Not judged")],
        "reproduced": redrawn == [a.case.ref for a in audited], "same_population": same_population,
    })


def _period(sample: AuditSample) -> Any:
    from safeguard.insights.scope import Period

    return Period(sample.period_start, sample.period_end)


class AnswerForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for q in casesample.QUESTIONS:
            self.fields[q.name] = forms.ChoiceField(choices=ANSWERS, widget=forms.RadioSelect,
                                                    error_messages={"required": f"Answer: {q.text.lower()}"})
            self.fields[f"{q.name}_comment"] = forms.CharField(required=False, max_length=4000,
                                                               widget=forms.Textarea)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def answer_case(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    sample = _sample(request, pk)
    audited = sample.cases.select_related("case").filter(case__ref=ref).first()
    if audited is None or not Case.objects.visible_to(request.user).filter(pk=audited.case_id).exists():
        raise Http404("No such case in this sample")
    initial = {q.name: getattr(audited, q.name) for q in casesample.QUESTIONS}
    initial.update({f"{q.name}_comment": getattr(audited, f"{q.name}_comment") for q in casesample.QUESTIONS})
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        casesample.save_answers(audited, form.cleaned_data, user=request.user)
        following = sample.cases.filter(position__gt=audited.position).select_related("case").first()
        if following is not None and "next" in request.POST:
            return redirect("insights_web:audit-case", pk=sample.pk, ref=following.case.ref)
        return redirect(reverse("insights_web:audit-sample", kwargs={"pk": sample.pk}) + "#agreement")
    # The page shows the case (also after a POST with errors, and to HEAD): the auditor's read joins its access log.
    write_audit("case.viewed", user=request.user, case_ref=audited.case.ref, object_type="case",
                object_id=str(audited.case_id), detail={"source": "audit_sample"})
    verdicts = casesample.safeguard_verdicts([audited.case_id], _period(sample))[audited.case_id]
    errors = [(f"#{name}", str(e)) for name, errs in form.errors.items() for e in errs]
    questions = [(q, form[q.name], form[f"{q.name}_comment"], verdicts[q.name]) for q in casesample.QUESTIONS]
    return render(request, "insights_web/audit_case.html", {
        "sample": sample, "audited": audited, "case": audited.case, "form": form, "questions": questions,
        "errors": errors, "answers": ANSWERS, "show_verdicts": audited.answered,
    }, status=400 if errors else 200)


__all__ = ["AuditedCase", "answer_case", "cases_page", "dashboard", "export", "measure_page", "sample_page",
           "samples"]
