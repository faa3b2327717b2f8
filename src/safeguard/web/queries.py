"""What the pages read. Every query starts from Case.objects.visible_to(user): nothing here decides access."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypedDict
from urllib.parse import quote, urlencode

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from safeguard.accounts.access import read_as_visible, teams_overseen
from safeguard.assessments.tier import TIER_EVENT_TYPES, TierResult, tier_of
from safeguard.cases.models import CONCERN_RANK, Case, LinkedPerson, Registration
from safeguard.oversight.models import OPEN, Obligation
from safeguard.oversight.service import events_for
from safeguard.policy.facts import CaseFacts
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
    case = Case.objects.visible_to(user).select_related("unit", "practitioner__team").filter(ref=ref).first()
    return read_as_visible(case, user) if case is not None else None


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
    last = case.events_in_force().order_by("-seq").values_list("on", flat=True).first()
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


class CaseloadRow(TypedDict):
    """One case as the caseload shows it, its words ready to print: plain values, not a model instance (a
    caseload is dozens to thousands of rows; a dict is also the quickest thing for a template to read)."""
    ref: str
    name: str
    href: str
    concern: str
    rosh: str  # its label, or "Not assessed"
    practitioner: str | None
    next_label: str | None  # what is to be done next, in words
    next_due: str  # "5 January 2026"
    next_status: str | None
    overdue_count: int
    registers: list[tuple[str, str]]  # code, name


def case_hrefs() -> Callable[[str], str]:
    """reverse("case", args=[ref]) for many refs at the cost of one reverse (the caseload links every case)."""
    before, after = reverse("case", args=["-"]).rsplit("-", 1)
    return lambda ref: f"{before}{quote(ref, safe=_URL_SAFE)}{after}"


_URL_SAFE = "!$&'()*+,;=/~:@"  # as django.urls.reverse quotes a path argument


def scope_options(user: Any, visible: Any = None) -> list[tuple[str, str]]:
    """Whose cases the caseload can show: the user's own, each team they can see, or everything visible."""
    options = [("mine", "My cases")] if getattr(user, "staff", None) is not None else []
    visible = Case.objects.visible_to(user) if visible is None else visible
    teams = (Team.objects.filter(pk__in=visible.exclude(practitioner__team=None).values("practitioner__team_id"))
             .order_by("name").values_list("pk", "name"))
    options += [(f"team-{pk}", f"{name} team") for pk, name in teams]
    options.append(("all", "All cases I can see"))
    return options


def caseload(user: Any, filters: CaseloadFilters, visible: Any = None) -> list[CaseloadRow]:
    """The cases of the filters' scope, each with its earliest open obligation, overdue count and active
    registers: three queries whatever the number of cases (the cases, their open obligations, their registers)."""
    cases = (Case.objects.visible_to(user) if visible is None else visible).filter(ended_on=None)
    staff = getattr(user, "staff", None)
    if filters.scope == "mine":
        cases = cases.filter(practitioner=staff) if staff is not None else cases.none()
    elif filters.scope.startswith("team-") and filters.scope[5:].isdigit():
        cases = cases.filter(practitioner__team_id=int(filters.scope[5:]))
    if filters.concern:
        cases = cases.filter(concern=filters.concern)
    if filters.register:
        cases = cases.filter(pk__in=Registration.objects.filter(code=filters.register, deregistered_on=None)
                             .values("case_id"))
    if filters.search:
        cases = cases.filter(Q(name__icontains=filters.search) | Q(ref__icontains=filters.search))
    found = list(cases.values_list("pk", "ref", "name", "concern", "rosh", "practitioner__name",
                                   "practitioner__code"))
    ids = [f[0] for f in found]
    # Each case's earliest open obligation and its number overdue, from one read of its open obligations. Of
    # several due the same day, a safeguarding one (a police check before a contact) is the one shown.
    first: dict[int, tuple[str, date, str]] = {}
    overdue: dict[int, int] = {}
    if ids:
        for case_id, kind, due, status in (Obligation.objects.filter(case_id__in=ids, status__in=OPEN)
                                           .order_by("due", "id").values_list("case_id", "kind", "due", "status")):
            shown = first.get(case_id)
            if shown is None or (shown[1] == due and kind in SAFEGUARDING_KINDS
                                 and shown[0] not in SAFEGUARDING_KINDS):
                first[case_id] = (kind, due, status)
            if status == "overdue":
                overdue[case_id] = overdue.get(case_id, 0) + 1
    if filters.overdue:
        found = [f for f in found if overdue.get(f[0])]
    registers: dict[int, list[str]] = {}
    if found:
        for case_id, code in (Registration.objects.filter(case_id__in=[f[0] for f in found], deregistered_on=None)
                              .order_by("code").values_list("case_id", "code")):
            registers.setdefault(case_id, []).append(code)

    def due_of(case_id: int) -> tuple[bool, date]:  # nothing open sorts last
        todo = first.get(case_id)
        return (False, todo[1]) if todo else (True, date.min)

    # Sorted here rather than by ORDER BY over the obligations: every row is read anyway.
    rank = {"concern": lambda f: (-CONCERN_RANK.get(f[3], 0), due_of(f[0]), f[1]),
            "due": lambda f: (due_of(f[0]), -CONCERN_RANK.get(f[3], 0), f[1]),
            "ref": lambda f: f[1],
            "name": lambda f: (f[2], f[1])}[filters.sort]
    found.sort(key=rank)
    href = case_hrefs()
    return [_caseload_row(f, first.get(f[0]), overdue.get(f[0], 0), registers.get(f[0], []), href) for f in found]


