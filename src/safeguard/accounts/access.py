"""The one place that decides which cases a user may see. Views and serializers never decide access."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from safeguard.cases.models import CaseQuerySet
    from safeguard.practice.models import AgencyCheck
    from safeguard.workforce.models import Team


def role_of(user: Any) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "profile", None)
    return profile.role if profile is not None else None


# -- restricted cases ("limited access"): safeguard.cases.restrictions.CaseRestriction -------------------------
def hidden_case_ids(user: Any) -> QuerySet[Any]:
    """Ids of the cases an active restriction keeps from this user: those excluding them by name, and those open
    only to people they are not among. Every rule below removes these, so an excluded user cannot tell the case
    exists (404 on its pages, absent from lists); aggregate figures may still count it."""
    from safeguard.cases.restrictions import CaseRestriction

    active = CaseRestriction.objects.filter(lifted_at=None)
    if not getattr(user, "is_authenticated", False):
        return active.values("case_id")
    # One EXISTS per mode rather than subqueries of subqueries: every page compiles this (decision 27).
    named = CaseRestriction.people.through.objects.filter(caserestriction_id=OuterRef("pk"), user_id=user.pk)
    return active.filter(Q(mode="exclude") & Exists(named) | Q(mode="only") & ~Exists(named)).values("case_id")


def without_hidden(queryset: Any, user: Any, case_field: str = "pk") -> Any:
    """A queryset without the rows whose case (through `case_field`) a restriction keeps from this user."""
    return queryset.exclude(**{f"{case_field}__in": hidden_case_ids(user)})


# Set on a case read through visible_cases for one user (safeguard.web.queries.visible_case): no restriction hid
# it from them then, so the page's other checks on that case object need not ask the database again.
_READ_AS_VISIBLE_BY = "_safeguard_read_as_visible_by"


def read_as_visible(case: Any, user: Any) -> Any:
    """Mark `case`, just read through Case.objects.visible_to(user), as not hidden from `user`."""
    setattr(case, _READ_AS_VISIBLE_BY, user.pk)
    return case


def is_hidden_from(user: Any, case: Any) -> bool:
    if getattr(user, "is_authenticated", False) and getattr(case, _READ_AS_VISIBLE_BY, None) == user.pk:
        return False
    return hidden_case_ids(user).filter(case_id=case.pk).exists()


def visible_cases(cases: CaseQuerySet, user: Any) -> CaseQuerySet:
    """Practitioners: their own and their team's cases. SPOs: their team's. Heads of unit: their unit.
    Quality assurance: their region. Partner agencies and administrators: none (they work through requests
    and user management)."""
    role = role_of(user)
    cases = without_hidden(cases.filter(archived_at=None), user)
    staff = getattr(user, "staff", None) if role else None
    if role in {"practitioner", "spo"} and staff is not None:
        return cases.filter(practitioner__in=_staff_seen_by(staff))
    if role == "head" and user.profile.unit_id is not None:
        return cases.filter(unit_id=user.profile.unit_id)
    if role == "qa" and user.profile.unit_id is not None:
        return cases.filter(unit__region_id=user.profile.unit.region_id)
    if role == "integration" and user.profile.unit_id is not None:
        return cases.filter(unit_id=user.profile.unit_id)  # another system feeding its unit's cases (API only)
    return cases.none()


def _staff_seen_by(staff: Any) -> QuerySet[Any]:
    """The staff whose cases a practitioner or SPO sees: their team (themselves among them), or only themselves.
    A semi-join that PostgreSQL answers from the practitioner index: "mine OR my team's", an OR across a join,
    scanned every case in the country."""
    from safeguard.workforce.models import Staff

    colleagues = Staff.objects.filter(team_id=staff.team_id) if staff.team_id else Staff.objects.filter(pk=staff.pk)
    return colleagues.values("pk")


def can_record(user: Any, case: Any) -> bool:
    """Who may record events on a case: its practitioner, and SPOs of the practitioner's team."""
    role = role_of(user)
    staff = getattr(user, "staff", None) if role else None
    if staff is None or role not in {"practitioner", "spo"}:
        return False
    if case.practitioner_id == staff.pk:
        return not is_hidden_from(user, case)
    return role == "spo" and case.practitioner is not None and case.practitioner.team_id == staff.team_id \
        and not is_hidden_from(user, case)


# Events only a manager may put on a case, and only in their own name: a countersignature or a decision
# (such as a waiver) recorded by anyone else would be a manager's signature they did not give.
MANAGER_EVENTS = frozenset({"countersigned", "manager_decision"})


