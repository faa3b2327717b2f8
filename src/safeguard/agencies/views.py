"""Pages for partner-agency work. Thin: access from safeguard.accounts.access, changes through
safeguard.agencies.actions, sensitive text through safeguard.victims.redaction."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard import concurrency
from safeguard.accounts.access import (
    can_record,
    can_report_breach,
    can_see_victims,
    is_case_manager,
    requests_for_agency,
    role_of,
)
from safeguard.accounts.models import PARTNER_ROLES
from safeguard.agencies import actions, forms, throttle
from safeguard.agencies.actions import AgencyError
from safeguard.agencies.models import AgencyRequest, BreachReport, DisclosureConsideration, MaracAction, MaracReferral
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, CaseEvent, Control, ControlBreach
from safeguard.csvsafe import cell_text
from safeguard.oversight.service import today
from safeguard.practice.models import Assessment, MappaRecord, PoliceIncident
from safeguard.timeline.validate import TimelineError
from safeguard.victims.redaction import never_disclose_values, scrub, show


# -- finding things the user may see ----------------------------------------------------------------------------
def visible_case(request: HttpRequest, ref: str) -> Case:
    case = Case.objects.visible_to(request.user).filter(ref=ref).select_related("unit", "practitioner").first()
    if case is None:
        raise Http404("No such case")
    return case


def recordable_case(request: HttpRequest, ref: str) -> Case:
    case = visible_case(request, ref)
    if not can_record(request.user, case):
        raise PermissionDenied("Only the case's practitioner and their manager can do this")
    return case


def _on_visible_case(request: HttpRequest, queryset: QuerySet[Any], pk: int) -> Any:
    obj = queryset.filter(pk=pk, case__in=Case.objects.visible_to(request.user)).first()
    if obj is None:
        raise Http404("Not found")
    return obj


def _require_record(request: HttpRequest, case: Case) -> None:
    if not can_record(request.user, case):
        raise PermissionDenied("Only the case's practitioner and their manager can do this")


def _problem(exc: Exception) -> str:
    if isinstance(exc, TimelineError):
        return f"This could not be recorded on the case: {exc.problem}"
    return str(exc)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    case = context.get("case")
    # Every page that shows a case's partner-agency records is a read of the case, whatever the method that asked
    # for it (a HEAD, or a form shown again with its errors): it joins the case's access log (the partner queue
    # item writes its own entry).
    if isinstance(case, Case) and template != "queue_item.html":
        write_audit("case.viewed", user=request.user, case_ref=case.ref, object_type="case", object_id=str(case.pk),
                    detail={"source": "agencies", "kind": template.removesuffix(".html")})
    return render(request, f"agencies/{template}", context, status=status)


# -- where to start ---------------------------------------------------------------------------------------------
@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    role = role_of(request.user)
    if role in PARTNER_ROLES:
        return redirect("agencies:queue")
    if role == "victim_worker":
        return redirect("victims:list")
    cases = Case.objects.visible_to(request.user)
    wanted = request.GET.get("case", "").strip()
    if wanted:
        if cases.filter(ref=wanted).exists():
            return redirect("agencies:case", ref=wanted)
        return _page(request, "index.html", {"requests": [], "breaches": [], "not_found": wanted}, status=404)
    requests = (AgencyRequest.objects.filter(case__in=cases).exclude(status="used").select_related("case")
                .order_by("status", "sent_on", "id")[:200])
    breaches = BreachReport.objects.filter(case__in=cases).select_related("case")[:50]
    return _page(request, "index.html", {"requests": requests, "breaches": breaches})


# -- the partner agency's queue ---------------------------------------------------------------------------------
def _queue(request: HttpRequest) -> QuerySet[AgencyRequest]:
    if role_of(request.user) not in PARTNER_ROLES:
        raise PermissionDenied("The request queue is for partner agencies")
    return requests_for_agency(AgencyRequest.objects.select_related("case", "agency_check"), request.user)


@require_safe
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    items = list(_queue(request).order_by("returned_on", "sent_on", "id")[:500])
    for item in items:
        item.due = actions.chase_due_on(item)  # type: ignore[attr-defined]
    return _page(request, "queue.html", {"items": items})


def _people(item: AgencyRequest) -> list[Any]:
    source = item.agency_check.about if item.agency_check is not None else item.about
    return list(source.order_by("ref"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def queue_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _queue(request).filter(pk=pk).first()
    if item is None:
        raise Http404("Not in your queue")
    case = item.case
    form = forms.AnswerForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST" and item.is_open and form.is_valid():
        data = form.cleaned_data
        try:
            dates = actions.callout_dates(data["callout_dates"])
            answer = actions.Answer(callouts=data["callouts"], callout_dates=dates,
                                    children_known=forms.tri_state(data["children_known"]),
                                    child_protection=data["child_protection"],
                                    other_information=data["other_information"], summary=data["summary"])
            actions.answer_request(item, answer, user=request.user)
        except (AgencyError, TimelineError) as exc:
            problems.append(_problem(exc))
        else:
            return redirect("agencies:queue-item", pk=item.pk)
    elif request.method == "POST" and not item.is_open:
        problems.append("This request has already been answered.")
    write_audit("agency_request.viewed", user=request.user, case_ref=case.ref, object_type="agencyrequest",
                object_id=str(item.pk))
    values = never_disclose_values(case)
    context = {
        "item": item, "form": form, "problems": problems, "due": actions.chase_due_on(item),
        "subject": {"name": case.name or "Not recorded", "born": case.born},
        "people": _people(item),
        "addresses": [a for a in show(item.addresses, user=request.user, case=case, channel="page",
                                      sensitive=False).splitlines() if a.strip()],
        "question": scrub(item.question, case=case, user=request.user, channel="page", values=values),
        "answer": {"summary": scrub(item.summary, case=case, user=request.user, channel="page", values=values),
                   "other": scrub(item.other_information, case=case, user=request.user, channel="page",
                                  values=values)},
    }
    status = 400 if request.method == "POST" else 200
    return _page(request, "queue_item.html", context, status=status)


# -- breaches: anyone may report one --------------------------------------------------------------------------
DEFAULT_REPORTER = {"police": "police", "practitioner": "practitioner", "spo": "practitioner", "head": "practitioner",
                    "qa": "practitioner", "victim_worker": "victim", "csc": "other"}


BREACH_NOT_FOUND = ("We cannot find a case with that reference that you can report on. Check the reference, or "
                    "phone the probation office: a breach must be acted on today.")
BREACH_TOO_MANY = ("You have tried too many case references in the last hour, so this report was not sent. Phone "
                   "the probation office now: a breach must be acted on today.")


def _from_queue(request: HttpRequest, request_pk: str) -> bool:
    return request_pk.isdigit() and requests_for_agency(AgencyRequest.objects.all(), request.user)\
        .filter(pk=int(request_pk)).exists()


def _breach_case(request: HttpRequest, request_pk: str, case_ref: str) -> Case | None:
    if request_pk.isdigit():
        item = requests_for_agency(AgencyRequest.objects.all(), request.user).filter(pk=int(request_pk)).first()
        if item is not None:
            return item.case
    case = Case.objects.filter(ref=case_ref.strip(), archived_at=None).first() if case_ref.strip() else None
    if case is not None and can_report_breach(request.user, case):
        return case
    return None


def _guarded(form: forms.BreachForm, request: HttpRequest, case: Case) -> bool:
    """The breach's case is known only once the form is valid: check its text against that case's never-disclose
    values now (validated again), true when nothing is found."""
    form.guard(request.user, case)
    form.full_clean()
    return not form.errors


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def breach(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) is None:
        raise PermissionDenied("Your account has no role in Safeguard")
    source = request.POST if request.method == "POST" else request.GET
    request_pk = source.get("request", "")
    initial = {"reported_by": DEFAULT_REPORTER.get(role_of(request.user) or "", "other"),
               "case_ref": source.get("case", ""),
               "occurred_on": today().isoformat()}  # as a date input's value (YYYY-MM-DD), so it shows
    form = forms.BreachForm(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_reference = not _from_queue(request, request_pk)
        if by_reference and not throttle.take(request.user):
            throttle.audit_attempt(request.user, data["case_ref"], "rate_limited")
            problems.append(BREACH_TOO_MANY)
            return _page(request, "breach.html", {"form": form, "problems": problems, "request_pk": request_pk,
                                                  "from_queue": False}, status=429)
        case = _breach_case(request, request_pk, data["case_ref"])
        if by_reference and data["occurred_on"] <= today():
            throttle.audit_attempt(request.user, data["case_ref"], "not_found" if case is None else "found")
        if data["occurred_on"] > today():
            form.add_error("occurred_on", "The date cannot be in the future")
        elif case is None:
            problems.append(BREACH_NOT_FOUND)
        elif _guarded(form, request, case):
            try:
                report = actions.report_breach(case, control=data["control"], occurred_on=data["occurred_on"],
                                               description=data["description"], reported_by=data["reported_by"],
                                               user=request.user)
            except (AgencyError, TimelineError) as exc:
                problems.append(_problem(exc))
            else:
                return _page(request, "breach_done.html", {"report": report, "told": report.notified})
    status = 400 if request.method == "POST" else 200
    return _page(request, "breach.html", {"form": form, "problems": problems, "request_pk": request_pk,
                                          "from_queue": request_pk.isdigit()}, status=status)


# -- a case's partner-agency work -----------------------------------------------------------------------------
@require_safe
@login_required
def case_hub(request: HttpRequest, ref: str) -> HttpResponse:
    case = visible_case(request, ref)
    rows = list(AgencyRequest.objects.filter(case=case).select_related("area", "used_in"))
    for item in rows:
        item.due = actions.chase_due_on(item) if item.is_open else None  # type: ignore[attr-defined]
    values = never_disclose_values(case)
    controls = list(Control.objects.filter(case=case).prefetch_related("protects").order_by("-imposed_on", "-id"))
    context = {
        "case": case, "requests": rows, "can_record": can_record(request.user, case),
        "can_see_victims": can_see_victims(request.user, case),
        "marac": MaracReferral.objects.filter(case=case).prefetch_related("actions"),
        "mappa": MappaRecord.objects.filter(case=case).order_by("-on", "-id"),
        "controls": controls,
        "breaches": [(b, scrub(b.description.unseal(), case=case, user=request.user, channel="page", values=values)
                      if can_record(request.user, case) else "")
                     for b in BreachReport.objects.filter(case=case)],
        "recorded_breaches": ControlBreach.objects.filter(case=case).order_by("-on"),
        "considerations": actions.sync_considerations(case),
    }
    return _page(request, "case.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def request_new(request: HttpRequest, ref: str) -> HttpResponse:
    case = recordable_case(request, ref)
    agency = request.GET.get("agency", "police")
    form = forms.RequestForm(request.POST or None, initial={"agency": agency, "area": case.unit_id})
    form.set_people(case)
    form.guard(request.user, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            item = actions.draft_request(case, agency=data["agency"], question=data["question"],
                                         about=form.people(case), addresses=data["addresses"], area=data["area"],
                                         user=request.user)
        except AgencyError as exc:  # a never-disclose address: nothing saved, the error on its field
            form.add_error(exc.field, str(exc))
        else:
            return redirect("agencies:request", pk=item.pk)
    return _page(request, "request_form.html", {"case": case, "form": form, "title": "New request"},
                 status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item: AgencyRequest = _on_visible_case(request, AgencyRequest.objects.all(), pk)
    case = item.case
    _require_record(request, case)
    if item.status != "drafted":
        raise PermissionDenied("Only a draft can be changed")
    initial = {"agency": item.agency, "area": item.area_id, "about": [p.pk for p in item.about.all()],
               "addresses": show(item.addresses, user=request.user, case=case, channel="page", sensitive=False),
               "question": scrub(item.question, case=case, user=request.user, channel="page")}
    form = forms.RequestForm(request.POST or None, initial=initial)
    form.set_people(case)
    form.guard(request.user, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_draft(item, question=data["question"], about=form.people(case),
                                 addresses=data["addresses"], area=data["area"], user=request.user,
                                 edit_token=request.POST.get(concurrency.FIELD, ""))  # required: "" is stale
        except concurrency.StaleEdit:  # nothing saved: show their version (optimistic concurrency)
            item.refresh_from_db()
            initial = {"agency": item.agency, "area": item.area_id, "about": [p.pk for p in item.about.all()],
                       "addresses": show(item.addresses, user=request.user, case=case, channel="page",
                                         sensitive=False),
                       "question": scrub(item.question, case=case, user=request.user, channel="page")}
            form = forms.RequestForm(initial=initial)
            form.set_people(case)
            return _page(request, "request_form.html",
                         {"case": case, "form": form, "title": f"Change {item.ref}", "problems":
                          [concurrency.STALE_MESSAGE], "edit_token": concurrency.token(item)}, status=409)
        except AgencyError as exc:  # a never-disclose address: nothing saved, the error on its field
            form.add_error(exc.field, str(exc))
        else:
            return redirect("agencies:request", pk=item.pk)
    return _page(request, "request_form.html", {"case": case, "form": form, "title": f"Change {item.ref}",
                                                "edit_token": request.POST.get(concurrency.FIELD)
                                                or concurrency.token(item)},
                 status=400 if request.method == "POST" else 200)


def _request_context(request: HttpRequest, item: AgencyRequest, problems: list[str]) -> dict[str, Any]:
    case = item.case
    values = never_disclose_values(case)
    uses = [(e.pk, f"{'Assessment' if e.type == 'assessed' else 'Review'} of {e.on:%d %B %Y}")
            for e in actions.uses_for(item)]
    use_form = forms.UseForm()
    use_form.fields["event"].choices = uses  # type: ignore[attr-defined]
    return {
        "item": item, "case": case, "problems": problems, "can_record": can_record(request.user, case),
        "people": _people(item), "due": actions.chase_due_on(item) if item.is_open else None,
        "addresses": [a for a in show(item.addresses, user=request.user, case=case, channel="page",
                                      sensitive=False).splitlines() if a.strip()],
        "question": scrub(item.question, case=case, user=request.user, channel="page", values=values),
        "summary": scrub(item.summary, case=case, user=request.user, channel="page", values=values),
        "other": scrub(item.other_information, case=case, user=request.user, channel="page", values=values),
        "use_form": use_form if uses else None,
    }


@require_safe
@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item: AgencyRequest = _on_visible_case(request, AgencyRequest.objects.select_related("case", "area"), pk)
    return _page(request, "request.html", _request_context(request, item, []))


@require_POST
@login_required
def request_send(request: HttpRequest, pk: int) -> HttpResponse:
    item: AgencyRequest = _on_visible_case(request, AgencyRequest.objects.all(), pk)
    _require_record(request, item.case)
    try:
        actions.send_request(item, user=request.user)
    except (AgencyError, TimelineError) as exc:
        return _page(request, "request.html", _request_context(request, item, [_problem(exc)]), status=400)
    return redirect("agencies:request", pk=item.pk)


@require_POST
@login_required
def request_use(request: HttpRequest, pk: int) -> HttpResponse:
    item: AgencyRequest = _on_visible_case(request, AgencyRequest.objects.all(), pk)
    _require_record(request, item.case)
    event = CaseEvent.objects.filter(case=item.case, pk=request.POST.get("event") or 0).first()
    try:
        if event is None:
            raise AgencyError("Choose the assessment or review that used this answer.")
        actions.mark_used(item, event, user=request.user)
    except AgencyError as exc:
        return _page(request, "request.html", _request_context(request, item, [str(exc)]), status=400)
    return redirect("agencies:request", pk=item.pk)


def _cell(value: Any) -> str:
    return cell_text(value)  # formula-safe (safeguard.csvsafe)


@require_safe
@login_required
def requests_csv(request: HttpRequest, ref: str) -> HttpResponse:
    """The case's requests to partner agencies and their response times (formula-safe CSV)."""
    case = visible_case(request, ref)
    values = never_disclose_values(case)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="requests-{case.ref}.csv"'
    writer = csv.writer(response)
    writer.writerow(["request", "case", "agency", "area", "status", "sent", "chase due", "chased", "escalated",
                     "returned", "response working days", "call-outs", "used", "question", "answer"])
    for item in AgencyRequest.objects.filter(case=case).select_related("area").order_by("id"):
        writer.writerow([_cell(v) for v in (
            item.ref, case.ref, item.get_agency_display(), item.area.name, item.get_status_display(), item.sent_on,
            actions.chase_due_on(item) if item.is_open else "", item.chased_on, item.escalated_on, item.returned_on,
            item.response_working_days, item.callouts, item.used_on,
            scrub(item.question, case=case, user=request.user, channel="export", values=values),
            scrub(item.summary, case=case, user=request.user, channel="export", values=values))])
    write_audit("export.requests", user=request.user, case_ref=case.ref, object_type="case", object_id=str(case.pk),
                detail={"format": "csv"})
    return response