def _caseload_row(found: tuple[Any, ...], todo: tuple[str, date, str] | None, overdue: int, registers: list[str],
                  href: Callable[[str], str]) -> CaseloadRow:
    _, ref, name, concern, rosh, practitioner_name, practitioner_code = found
    kind, due, status = todo if todo else (None, None, None)
    return CaseloadRow(ref=ref, name=name, href=href(ref), concern=concern, rosh=labels.value_label(rosh) if rosh
                       else "Not assessed", practitioner=practitioner_name or practitioner_code,
                       next_label=labels.obligation_label(kind) if kind else None, next_due=labels.long_date(due),
                       next_status=status, overdue_count=overdue,
                       registers=[(code, labels.register_label(code)) for code in registers])


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
    events_qs = case.events.select_related("recorded_by__staff", "void__voided_by__staff").order_by("-seq")
    events = list(events_qs if whole_timeline else events_qs[:TIMELINE_PAGE])
    sentences = list(case.sentences.prefetch_related("requirements").order_by("-start_on", "-id"))
    checks = list(AgencyCheck.objects.filter(case=case).prefetch_related("about")
                  .order_by("-requested_on", "-returned_on", "-id"))
    awaiting = {c.agency for c in checks if c.requested_on is not None and c.returned_on is None}
    return {
        "age": age_on(case.born, day),
        "victims": [p for p in people if p.victim],
        "children": [p for p in people if is_child(p, day) and not p.victim],
        "others": [p for p in people if not p.victim and not is_child(p, day)],
        "people_count": len(people),
        "open_obligations": with_actions(list(obligations.filter(status__in=OPEN).order_by("due", "id")), allowed,
                                         awaiting=awaiting),
        "closed_obligations": list(obligations.filter(status__in=("done", "waived"))
                                   .order_by("-closed_on", "-id")[:10]),
        "registers": list(case.registrations.filter(deregistered_on=None).order_by("code")),
        "assessment": assessments.first(),
        "controls": list(controls),
        "breaches": list(case.breaches.select_related("control", "protects").order_by("-on")),
        "checks": checks,
        "referrals": list(Referral.objects.filter(case=case).order_by("-referred_on", "-id")),
        "requirements": [r for s in sentences for r in s.requirements.all()],
        "sentence": sentences[0] if sentences else None,
        "events": events,
        "staff_names": _staff_names(events),
        "event_count": len(events) if whole_timeline or len(events) < TIMELINE_PAGE else case.events.count(),
        "current_address": case.residences.filter(to_on=None).select_related("address").first(),
    }


def case_tier(case: Case, day: date) -> TierResult:
    """The case's tier from the only events the tier reads (TIER_EVENT_TYPES), not the whole log; no staff."""
    return tier_of(CaseFacts(ref=case.ref, events=events_for(case, types=TIER_EVENT_TYPES)), day)


def with_actions(open_obligations: list[Obligation], allowed: set[str], *, awaiting: set[str]) -> list[Obligation]:
    """Give each obligation the forms (of the `allowed` event types) that would meet it (`actions`: event type
    and a query string of non-sensitive starting answers). A check already requested and not answered (an
    agency in `awaiting`) is chased, not re-requested."""
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
