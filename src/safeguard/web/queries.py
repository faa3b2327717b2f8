"""What the pages read. Every query starts from Case.objects.visible_to(user): nothing here decides access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils import timezone

from safeguard.accounts.access import teams_overseen
from safeguard.cases.models import CONCERN_RANK, Case, LinkedPerson, Registration
from safeguard.oversight.models import OPEN, Obligation
from safeguard.policy.obligations import SAFEGUARDING_KINDS
from safeguard.practice.models import AgencyCheck, Assessment, Referral
from safeguard.timeline import schema
from safeguard.web import labels
from safeguard.web.eventforms import CaseChoices, Person
from safeguard.workforce.models import Staff, Team

CHILD_AGE = 18


def today() -> date:
    return timezone.localdate()


def visible_case(user: Any, ref: str) -> Case | None:
    return Case.objects.visible_to(user).select_related("unit", "practitioner__team").filter(ref=ref).first()


def age_on(born: date | None, day: date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def is_child(person: LinkedPerson, day: date) -> bool:
    age = age_on(person.born, day)
    return (age is not None and age < CHILD_AGE) or (age is None and person.relationship in {"child",
                                                                                            "partners_child"})


def person_label(person: LinkedPerson, day: date) -> str:
    words = [labels.value_label(person.relationship)]
    age = age_on(person.born, day)
    if age is not None:
        words.append(f"aged {age}")
    if person.victim:
        words.append("known victim")
    if person.lives_with_case:
        words.append("lives with him")
    return f"{person.name or person.ref} ({', '.join(words)})"


def staff_label(staff: Staff) -> str:
    return f"{staff.name} ({staff.grade})" if staff.name else f"{staff.code} ({staff.grade})"


# -- forms ----------------------------------------------------------------------------------------------
def choices_for(case: Case, user: Any, *, only_me: bool = False) -> CaseChoices:
    """The people and staff a form on this case may name (with `only_me`, the user alone: a manager's
    countersignature or decision is recorded in their own name)."""
    day = today()
    me: Staff | None = getattr(user, "staff", None)
    teams = {t for t in (getattr(me, "team_id", None), getattr(case.practitioner, "team_id", None)) if t}
    nearby = Q(team_id__in=teams, active=True) | Q(pk__in=[s.pk for s in (me, case.practitioner) if s])
    staff = [me] if only_me and me is not None else list(Staff.objects.filter(nearby).order_by("name", "code"))
    unit_staff = list(Staff.objects.filter(nearby | Q(team__unit_id=case.unit_id, active=True)).order_by("name",
                                                                                                        "code"))
    last = case.events.order_by("-seq").values_list("on", flat=True).first()
    return CaseChoices(
        people=[Person(p.ref, person_label(p, day)) for p in case.people.order_by("added_on", "ref")],
        staff=[(s.code, staff_label(s)) for s in staff],
        unit_staff=[(s.code, staff_label(s)) for s in unit_staff],
        me=me.code if me is not None else None,
        addresses=sorted(case.addresses.values_list("ref", flat=True)),
        last_on=last,
        today=day,
    )


def form_context(event_type: str, case: Case) -> dict[str, Any]:
    """What the person filling in a form should see beside it (the assessment they countersign, say)."""
    if event_type == "countersigned":
        waiting = (Assessment.objects.filter(case=case, countersigned_on=None).select_related("by")
                   .prefetch_related("victims_considered").order_by("-on").first())
        return {"assessment": waiting}
    if event_type == "check_returned":
        return {"open_checks": AgencyCheck.objects.filter(case=case, returned_on=None).order_by("requested_on")}
    return {}


# -- caseload -------------------------------------------------------------------------------------------
SORTS = {
    "concern": "Concern",
    "due": "Next due",
    "ref": "Case reference",
    "name": "Name",
}


@dataclass
class CaseloadFilters:
    scope: str = "mine"  # mine | all | team-<id>
    concern: str = ""
    overdue: bool = False
    register: str = ""
    sort: str = "concern"
    search: str = ""

    @classmethod
    def from_request(cls, params: Any, search: str, default_scope: str) -> CaseloadFilters:
        concern = params.get("concern", "")
        register = params.get("register", "")
        sort = params.get("sort", "concern")
        return cls(scope=params.get("scope") or default_scope,
                   concern=concern if concern in CONCERN_RANK else "",
                   overdue=params.get("overdue") == "1",
                   register=register if register in schema.REGISTER_CODES else "",
                   sort=sort if sort in SORTS else "concern",
                   search=search.strip())

    def is_narrowed(self) -> bool:
        return bool(self.concern or self.overdue or self.register or self.search)


@dataclass
class CaseloadRow:
    case: Case
    next_kind: str | None
    next_due: date | None
    next_status: str | None
    overdue_count: int
    registers: list[str] = field(default_factory=list)


def scope_options(user: Any) -> list[tuple[str, str]]:
    """Whose cases the caseload can show: the user's own, each team they can see, or everything visible."""
    options = [("mine", "My cases")] if getattr(user, "staff", None) is not None else []
    team_ids = (Case.objects.visible_to(user).exclude(practitioner__team=None)
                .values_list("practitioner__team_id", flat=True).distinct())
    for team in Team.objects.filter(pk__in=list(team_ids)).order_by("name"):
        options.append((f"team-{team.pk}", f"{team.name} team"))
    options.append(("all", "All cases I can see"))
    return options


