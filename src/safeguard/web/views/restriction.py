"""Restricting a case ("limited access"): the SPO of its team or the head of its unit sets or lifts it, with a
reason. Access: accounts.access.can_restrict (404 for anyone who cannot see the case, 403 for those who can
but may not restrict it); changes through safeguard.cases.restrictions, which validates and audits."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safeguard.accounts.access import can_restrict
from safeguard.cases.restrictions import (
    MODES,
    CaseRestriction,
    RestrictionError,
    active_restriction,
    lift_restriction,
    set_restriction,
)
from safeguard.web import queries


def person_label(user: Any) -> str:
    staff = getattr(user, "staff", None)
    profile = getattr(user, "profile", None)
    role = profile.get_role_display() if profile is not None else "no role"
    return f"{staff.name if staff is not None else user.username} ({role})"


def _candidates(case: Any) -> list[User]:
    """People who could be named: everyone with a role in the case's region (or no area: administrators)."""
    region = case.unit.region_id
    return list(User.objects.filter(is_active=True, profile__isnull=False)
                .filter(Q(profile__unit__region_id=region) | Q(profile__unit=None))
                .select_related("profile", "staff").order_by("username"))


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def restriction_page(request: HttpRequest, ref: str) -> HttpResponse:
    case = queries.visible_case(request.user, ref)
    if case is None:
        raise Http404("No such case")
    if not can_restrict(request.user, case):
        raise PermissionDenied("Only the case's senior probation officer or head of unit can restrict it")
    candidates = _candidates(case)
    errors: list[tuple[str, str]] = []
    posted: dict[str, Any] = {}
    if request.method == "POST":
        posted = {"mode": request.POST.get("mode", ""), "reason": request.POST.get("reason", ""),
                  "lift_reason": request.POST.get("lift_reason", ""),
                  "people": {p for p in request.POST.getlist("people") if p.isdigit()}}
        try:
            if request.POST.get("action") == "lift":
                current = active_restriction(case)
                if current is None:
                    raise RestrictionError("lift_reason", "This case is not restricted")
                lift_restriction(current, reason=posted["lift_reason"], user=request.user)
            else:
                by_id = {str(u.pk): u for u in candidates}
                unknown = posted["people"] - set(by_id)
                if unknown:
                    raise RestrictionError("people", "Choose people from the list")
                set_restriction(case, mode=posted["mode"], people=[by_id[p] for p in sorted(posted["people"])],
                                reason=posted["reason"], user=request.user)
        except RestrictionError as error:
            errors.append((f"#{error.field}", error.message))
        else:
            return redirect("case-restriction", ref=case.ref)
    current = active_restriction(case)
    history = CaseRestriction.objects.filter(case=case).select_related("set_by", "lifted_by").prefetch_related(
        "people__staff", "people__profile")
    return render(request, "web/restriction.html", {
        "case": case, "current": current, "history": history, "modes": MODES, "errors": errors,
        "posted": posted, "candidates": [(str(u.pk), person_label(u)) for u in candidates if u.pk != request.user.pk],
        "label": person_label,
    }, status=400 if errors else 200)
