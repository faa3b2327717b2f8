"""The one place that decides which cases a user may see. Views and serializers never decide access."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safeguard.cases.models import CaseQuerySet
    from safeguard.workforce.models import Team


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


def visible_cases(cases: CaseQuerySet, user: Any) -> CaseQuerySet:
    """Practitioners: their own and their team's cases. SPOs: their team's. Heads of unit: their unit.
    Quality assurance: their region. Partner agencies and administrators: none (they work through requests
    and user management)."""
    role = role_of(user)
    cases = cases.filter(archived_at=None)
    staff = getattr(user, "staff", None) if role else None
    if role in {"practitioner", "spo"} and staff is not None:
        if staff.team_id is None:
            return cases.filter(practitioner=staff)
        return cases.filter(Q(practitioner=staff) | Q(practitioner__team_id=staff.team_id))
    if role == "head" and user.profile.unit_id is not None:
        return cases.filter(unit_id=user.profile.unit_id)
    if role == "qa" and user.profile.unit_id is not None:
        return cases.filter(unit__region_id=user.profile.unit.region_id)
    return cases.none()


def can_record(user: Any, case: Any) -> bool:
    """Who may record events on a case: its practitioner, and SPOs of the practitioner's team."""
    role = role_of(user)
    staff = getattr(user, "staff", None) if role else None
    if staff is None or role not in {"practitioner", "spo"}:
        return False
    if case.practitioner_id == staff.pk:
        return True
    return role == "spo" and case.practitioner is not None and case.practitioner.team_id == staff.team_id


# Events only a manager may put on a case, and only in their own name: a countersignature or a decision
# (such as a waiver) recorded by anyone else would be a manager's signature they did not give.
MANAGER_EVENTS = frozenset({"countersigned", "manager_decision"})


def can_record_event(user: Any, case: Any, event_type: str) -> bool:
    """Whether a user may record this type of event on this case (can_record, and SPO-only events)."""
    if not can_record(user, case):
        return False
    return event_type not in MANAGER_EVENTS or role_of(user) == "spo"


def teams_overseen(user: Any) -> QuerySet[Team]:
    """Teams whose oversight pages (overdue work, countersigning, waivers) a user may open: an SPO their own
    team, a head of unit every team in their unit. The cases on those pages still come from visible_cases."""
    from safeguard.workforce.models import Team

    role = role_of(user)
    staff = getattr(user, "staff", None) if role else None
    if role == "spo" and staff is not None and staff.team_id is not None:
        return Team.objects.filter(pk=staff.team_id)
    if role == "head" and user.profile.unit_id is not None:
        return Team.objects.filter(unit_id=user.profile.unit_id)
    return Team.objects.none()