def can_record_event(user: Any, case: Any, event_type: str) -> bool:
    """Whether a user may record this type of event on this case (can_record, and SPO-only events)."""
    if role_of(user) == "integration":
        return can_integrate(user, case) and event_type not in MANAGER_EVENTS
    if not can_record(user, case):
        return False
    return event_type not in MANAGER_EVENTS or role_of(user) == "spo"


def can_void_event(user: Any, case: Any) -> bool:
    """Whether a user may mark an event of this case as entered in error: whoever may record a manager decision on
    it (the SPO of its team; never an integration account, a head of unit or QA, who may only read it)."""
    return can_record_event(user, case, "manager_decision")


def recordable_event_types(user: Any, case: Any, types: Iterable[str]) -> set[str]:
    """The event types of `types` this user may record on this case: can_record_event for each, with can_record
    (a database read) decided once, as a page listing every type needs."""
    if role_of(user) == "integration":
        return {t for t in types if can_record_event(user, case, t)}
    if not can_record(user, case):
        return set()
    return {t for t in types if t not in MANAGER_EVENTS or role_of(user) == "spo"}


# -- integration accounts: another case-management system feeding Safeguard through the API ---------------------
def can_integrate(user: Any, case: Any) -> bool:
    """An integration account records events on the cases of its delivery unit (never a manager's decision or
    countersignature, never victims' records, partner queues or measures)."""
    return role_of(user) == "integration" and _in_unit(user, case)


def can_create_cases(user: Any, unit: Any) -> bool:
    """Creating a case (POST /api/v1/cases/): integration accounts, in their own delivery unit only."""
    return role_of(user) == "integration" and unit is not None and user.profile.unit_id == unit.pk


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


AGENCY_OF_ROLE = {"police": "police", "csc": "childrens_services"}


def checks_for_agency(checks: QuerySet[AgencyCheck], user: Any) -> QuerySet[AgencyCheck]:
    """Partner-agency users see the check requests addressed to their agency on cases in their area (their
    profile's delivery unit), and nothing else about those cases. Everyone else: none here."""
    agency = AGENCY_OF_ROLE.get(role_of(user) or "")
    if agency is None or user.profile.unit_id is None:
        return checks.none()
    # A request is addressed to an area (agencies.AgencyRequest.area, the case's unit unless the
    # practitioner chose another, as after a move); a check with no request record, the case's unit.
    unit = user.profile.unit_id
    return without_hidden(checks, user, "case_id").filter(agency=agency, case__archived_at=None).filter(
        Q(agency_request__area_id=unit) | Q(agency_request__isnull=True, case__unit_id=unit))


# -- partner agencies' requests, victims' records, breaches (safeguard.agencies, safeguard.victims) -----------
def _in_unit(user: Any, case: Any) -> bool:
    unit = user.profile.unit_id if role_of(user) else None
    return unit is not None and unit == case.unit_id and case.archived_at is None and not is_hidden_from(user, case)


