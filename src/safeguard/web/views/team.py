"""The team page for senior probation officers: where the team's cases need a manager."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from safeguard.web import queries


@require_safe
@login_required
def team_page(request: HttpRequest) -> HttpResponse:
    team = queries.team_for(request.user, request.GET.get("team"))
    if team is None:
        raise PermissionDenied("The team page is for senior probation officers and heads of unit")
    return render(request, "web/team.html", {**queries.team_overview(request.user, team), "today": queries.today()})