def caseload(user: Any, filters: CaseloadFilters) -> list[CaseloadRow]:
    cases = Case.objects.visible_to(user).filter(ended_on=None).select_related("practitioner")
    staff = getattr(user, "staff", None)
    if filters.scope == "mine":
        cases = cases.filter(practitioner=staff) if staff is not None else cases.none()
    elif filters.scope.startswith("team-") and filters.scope[5:].isdigit():
        cases = cases.filter(practitioner__team_id=int(filters.scope[5:]))
    if filters.concern:
        cases = cases.filter(concern=filters.concern)
    if filters.register:
        cases = cases.filter(registrations__code=filters.register, registrations__deregistered_on=None)
    if filters.search:
        cases = cases.filter(Q(name__icontains=filters.search) | Q(ref__icontains=filters.search))
    first_open = Obligation.objects.filter(case=OuterRef("pk"), status__in=OPEN).order_by("due", "id")
    cases = cases.annotate(
        todo_kind=Subquery(first_open.values("kind")[:1]),
        todo_due=Subquery(first_open.values("due")[:1]),
        todo_status=Subquery(first_open.values("status")[:1]),
        overdue_count=Count("obligations", filter=Q(obligations__status="overdue"), distinct=True),
        concern_rank=_concern_rank(),
    ).prefetch_related(Prefetch("registrations", queryset=Registration.objects.filter(deregistered_on=None)
                                .order_by("code"), to_attr="active_registers"))
    if filters.overdue:
        cases = cases.filter(overdue_count__gt=0)
    order = {"concern": ["-concern_rank", "todo_due", "ref"], "due": ["todo_due", "-concern_rank", "ref"],
             "ref": ["ref"], "name": ["name", "ref"]}[filters.sort]
    cases = cases.order_by(*order)
    if filters.sort == "due":  # cases with nothing open last, not first
        rows = list(cases)
        rows.sort(key=lambda c: c.todo_due is None)  # type: ignore[attr-defined]
    else:
        rows = list(cases)
    return [CaseloadRow(case=c, next_kind=c.todo_kind, next_due=c.todo_due,  # type: ignore[attr-defined]
                        next_status=c.todo_status, overdue_count=c.overdue_count,  # type: ignore[attr-defined]
                        registers=[r.code for r in c.active_registers])  # type: ignore[attr-defined]
            for c in rows]


def _concern_rank() -> SqlCase:
    return SqlCase(*[When(concern=level, then=Value(rank)) for level, rank in CONCERN_RANK.items()],
                   default=Value(0), output_field=IntegerField())


# -- case page ------------------------------------------------------------------------------------------
TIMELINE_PAGE = 25


def case_overview(case: Case, *, allowed: set[str], whole_timeline: bool = False) -> dict[str, Any]:
    day = today()
    people = list(case.people.order_by("added_on", "ref"))
    obligations = Obligation.objects.filter(case=case)
    assessments = Assessment.objects.filter(case=case).select_related("by", "countersigned_by").order_by("-on", "-id")
    controls = case.controls.prefetch_related("protects").order_by("-imposed_on")
    events_qs = case.events.select_related("recorded_by__staff").order_by("-seq")
    events = list(events_qs if whole_timeline else events_qs[:TIMELINE_PAGE])
    return {
        "age": age_on(case.born, day),
        "victims": [p for p in people if p.victim],
        "children": [p for p in people if is_child(p, day) and not p.victim],
        "others": [p for p in people if not p.victim and not is_child(p, day)],
        "people_count": len(people),
        "open_obligations": with_actions(case, list(obligations.filter(status__in=OPEN).order_by("due", "id")),
                                         allowed),
        "closed_obligations": list(obligations.filter(status__in=("done", "waived"))
                                   .order_by("-closed_on", "-id")[:10]),
        "registers": list(case.registrations.filter(deregistered_on=None).order_by("code")),
        "assessment": assessments.first(),
        "controls": list(controls),
        "breaches": list(case.breaches.select_related("control", "protects").order_by("-on")),
        "checks": list(AgencyCheck.objects.filter(case=case).prefetch_related("about")
                       .order_by("-requested_on", "-returned_on", "-id")),
        "referrals": list(Referral.objects.filter(case=case).order_by("-referred_on", "-id")),
        "requirements": [r for s in case.sentences.prefetch_related("requirements").order_by("-start_on")
                         for r in s.requirements.all()],
        "sentence": case.sentences.order_by("-start_on", "-id").first(),
        "events": events,
        "staff_names": _staff_names(events),
        "event_count": case.events.count(),
        "current_address": case.residences.filter(to_on=None).select_related("address").first(),
    }


