"""The case page: the case's safety picture on one page, and the way into recording."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguard.accounts.access import can_record, can_void_event, recordable_event_types
from safeguard.audit.log import write_audit
from safeguard.timeline import schema
from safeguard.web import queries
from safeguard.web.case_links import case_links

QUICK_ACTIONS = ["contact", "note", "check_requested", "check_returned", "reviewed"]


@require_safe
@login_required
def case_page(request: HttpRequest, ref: str) -> HttpResponse:
    case = queries.visible_case(request.user, ref)
    if case is None:
        raise Http404("No such case")
    write_audit("case.viewed", user=request.user, case_ref=case.ref, object_type="case", object_id=str(case.pk))
    allowed = recordable_event_types(request.user, case, schema.EVENTS)
    context = {
        "case": case,
        **queries.case_overview(case, allowed=allowed, whole_timeline=request.GET.get("timeline") == "all"),
        "can_record": bool(allowed) or can_record(request.user, case),
        "can_void": can_void_event(request.user, case),
        "quick_actions": QUICK_ACTIONS,
        "saved": request.session.pop(f"web.saved.{case.pk}", None),
        "today": queries.today(),
        "tier": queries.case_tier(case, queries.today()),
        "case_links": case_links(request.user, case),
    }
    return render(request, "web/case.html", context)
