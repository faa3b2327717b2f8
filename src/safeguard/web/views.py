"""Page views: thin. Access is decided by Case.objects.visible_to(user); changes go through actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safeguard.audit.log import write_audit
from safeguard.cases.models import CONCERN_RANK, Case
from safeguard.oversight.models import OPEN, Obligation


def home(request: HttpRequest) -> HttpResponse:
    return redirect("caseload" if request.user.is_authenticated else "login")


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    staff = getattr(request.user, "staff", None)
    cases = Case.objects.visible_to(request.user).select_related("practitioner")
    if staff is not None and request.GET.get("scope") != "team":
        cases = cases.filter(practitioner=staff)
    cases = cases.annotate(
        open_count=Count("obligations", filter=Q(obligations__status__in=OPEN)),
        overdue_count=Count("obligations", filter=Q(obligations__status="overdue")),
        first_due=Min("obligations__due", filter=Q(obligations__status__in=OPEN)),
    )
    rows = sorted(cases, key=lambda c: (-CONCERN_RANK[c.concern], c.first_due or c.created_at.date(), c.ref))
    return render(request, "web/caseload.html", {"cases": rows, "scope": request.GET.get("scope", "mine")})


@login_required
def case_page(request: HttpRequest, ref: str) -> HttpResponse:
    case = Case.objects.visible_to(request.user).select_related("unit", "practitioner").filter(ref=ref).first()
    if case is None:
        raise Http404("No such case")
    write_audit("case.viewed", user=request.user, case_ref=case.ref, object_type="case", object_id=str(case.pk))
    obligations = Obligation.objects.filter(case=case)
    context = {
        "case": case,
        "open_obligations": obligations.filter(status__in=OPEN).order_by("due"),
        "closed_obligations": obligations.filter(status__in=("done", "waived")).order_by("-closed_on")[:20],
        "people": case.people.order_by("added_on", "ref"),
        "events": case.events.order_by("-seq")[:200],
        "registers": case.registrations.filter(deregistered_on=None).order_by("code"),
    }
    return render(request, "web/case.html", context)
