"""Workforce pages: team capacity (with the SPO oversight record) and an allocation recommendation for a case.

For SPOs and heads of unit (teams_overseen); the cases behind the figures still come from visible_to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.accounts.access import teams_overseen
from safeguard.cases.models import Case
from safeguard.workforce.allocation import advice
from safeguard.workforce.capacity import allocation_options, team_capacity, workload
from safeguard.workforce.models import Team
from safeguard.workforce.oversight import oversight_record
from safeguard.workforce.weighting import percent_text

OVERSIGHT_DAYS = 90


def _team(request: HttpRequest, team_id: str | None) -> tuple[Team, list[Team]]:
    teams = list(teams_overseen(request.user).order_by("name"))
    if not teams:
        raise PermissionDenied("Team capacity is for senior probation officers and heads of unit")
    chosen = next((t for t in teams if team_id and str(t.pk) == team_id), teams[0])
    return chosen, teams


@login_required
def capacity_page(request: HttpRequest) -> HttpResponse:
    team, teams = _team(request, request.GET.get("team"))
    today = timezone.localdate()
    load = workload()
    rows: list[dict[str, Any]] = []
    for row in team_capacity(team, today, load):
        pct, limit = row.percent, load.over_capacity_percent
        rows.append({"row": row, "percent": percent_text(pct), "over": pct is not None and pct > limit,
                     "near": pct is not None and 90 <= pct <= limit})
    cases = (Case.objects.visible_to(request.user).filter(practitioner__team=team, ended_on=None)
             .select_related("practitioner").order_by("ref"))
    context = {
        "team": team, "teams": teams, "today": today, "rows": rows, "cases": cases,
        "used": sum(r["row"].capacity.used for r in rows),
        "available": sum(r["row"].capacity.available for r in rows),
        "oversight": oversight_record(team, today - timedelta(days=OVERSIGHT_DAYS), today),
        "oversight_days": OVERSIGHT_DAYS,
    }
    context["team_percent"] = percent_text(100.0 * context["used"] / context["available"]) \
        if context["available"] else percent_text(None)
    return render(request, "workforce/capacity.html", context)


@login_required
def allocate_page(request: HttpRequest, ref: str) -> HttpResponse:
    case = Case.objects.visible_to(request.user).filter(ref=ref).select_related("practitioner").first()
    if case is None:
        raise Http404("No such case")
    default = str(case.practitioner.team_id) if case.practitioner and case.practitioner.team_id else None
    team, teams = _team(request, request.GET.get("team") or default)
    today = timezone.localdate()
    need, weight, options = allocation_options(case, team, today)
    context = {"case": case, "team": team, "teams": teams, "need": need, "weight": weight, "options": options,
               "advice": advice(options), "today": today}
    return render(request, "workforce/allocate.html", context)