def with_actions(case: Case, open_obligations: list[Obligation], allowed: set[str]) -> list[Obligation]:
    """Give each obligation the forms (of the `allowed` event types) that would meet it (`actions`: event type
    and a query string of non-sensitive starting answers). A check already requested and not answered is
    chased, not re-requested."""
    awaiting = set(AgencyCheck.objects.filter(case=case, requested_on__isnull=False, returned_on=None)
                   .values_list("agency", flat=True))
    for obligation in open_obligations:
        actions = [(t, params) for t, params in labels.OBLIGATION_ACTIONS.get(obligation.kind, []) if t in allowed]
        if any(t == "check_requested" and params.get("agency") in awaiting for t, params in actions):
            actions = [(t, params) for t, params in actions if t != "check_requested"]
        obligation.actions = [(t, urlencode(params)) for t, params in actions]  # type: ignore[attr-defined]
    return open_obligations


def _staff_names(events: list[Any]) -> dict[str, str]:
    codes = {e.payload.get(f) for e in events for f in ("by", "practitioner") if isinstance(e.payload.get(f), str)}
    return {s.code: str(s) for s in Staff.objects.filter(code__in=codes)}


# -- team page ------------------------------------------------------------------------------------------
def team_for(user: Any, team_id: str | None) -> Team | None:
    teams = teams_overseen(user)
    if team_id and team_id.isdigit():
        return teams.filter(pk=int(team_id)).first()
    return teams.order_by("name").first()


def team_overview(user: Any, team: Team) -> dict[str, Any]:
    cases = Case.objects.visible_to(user).filter(practitioner__team=team, ended_on=None)
    open_obligations = (Obligation.objects.filter(case__in=cases, status__in=OPEN)
                        .select_related("case", "case__practitioner").order_by("due", "id"))
    by_concern = {level: 0 for level in CONCERN_RANK}
    for level, n in cases.values_list("concern").annotate(n=Count("id")):
        by_concern[level] = n
    overdue = [o for o in open_obligations if o.status == "overdue"]
    staff = (Staff.objects.filter(team=team, active=True)
             .annotate(caseload=Count("cases", filter=Q(cases__in=cases), distinct=True),
                       overdue=Count("cases__obligations", distinct=True,
                                     filter=Q(cases__in=cases, cases__obligations__status="overdue")))
             .order_by("name", "code"))
    return {
        "team": team,
        "teams": teams_overseen(user).order_by("name"),
        "case_count": cases.count(),
        "by_concern": [(level, by_concern[level]) for level in ("immediate", "serious", "watch", "none")],
        "urgent_cases": list(cases.filter(concern__in=("immediate", "serious")).select_related("practitioner")
                             .annotate(concern_rank=_concern_rank()).order_by("-concern_rank", "next_due", "ref")),
        "overdue_safeguarding": [o for o in overdue if o.kind in SAFEGUARDING_KINDS],
        "overdue_other": [o for o in overdue if o.kind not in SAFEGUARDING_KINDS],
        "escalations": [o for o in open_obligations if o.escalated_on is not None],
        "countersigning": [o for o in open_obligations if o.kind == "countersignature"],
        "waivers": list(Obligation.objects.filter(case__in=cases, status="waived").select_related("case")
                        .order_by("-closed_on")[:50]),
        "staff": list(staff),
        "overdue_actions": overdue_actions(cases, today()),
    }


def overdue_actions(cases: Any, day: date) -> list[dict[str, Any]]:
    """Overdue risk-plan actions and probation's MARAC actions on these cases: kept beside the engine's
    obligations (safeguard.assessments, safeguard.agencies), so listed here for the manager. No action text:
    it can hold what an SPO may not see, and the case page shows it scrubbed."""
    from safeguard.agencies.models import MaracAction
    from safeguard.assessments.models import PlanAction

    plan = (PlanAction.objects.filter(case__in=cases, status="open", due_on__lt=day)
            .select_related("case", "case__practitioner"))
    marac = (MaracAction.objects.filter(referral__case__in=cases, owner="probation", done_on=None, due_on__lt=day)
             .select_related("referral__case", "referral__case__practitioner"))
    rows = [{"case": a.case, "what": "Risk management plan action", "due": a.due_on} for a in plan]
    rows += [{"case": a.referral.case, "what": "MARAC action for probation", "due": a.due_on} for a in marac]
    return sorted(rows, key=lambda r: (r["due"], r["case"].ref))