# -- MARAC and MAPPA --------------------------------------------------------------------------------------------
def _incidents_in_year(case: Case) -> int:
    since = today() - timedelta(days=365)
    return PoliceIncident.objects.filter(case=case, domestic=True, on__gt=since).count()


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def marac_new(request: HttpRequest, ref: str) -> HttpResponse:
    case = recordable_case(request, ref)
    latest = Assessment.objects.filter(case=case).exclude(dash_yes=None).order_by("-on", "-id").first()
    incidents = _incidents_in_year(case)
    initial = {"dash_yes": latest.dash_yes if latest else None, "incidents": incidents, "escalation": incidents >= 3}
    form = forms.MaracReferralForm(request.POST or None, initial=initial)
    form.guard(request.user, case)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = actions.refer_to_marac(case, dash_yes=data["dash_yes"], escalation=data["escalation"],
                                              incidents=data["incidents"], judgement=data["judgement"],
                                              reasons=data["reasons"], user=request.user)
        except (AgencyError, TimelineError) as exc:
            problems.append(_problem(exc))
        else:
            return redirect("agencies:marac", pk=referral.pk)
    return _page(request, "marac_form.html", {"case": case, "form": form, "problems": problems},
                 status=400 if request.method == "POST" else 200)


def _marac_context(request: HttpRequest, referral: MaracReferral, channel: str) -> dict[str, Any]:
    case = referral.case
    values = never_disclose_values(case)
    latest = Assessment.objects.filter(case=case).order_by("-on", "-id").first()
    people = [p for p in case.people.order_by("ref") if p.victim or p.current_partner
              or p.relationship in {"child", "partners_child", "partner", "ex_partner"}]
    return {
        "referral": referral, "case": case,
        "reasons": scrub(referral.judgement_reasons, case=case, user=request.user, channel=channel, values=values),
        "outcome": scrub(referral.outcome, case=case, user=request.user, channel=channel, values=values),
        "actions": [(a, scrub(a.text, case=case, user=request.user, channel=channel, values=values))
                    for a in referral.actions.all()],
        "assessment": latest,
        "analysis": scrub(latest.analysis if latest else "", case=case, user=request.user, channel=channel,
                          values=values),
        "incidents": PoliceIncident.objects.filter(case=case).order_by("-on")[:20],
        "people": people,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def marac_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral: MaracReferral = _on_visible_case(request, MaracReferral.objects.select_related("case"), pk)
    case = referral.case
    form = forms.HearingForm(request.POST or None, initial={"heard_on": today(), "register_imar": True})
    form.guard(request.user, case)
    problems: list[str] = []
    if request.method == "POST":
        _require_record(request, case)
        if form.is_valid():
            try:
                actions.record_hearing(referral, heard_on=form.cleaned_data["heard_on"],
                                       outcome=form.cleaned_data["outcome"], actions=form.actions(),
                                       register_imar=form.cleaned_data["register_imar"], user=request.user)
            except (AgencyError, TimelineError) as exc:
                problems.append(_problem(exc))
            else:
                return redirect("agencies:marac", pk=referral.pk)
    context = {**_marac_context(request, referral, "page"), "form": form, "problems": problems,
               "can_record": can_record(request.user, case)}
    return _page(request, "marac.html", context, status=400 if request.method == "POST" else 200)


@require_safe
@login_required
def marac_pack(request: HttpRequest, pk: int) -> HttpResponse:
    """The referral pack for the MARAC, from the case's latest assessment: a PDF with no contact details."""
    referral: MaracReferral = _on_visible_case(request, MaracReferral.objects.select_related("case"), pk)
    html = render_to_string("agencies/marac_pack.html", {**_marac_context(request, referral, "pdf"),
                                                         "today": today()})
    from weasyprint import HTML

    pdf = HTML(string=html).write_pdf()
    write_audit("export.marac_pack", user=request.user, case_ref=referral.case.ref, object_type="maracreferral",
                object_id=str(referral.pk), detail={"format": "pdf"})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="marac-referral-{referral.case.ref}.pdf"'
    return response


@require_POST
@login_required
def marac_action_done(request: HttpRequest, pk: int) -> HttpResponse:
    action = MaracAction.objects.filter(pk=pk, referral__case__in=Case.objects.visible_to(request.user)).first()
    if action is None:
        raise Http404("Not found")
    _require_record(request, action.referral.case)
    actions.complete_action(action, user=request.user)
    if request.POST.get("return_to") == "case":
        return redirect("case", ref=action.referral.case.ref)
    return redirect("agencies:marac", pk=action.referral_id)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def mappa(request: HttpRequest, ref: str) -> HttpResponse:
    case = recordable_case(request, ref)
    form = forms.MappaForm(request.POST or None, initial={"register": True})
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_mappa(case, category=form.cleaned_data["category"], level=form.cleaned_data["level"],
                                 register=form.cleaned_data["register"], user=request.user)
        except TimelineError as exc:
            problems.append(_problem(exc))
        else:
            return redirect("agencies:case", ref=case.ref)
    history = MappaRecord.objects.filter(case=case).order_by("-on", "-id")
    return _page(request, "mappa.html", {"case": case, "form": form, "problems": problems, "history": history},
                 status=400 if request.method == "POST" else 200)


# -- external controls -------------------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def control_new(request: HttpRequest, ref: str) -> HttpResponse:
    case = recordable_case(request, ref)
    form = forms.ControlForm(request.POST or None)
    form.set_people(case)
    form.guard(request.user, case)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            control = actions.impose_control(case, control=data["control"], protects=form.people(case),
                                             until=data["until"], terms=data["terms"], made_by=data["made_by"],
                                             reference=data["reference"], user=request.user)
        except TimelineError as exc:
            problems.append(_problem(exc))
        else:
            return redirect("agencies:control", pk=control.pk)
    return _page(request, "control_form.html", {"case": case, "form": form, "problems": problems},
                 status=400 if request.method == "POST" else 200)


@require_safe
@login_required
def control_detail(request: HttpRequest, pk: int) -> HttpResponse:
    control: Control = _on_visible_case(request, Control.objects.select_related("case"), pk)
    case = control.case
    terms = getattr(control, "terms", None)
    return _page(request, "control.html", {
        "control": control, "case": case, "terms": terms,
        "terms_text": show(terms.terms, user=request.user, case=case, channel="page", sensitive=False)
        if terms is not None else "",
        "breaches": ControlBreach.objects.filter(control=control).order_by("-on"),
    })


# -- Clare's Law -------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def disclosure(request: HttpRequest, pk: int) -> HttpResponse:
    item: DisclosureConsideration = _on_visible_case(
        request, DisclosureConsideration.objects.select_related("case", "person"), pk)
    case = item.case
    problems: list[str] = []
    step = request.POST.get("step", "")
    consider_form = forms.ConsiderForm(request.POST if step == "consider" else None, initial={
        "police_consulted": {True: "yes", False: "no"}.get(item.police_consulted, ""),  # type: ignore[arg-type]
        "considerations": scrub(item.considerations, case=case, user=request.user, channel="page"),
        "decision": item.decision, "reasons": scrub(item.reasons, case=case, user=request.user, channel="page")})
    consider_form.guard(request.user, case)
    disclosed_form = forms.DisclosedForm(request.POST if step == "disclosed" else None,
                                         initial={"scheme": "right_to_know"})
    if request.method == "POST":
        _require_record(request, case)
        try:
            if step == "consider" and consider_form.is_valid():
                data = consider_form.cleaned_data
                actions.consider(item, police_consulted=forms.tri_state(data["police_consulted"]),
                                 considerations=data["considerations"], decision=data["decision"],
                                 reasons=data["reasons"], user=request.user)
                return redirect("agencies:disclosure", pk=item.pk)
            if step == "disclosed" and disclosed_form.is_valid():
                actions.record_disclosed(item, scheme=disclosed_form.cleaned_data["scheme"], user=request.user)
                return redirect("agencies:disclosure", pk=item.pk)
            if step == "not_disclosed":
                if not is_case_manager(request.user, case):
                    raise PermissionDenied("A senior probation officer must confirm a decision not to disclose")
                actions.record_not_disclosed(item, user=request.user)
                return redirect("agencies:disclosure", pk=item.pk)
            if step not in {"consider", "disclosed"}:
                problems.append("Choose what to record.")
        except (AgencyError, TimelineError) as exc:
            problems.append(_problem(exc))
    values = never_disclose_values(case)
    return _page(request, "disclosure.html", {
        "item": item, "case": case, "problems": problems, "can_record": can_record(request.user, case),
        "is_manager": is_case_manager(request.user, case), "consider_form": consider_form,
        "disclosed_form": disclosed_form,
        "considerations": scrub(item.considerations, case=case, user=request.user, channel="page", values=values),
        "reasons": scrub(item.reasons, case=case, user=request.user, channel="page", values=values),
    }, status=400 if request.method == "POST" else 200)
