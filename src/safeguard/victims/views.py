"""Victims' and children's safety records. Access: safeguard.accounts.access.can_see_victims (404 for anyone
else, so a record's existence is not revealed); text through safeguard.victims.redaction."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from safeguard.accounts.access import can_manage_never_disclose, can_see_victims, role_of, victim_records_visible
from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case
from safeguard.csvsafe import cell_text
from safeguard.timeline.validate import TimelineError
from safeguard.victims import actions, forms
from safeguard.victims.models import ContactDetail, VictimRecord
from safeguard.victims.redaction import detail_text, show


def _case(request: HttpRequest, ref: str) -> Case:
    case = Case.objects.filter(ref=ref, archived_at=None).first()
    if case is None or not can_see_victims(request.user, case):
        raise Http404("No such case")
    return case


def _record(request: HttpRequest, pk: int) -> VictimRecord:
    record = VictimRecord.objects.select_related("case", "person").filter(pk=pk).first()
    if record is None or not can_see_victims(request.user, record.case):
        raise Http404("No such record")
    return record


@require_safe
@login_required
def record_list(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in {"victim_worker", "practitioner", "spo"}:
        raise PermissionDenied("Victims' safety records are for victim-facing workers and the case's practitioner")
    records = victim_records_visible(VictimRecord.objects.select_related("case", "person"), request.user)[:500]
    return render(request, "victims/list.html", {"records": records})


@require_safe
@login_required
def case_records(request: HttpRequest, ref: str) -> HttpResponse:
    case = _case(request, ref)
    records = actions.ensure_records(case)
    write_audit("victim.case_viewed", user=request.user, case_ref=case.ref, object_type="case",
                object_id=str(case.pk))
    return render(request, "victims/case.html", {"case": case, "records": records})


def _record_context(request: HttpRequest, record: VictimRecord, forms_: dict[str, Any],
                    problems: list[str] | None = None) -> dict[str, Any]:
    case, user = record.case, request.user
    details = [(d, detail_text(d, user=user, channel="page"), show(d.note, user=user, case=case, channel="page"))
               for d in record.details.filter(removed_at=None)]
    workers = [(w, show(w.phone, user=user, case=case, channel="page")) for w in record.workers.all()]
    contacts = [(c, show(c.plan, user=user, case=case, channel="page")) for c in record.contacts.all()]
    return {"record": record, "case": case, "person": record.person, "details": details, "workers": workers,
            "contacts": contacts, "problems": problems or [],
            "manages_never_disclose": can_manage_never_disclose(user, case), **forms_}


def _forms(data: Any = None, which: str = "") -> dict[str, Any]:
    return {"detail_form": forms.DetailForm(data if which == "detail" else None),
            "worker_form": forms.WorkerForm(data if which == "worker" else None),
            "contact_form": forms.SafetyContactForm(data if which == "contact" else None)}


@require_safe
@login_required
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    actions.viewed(record, request.user)
    return render(request, "victims/record.html", _record_context(request, record, _forms()))


def _post_record_form(request: HttpRequest, pk: int, which: str, record_with: Callable[..., object]) -> HttpResponse:
    """The record page's forms: validate the posted form named `which`, record it with the action `record_with`
    (which audits), and go back to the record; otherwise show the page again with the errors (400)."""
    record = _record(request, pk)
    found = _forms(request.POST, which)
    form = found[f"{which}_form"]
    if form.is_valid():
        try:
            record_with(record, user=request.user, **form.cleaned_data)
        except TimelineError as exc:  # only a safety contact goes on the case's record, which may refuse it
            form.add_error(None, f"This could not be recorded on the case: {exc.problem}")
        except actions.VictimRecordError as exc:  # a never-disclose detail from someone who may not add one
            form.add_error(exc.field, str(exc))
        else:
            return redirect("victims:record", pk=record.pk)
    return render(request, "victims/record.html", _record_context(request, record, found), status=400)


@require_POST
@login_required
def add_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_record_form(request, pk, "detail", actions.add_detail)


@require_POST
@login_required
def remove_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = ContactDetail.objects.select_related("record__case").filter(pk=pk, removed_at=None).first()
    if detail is None or not can_see_victims(request.user, detail.record.case):
        raise Http404("No such detail")
    try:
        actions.remove_detail(detail, user=request.user)
    except actions.VictimRecordError as exc:  # a never-disclose detail, and not a victim-facing worker
        return render(request, "victims/record.html",
                      _record_context(request, detail.record, _forms(), problems=[str(exc)]), status=403)
    return redirect("victims:record", pk=detail.record_id)


@require_POST
@login_required
def add_worker(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_record_form(request, pk, "worker", actions.add_worker)


@require_POST
@login_required
def add_contact(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_record_form(request, pk, "contact", actions.record_safety_contact)


@require_safe
@login_required
def access_log(request: HttpRequest, pk: int) -> HttpResponse:
    """Who opened or changed this record, and when (from the audit chain)."""
    record = _record(request, pk)
    entries = (AuditEntry.objects.filter(object_type="victim_record", object_id=str(record.pk))
               .select_related("user").order_by("-seq")[:500])
    write_audit("victim.access_log_viewed", user=request.user, case_ref=record.case.ref,
                object_type="victim_record", object_id=str(record.pk))
    return render(request, "victims/access_log.html", {"record": record, "case": record.case, "entries": entries})


def _cell(value: Any) -> str:
    return cell_text(value)  # formula-safe (safeguard.csvsafe)


@require_safe
@login_required
def case_export(request: HttpRequest, ref: str) -> HttpResponse:
    """The case's victims' safety summary as CSV: never-disclose details are withheld from every export."""
    case = _case(request, ref)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="safety-{case.ref}.csv"'
    writer = csv.writer(response)
    writer.writerow(["case", "person", "relationship", "kind", "detail", "note"])
    for record in actions.ensure_records(case):
        for d in record.details.filter(removed_at=None):
            writer.writerow([_cell(v) for v in (
                case.ref, record.person.ref, record.person.get_relationship_display(), d.get_kind_display(),
                detail_text(d, user=request.user, channel="export"),
                show(d.note, user=request.user, case=case, channel="export"))])
    write_audit("export.victims", user=request.user, case_ref=case.ref, object_type="case", object_id=str(case.pk),
                detail={"format": "csv"})
    return response