def requests_for_agency(requests: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """A partner-agency user's queue (agencies.AgencyRequest): requests sent to their agency for their area.
    Drafts are never in it. Everyone else: none here."""
    agency = AGENCY_OF_ROLE.get(role_of(user) or "")
    if agency is None or user.profile.unit_id is None:
        return requests.none()
    requests = without_hidden(requests, user, "case_id")
    return requests.filter(agency=agency, area_id=user.profile.unit_id, case__archived_at=None).exclude(
        status="drafted")


def can_see_victims(user: Any, case: Any) -> bool:
    """Victims' and children's safety records: the case's practitioner, the SPO of the practitioner's team,
    and victim-facing workers in the case's delivery unit. Never partner agencies, heads of unit, quality
    assurance or administrators (they have no need, and the fewer who can read a refuge address the better)."""
    if can_record(user, case):
        return True
    return role_of(user) == "victim_worker" and _in_unit(user, case)


def victim_records_visible(records: QuerySet[Any], user: Any) -> QuerySet[Any]:
    """The victims.VictimRecord rows can_see_victims allows, as a query (for lists)."""
    role = role_of(user)
    staff = getattr(user, "staff", None) if role else None
    records = without_hidden(records.filter(case__archived_at=None), user, "case_id")
    if role == "victim_worker" and user.profile.unit_id is not None:
        return records.filter(case__unit_id=user.profile.unit_id)
    if role == "practitioner" and staff is not None:
        return records.filter(case__practitioner=staff)
    if role == "spo" and staff is not None:
        return records.filter(case__practitioner__in=_staff_seen_by(staff))
    return records.none()


# Where a never-disclose detail may appear: on screen only. Exports, PDFs, API responses and emails leave
# the service and can reach the perpetrator (a court bundle, a forwarded email), so they never carry one.
NEVER_DISCLOSE_CHANNELS = frozenset({"page"})


def can_reveal_never_disclose(user: Any, case: Any, channel: str) -> bool:
    """A detail marked never disclose (a refuge address): shown only on screen, and only to victim-facing
    workers in the case's unit; not to the perpetrator's practitioner or their manager."""
    return channel in NEVER_DISCLOSE_CHANNELS and role_of(user) == "victim_worker" and _in_unit(user, case)


def can_manage_never_disclose(user: Any, case: Any) -> bool:
    """Adding a detail marked never disclose (a refuge address), or removing one: victim-facing workers in the
    case's unit only. The perpetrator's practitioner and their manager may see that one exists, never change it:
    removing it would take its value out of every scrub and put the victim's whereabouts on their pages."""
    return role_of(user) == "victim_worker" and _in_unit(user, case)


def can_report_breach(user: Any, case: Any) -> bool:
    """Anyone may report a breach of a control: whoever can see the case, and partner agencies and
    victim-facing workers for cases in their area (they name the case by its reference or their request)."""
    role = role_of(user)
    if role is None or case.archived_at is not None:
        return False
    if visible_cases(type(case).objects.filter(pk=case.pk), user).exists():
        return True
    return role in {"police", "csc", "victim_worker"} and _in_unit(user, case)


def is_case_manager(user: Any, case: Any) -> bool:
    """The SPO who may make manager decisions on a case (a waiver, deciding not to disclose)."""
    return role_of(user) == "spo" and can_record(user, case)


def insight_scopes(user: Any) -> dict[str, QuerySet[Any]]:
    """The levels of the organisation whose inspection measures a user may open (safeguard.insights_web),
    keyed region, unit, team and practitioner: a practitioner their own; an SPO their team and its staff; a
    head of unit their unit, its teams and their staff; quality assurance their region and everything in it.
    Partner agencies, victim-facing workers and administrators: none. The cases behind any number are still
    listed through visible_cases."""
    from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

    role = role_of(user)
    staff = getattr(user, "staff", None) if role else None
    unit = user.profile.unit if role in {"head", "qa"} else None
    found: dict[str, QuerySet[Any]] = {"region": Region.objects.none(), "unit": DeliveryUnit.objects.none(),
                                       "team": Team.objects.none(), "practitioner": Staff.objects.none()}
    if role == "practitioner" and staff is not None:
        found["practitioner"] = Staff.objects.filter(pk=staff.pk)
    elif role == "spo" and staff is not None and staff.team_id is not None:
        found["team"] = Team.objects.filter(pk=staff.team_id)
        found["practitioner"] = Staff.objects.filter(team_id=staff.team_id)
    elif role == "head" and unit is not None:
        found["unit"] = DeliveryUnit.objects.filter(pk=unit.pk)
        found["team"] = Team.objects.filter(unit_id=unit.pk)
        found["practitioner"] = Staff.objects.filter(team__unit_id=unit.pk)
    elif role == "qa" and unit is not None:
        found["region"] = Region.objects.filter(pk=unit.region_id)
        found["unit"] = DeliveryUnit.objects.filter(region_id=unit.region_id)
        found["team"] = Team.objects.filter(unit__region_id=unit.region_id)
        found["practitioner"] = Staff.objects.filter(team__unit__region_id=unit.region_id)
    return found


def can_audit_cases(user: Any) -> bool:
    """The case-audit tool (drawing samples of cases and judging them as inspectors do): quality assurance."""
    return role_of(user) == "qa" and user.profile.unit_id is not None


def _sees(user: Any, case: Any) -> bool:
    return visible_cases(type(case).objects.filter(pk=case.pk), user).exists()


def can_restrict(user: Any, case: Any) -> bool:
    """Setting and lifting a case's restriction: the SPO of its team and the head of its unit (who can see it)."""
    return role_of(user) in {"spo", "head"} and _sees(user, case)


def can_see_case_access_log(user: Any, case: Any) -> bool:
    """A case's "who looked at this case" page: its team's SPO, the head of its unit and quality assurance for
    its region (each only while they can see the case). Not practitioners: it is a managers' check on them."""
    return role_of(user) in {"spo", "head", "qa"} and _sees(user, case)


def can_manage_users(user: Any) -> bool:
    """User management (safeguard.accounts.admin_views): administrators only. They manage users, not cases:
    visible_cases gives them none."""
    return role_of(user) == "admin"
