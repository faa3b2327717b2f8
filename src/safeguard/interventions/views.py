"""Interventions pages: the programme queue and waiting list, a referral and its next steps, a case's
eligibility, and a course. Access comes from Case.objects.visible_to; every change goes through the service."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.accounts.access import role_of
from safeguard.cases.models import Case
from safeguard.interventions import lifecycle, queries, service
from safeguard.interventions.catalogue import CATALOGUE, EXCLUSIONS, intervention
from safeguard.interventions.models import Cohort
from safeguard.limits import TEXT_MAX
from safeguard.timeline.validate import TimelineError
from safeguard.victims.forms import NeverDiscloseMixin

STAFF_ROLES = frozenset({"practitioner", "spo", "head", "qa"})


def _staff_only(request: HttpRequest) -> str:
    role = role_of(request.user)
    if role not in STAFF_ROLES:
        raise PermissionDenied("The interventions pages are for probation staff")
    return str(role)


class ChangeForm(NeverDiscloseMixin, forms.Form):
    to_status = forms.ChoiceField(choices=[(s.code, s.label) for s in lifecycle.STATUSES])
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(required=False, max_length=30)
    note = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    cohort = forms.IntegerField(required=False)
    intervention = forms.CharField(required=False, max_length=40)


class ReferForm(forms.Form):
    intervention = forms.ChoiceField(choices=[(i.code, i.name) for i in CATALOGUE])
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class CancelForm(forms.Form):
    reason = forms.ChoiceField(choices=[(r, r.replace("_", " ")) for r in Cohort.CANCEL_REASONS])
    on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


def _form_errors(form: forms.Form) -> list[str]:
    return [f"{field}: {' '.join(str(m) for m in messages_)}" for field, messages_ in form.errors.items()]


def _words(code: str) -> str:
    return code.replace("_", " ")


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    today = service.today()
    found = queries.gaps(request.user, today)
    context: dict[str, Any] = {
        "today": today,
        "waiting": [{"wait": w, "days": w.waiting_days(today), "weeks": w.waiting_weeks(today)}
                    for w in queries.waiting_list(request.user, today)],
        "gaps": [{"key": key, "title": queries.GAP_REASONS[key], "rows": rows} for key, rows in found.items()],
        "gap_count": sum(len(rows) for rows in found.values()),
        "cohorts": queries.cohorts_for(queries.units_of(request.user)),
        "can_set_up": role_of(request.user) in lifecycle.PLACES,
    }
    return render(request, "interventions/queue.html", context)


def _referral(request: HttpRequest, pk: int) -> Any:
    referral = queries.referral_for(request.user, pk)
    if referral is None:
        raise Http404("No such referral")
    return referral


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def referral_page(request: HttpRequest, pk: int) -> HttpResponse:
    role = _staff_only(request)
    referral = _referral(request, pk)
    errors: list[str] = []
    if request.method == "POST":
        form = ChangeForm(request.POST)
        form.guard(request.user, referral.case)
        if form.is_valid():
            data = form.cleaned_data
            cohort = None
            if data["cohort"]:
                cohort = Cohort.objects.filter(pk=data["cohort"], unit_id__in=queries.units_of(request.user)).first()
                if cohort is None:
                    errors.append("Choose a course from the list")
            if not errors:
                try:
                    service.change_status(referral, data["to_status"], user=request.user, on=data["on"],
                                          reason=data["reason"], note=data["note"], cohort=cohort,
                                          intervention=data["intervention"])
                except (lifecycle.TransitionError, TimelineError) as error:
                    errors.append(str(error))
                else:
                    messages.success(request, f"Recorded: {lifecycle.status(data['to_status']).label.lower()}")
                    return redirect("interventions-referral", pk=referral.pk)
        else:
            errors += _form_errors(form)
        referral = _referral(request, pk)
    today = service.today()
    wait = queries.wait_of(referral)
    steps = []
    for t in lifecycle.allowed_from(referral.status, role):
        step: dict[str, Any] = {"t": t, "reasons": [(r, _words(r)) for r in t.reasons]}
        if t.to_status == "scheduled":
            step["cohorts"] = [c for c in queries.cohorts_for(queries.units_of(request.user))
                               if c.programme == referral.programme
                               and (not referral.intervention or c.intervention == referral.intervention)]
        if t.to_status == "assessed_suitable":
            step["interventions"] = [i for i in CATALOGUE if i.programme == referral.programme]
        steps.append(step)
    context = {
        "referral": referral, "case": referral.case, "name": queries.intervention_name(referral),
        "status": lifecycle.status(referral.status) if referral.status in lifecycle.STATUS_CODES else None,
        "wait": wait, "waiting_days": wait.waiting_days(today), "history": list(referral.transitions.all()),
        "steps": steps, "errors": errors, "today": today,
        "needs_decision": referral.status == "assessed_not_suitable" and service.rule16_open(referral),
        "can_decide": role == "spo",
    }
    return render(request, "interventions/referral.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def case_page(request: HttpRequest, ref: str) -> HttpResponse:
    role = _staff_only(request)
    case = Case.objects.visible_to(request.user).filter(ref=ref).first()
    if case is None:
        raise Http404("No such case")
    errors: list[str] = []
    if request.method == "POST":
        form = ReferForm(request.POST)
        if form.is_valid():
            try:
                referral = service.refer(case, form.cleaned_data["intervention"], user=request.user,
                                         on=form.cleaned_data["on"])
            except (lifecycle.TransitionError, TimelineError) as error:
                errors.append(str(error))
            else:
                messages.success(request, f"Referred to {intervention(referral.intervention).name}")
                return redirect("interventions-referral", pk=referral.pk)
        else:
            errors += _form_errors(form)
    today = service.today()
    results = queries.case_eligibility(case, today)
    context = {
        "case": case, "today": today, "results": results, "errors": errors,
        "exclusions": [(e, e.code in service.active_exclusions(case, today)) for e in EXCLUSIONS],
        "referrals": [queries.wait_of(r) for r in case.referrals.prefetch_related("transitions")
                      .order_by("-referred_on", "-id")],
        "can_refer": role in lifecycle.find(lifecycle.START, "referred").roles,
        "eligible": [r.intervention for r in results if r.eligible],
        "factors": list(case.suitability_factors.filter(ended_on=None)),
    }
    return render(request, "interventions/case.html", context, status=400 if errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def course_page(request: HttpRequest, pk: int) -> HttpResponse:
    role = _staff_only(request)
    cohort = queries.cohorts_for(queries.units_of(request.user), include_closed=True).filter(pk=pk).first()
    if cohort is None:
        raise Http404("No such course")
    errors: list[str] = []
    affected: list[service.Affected] | None = None
    if request.method == "POST":
        form = CancelForm(request.POST)
        if not form.is_valid():
            errors += _form_errors(form)
        else:
            try:
                affected = service.cancel_cohort(cohort, reason=form.cleaned_data["reason"], user=request.user,
                                                 on=form.cleaned_data["on"])
            except (lifecycle.TransitionError, TimelineError) as error:
                errors.append(str(error))
        cohort = queries.cohorts_for([cohort.unit_id], include_closed=True).get(pk=pk)
    today: date = service.today()
    visible = set(Case.objects.visible_to(request.user).values_list("pk", flat=True))
    places = queries.attendance(cohort, today)
    context = {
        "cohort": cohort, "today": today, "errors": errors, "affected": affected,
        "places": [p for p in places if p.enrolment.referral.case_id in visible],
        "hidden_places": sum(1 for p in places if p.enrolment.referral.case_id not in visible),
        "sessions": list(cohort.sessions.all()),
        "can_cancel": role in lifecycle.PLACES and cohort.state in {"planned", "running"},
        "can_book": role in lifecycle.PLACES and cohort.state in {"planned", "running"},
        "cancel_reasons": [(r, _words(r)) for r in Cohort.CANCEL_REASONS],
    }
    return render(request, "interventions/course.html", context, status=400 if errors else 200)
