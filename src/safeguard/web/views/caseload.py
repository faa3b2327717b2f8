"""My caseload: every case with its concern, next obligation, RoSH and registers; filter, sort, search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from safeguard.accounts.access import role_of
from safeguard.cases.models import CONCERN_RANK, Case
from safeguard.timeline import schema
from safeguard.web import queries

# The search words are a name more often than not: they live in the session, never in the URL.
SEARCH_KEY = "web.caseload_search"


@require_safe
@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    default_scope = "mine" if getattr(request.user, "staff", None) is not None and role_of(request.user) != "spo" \
        else "all"
    filters = queries.CaseloadFilters.from_request(request.GET, request.session.get(SEARCH_KEY, ""), default_scope)
    visible = Case.objects.visible_to(request.user)  # built once: the rows and the scope menu both start here
    partial = bool(request.headers.get("HX-Request"))  # a filter changed: only the results are redrawn
    context = {
        "rows": queries.caseload(request.user, filters, visible),
        "filters": filters,
        "scopes": [] if partial else queries.scope_options(request.user, visible),
        "concerns": [c for c in reversed(list(CONCERN_RANK))],
        "register_codes": schema.REGISTER_CODES,
        "sorts": queries.SORTS,
        "today": queries.today(),
        "query": request.GET.urlencode(),
    }
    template = "web/_caseload_results.html" if partial else "web/caseload.html"
    return render(request, template, context)


@require_POST
@login_required
def caseload_search(request: HttpRequest) -> HttpResponse:
    words = "" if "clear" in request.POST else request.POST.get("search", "").strip()[:100]
    if words:
        request.session[SEARCH_KEY] = words
    else:
        request.session.pop(SEARCH_KEY, None)
    keep = request.POST.get("query", "")
    url = reverse("caseload")
    return redirect(f"{url}?{keep}" if keep and len(keep) < 500 else url)
