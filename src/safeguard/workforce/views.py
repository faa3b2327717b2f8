"""Workforce pages: team capacity (with the SPO oversight record) and an allocation recommendation for a case.

For SPOs and heads of unit (teams_overseen); the cases behind the figures still come from visible_to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from safeguard.accounts.access import role_of, teams_overseen
from safeguard.cases.models import Case
from safeguard.interventions.forms import SupervisionForm
from safeguard.workforce.allocation import advice
from safeguard.workforce.capacity import allocation_options, team_capacity, workload
from safeguard.workforce.models import Staff, Team
from safeguard.workforce.oversight import OversightError, oversight_record, record_supervision
from safeguard.workforce.weighting import percent_text

OVERSIGHT_DAYS = 90


def _team(request: HttpRequest, team_id: str | None) -> tuple[Team, list[Team]]:
    teams = list(teams_overseen(request.user).order_by("name"))
    if not teams:
        raise PermissionDenied("Team capacity is for senior probation officers and heads of unit")
    chosen = next((t for t in teams if team_id and str(t.pk) == team_id), teams[0])
    return chosen, teams


def _posted(request: HttpRequest) -> Any:
    """The form data when the form was sent (even empty: an empty answer is an answer to check)."""
    return request.POST if request.method == "POST" else None

@require_safe
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
        "oversight_days": OVERSIGHT_DAYS, "can_supervise": role_of(request.user) in {"spo", "head"},
    }
    context["team_percent"] = percent_text(100.0 * context["used"] / context["available"]) \
        if context["available"] else percent_text(None)
    return render(request, "workforce/capacity.html", context)


@require_safe
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


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def supervision_page(request: HttpRequest) -> HttpResponse:
    """Record a supervision session with one of the team's practitioners (SPOs and heads of unit)."""
    team, teams = _team(request, request.GET.get("team"))
    if role_of(request.user) not in {"spo", "head"}:
        raise PermissionDenied("Only a senior probation officer or head of unit can record supervision")
    today = timezone.localdate()
    members = list(Staff.objects.filter(team=team, active=True).order_by("name", "code"))
    me = getattr(request.user, "staff", None)
    practitioners = [(s.pk, f"{s} ({s.grade})") for s in members if s.grade != "SPO" and s != me]
    spos = Staff.objects.filter(grade="SPO", active=True, team__unit_id=team.unit_id).order_by("name", "code")
    supervisors = [(s.pk, str(s)) for s in spos]
    cases = [(c.pk, f"{c.name or c.ref} ({c.ref}), {c.practitioner}") for c in
             Case.objects.visible_to(request.user).filter(practitioner__team=team, ended_on=None)
             .select_related("practitioner").order_by("ref")]
    initial = {"supervisor": str(me.pk)} if me is not None and me.grade == "SPO" else {}
    form = SupervisionForm(_posted(request), practitioners=practitioners, supervisors=supervisors, cases=cases,
                           today=today, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        practitioner = next(s for s in members if s.pk == data["practitioner"])
        supervisor = spos.get(pk=data["supervisor"])
        discussed = list(Case.objects.visible_to(request.user).filter(pk__in=data["cases"]))
        wrong = [c.ref for c in discussed if c.practitioner_id != practitioner.pk]
        try:
            if wrong:
                raise OversightError(f"Cases discussed must be {practitioner}'s: {', '.join(wrong)} "
                                     f"{'is' if len(wrong) == 1 else 'are'} held by someone else")
            record_supervision(practitioner, supervisor, user=request.user, on=data["held_on"],
                               minutes=data["minutes"], cases=discussed, notes=data["notes"],
                               next_on=data["next_on"])
        except (OversightError, PermissionDenied) as error:
            field = "cases" if wrong else ("next_on" if "next session" in str(error) else "supervisor")
            form.refuse(error, field)
        else:
            messages.success(request, f"Supervision with {practitioner} on {data['held_on']:%d %B %Y} recorded")
            return redirect(f"{reverse('workforce-capacity')}?team={team.pk}")
    back = f"{reverse('workforce-capacity')}?team={team.pk}"
    context = {"form": form, "title": "Record a supervision session", "submit": "Record the session",
               "back": back, "back_text": "Back to team capacity", "caption": team.name, "warning": False,
               "intro": "Management supervision with one of the team's practitioners: the cases you discussed and "
                        "what you decided. It appears in the team's oversight record.",
               "nothing": ""}
    return render(request, "interventions/form.html", context, status=400 if form.errors else 200)
