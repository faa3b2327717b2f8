"""Who is eligible for which intervention, and why: small pure rule functions over a case's facts.

Each criterion an intervention's catalogue entry asks for is checked by one function here, which returns
whether it is met (True), not met (False) or cannot be told yet (None, for example SARA not yet
assessed), with the fact behind the answer in words a practitioner can check against the record. No
Django, no clock: the caller passes the case's facts (safeguard.policy.facts.CaseFacts), the day, and
the suitability exclusions recorded on the case.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from safeguard.interventions.catalogue import CATALOGUE, Intervention, exclusion
from safeguard.policy.calendar import add_months, long_date
from safeguard.policy.facts import PARTNER_RELATIONSHIPS, SARA_ORDER, CaseFacts, Event
from safeguard.policy.rules.interventions import programme_name, programme_ordered

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str  # what is asked, e.g. "Risk level"
    needs: str  # what the intervention needs, e.g. "SARA medium or high"
    met: bool | None  # None: the record does not say yet
    fact: str  # what the record shows, e.g. "SARA risk to partners high (assessment of 3 March 2021)"

    @property
    def outcome(self) -> str:
        return {True: "met", False: "not met", None: "not known yet"}[self.met]


@dataclass(frozen=True)
class Eligibility:
    intervention: Intervention
    criteria: tuple[Criterion, ...]

    @property
    def status(self) -> str:
        if any(c.met is False for c in self.criteria):
            return NOT_ELIGIBLE
        if any(c.met is None for c in self.criteria):
            return UNKNOWN
        return ELIGIBLE

    @property
    def eligible(self) -> bool:
        return self.status == ELIGIBLE

    @property
    def summary(self) -> str:
        name = self.intervention.name
        if self.status == ELIGIBLE:
            return f"Eligible for {name}: every criterion is met."
        if self.status == NOT_ELIGIBLE:
            unmet = [c for c in self.criteria if c.met is False]
            return f"Not eligible for {name}: " + "; ".join(f"{c.title.lower()}: {c.fact}" for c in unmet) + "."
        unknown = [c for c in self.criteria if c.met is None]
        return f"Cannot tell yet whether {name} fits: " + "; ".join(
            f"{c.title.lower()}: {c.fact}" for c in unknown) + "."


# -- the criteria ---------------------------------------------------------------------------------------
def _words(code: str | None) -> str:
    return (code or "").replace("_", " ")


_LEVEL_ORDER = {"low": 0, "medium": 1, "high": 2, "very_high": 3}


def _either(levels: Iterable[str]) -> str:
    items = [_words(x) for x in sorted(levels, key=lambda v: (_LEVEL_ORDER.get(v, 9), v))]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _latest(facts: CaseFacts, day: date, *types: str) -> Event | None:
    return facts.last(*types, before=day)


def domestic_abuse(facts: CaseFacts, day: date) -> Criterion:
    since = facts.until(day).da_since
    if since is None:
        return Criterion("domestic_abuse", "Domestic abuse", "domestic abuse on record", False,
                         "nothing on record shows domestic abuse (no ADVP or REG30 register, domestic offence, "
                         "incident or victim)")
    return Criterion("domestic_abuse", "Domestic abuse", "domestic abuse on record", True,
                     f"domestic abuse on record since {long_date(since)}")


def supervision(facts: CaseFacts, day: date) -> Criterion:
    known = facts.until(day)
    start = _latest(known, day, "sentenced", "released")
    needs = "under probation supervision"
    if start is None:
        return Criterion("supervision", "Supervision", needs, False, "no sentence or release on record")
    if known.ended_on is not None:
        return Criterion("supervision", "Supervision", needs, False,
                         f"supervision ended on {long_date(known.ended_on)}")
    what = _words(start.get("order") or start.get("licence") or start.type)
    return Criterion("supervision", "Supervision", needs, True, f"{what} from {long_date(start.on)}")


def risk(facts: CaseFacts, day: date, intervention: Intervention) -> Criterion | None:
    wanted = intervention.risk
    if not wanted.sara and not wanted.rosh:
        return None
    partner, others = facts.sara_on(day)
    rated = [s for s in (partner, others) if s]
    sara = max(rated, key=lambda s: SARA_ORDER.get(s, -1)) if rated else None
    rosh = facts.rosh_on(day)
    needs_parts = []
    results: list[bool | None] = []
    if wanted.sara:
        needs_parts.append(f"SARA {_either(wanted.sara)}")
        results.append(None if sara is None else sara in wanted.sara)
    if wanted.rosh:
        needs_parts.append(f"RoSH {_either(wanted.rosh)}")
        results.append(None if rosh is None else rosh in wanted.rosh)
    joiner = " and " if wanted.match == "both" else ", or "
    needs = joiner.join(needs_parts)
    met: bool | None
    if wanted.match == "both":
        met = False if False in results else (None if None in results else True)
    else:
        met = True if True in results else (None if None in results else False)
    shown = []
    if wanted.sara:
        rated_as = f"risk to partners {_words(partner) or 'not rated'}, to others {_words(others) or 'not rated'}"
        shown.append("SARA not yet assessed" if sara is None else f"SARA {rated_as}")
    if wanted.rosh:
        shown.append("RoSH not yet assessed" if rosh is None else f"RoSH {_words(rosh)}")
    last = _latest(facts, day, "assessed", "reviewed")
    when = f" ({'assessment' if last.type == 'assessed' else 'review'} of {long_date(last.on)})" if last else ""
    return Criterion("risk", "Risk level", needs, met, "; ".join(shown) + when)


def _partner_victims(facts: CaseFacts, day: date) -> tuple[list[str], bool]:
    """Refs of current or former partners harmed on record, and whether a domestic harm with no named
    partner victim is on record (so the answer may be incomplete)."""
    people = facts.people
    harmed: dict[str, None] = {}
    unnamed = False
    for e in facts.until(day).events:
        if e.type == "sentenced":
            offence = e.get("offence") or {}
            refs = [r for r in offence.get("victims") or [] if r in people]
            partners = [r for r in refs if people[r].relationship in PARTNER_RELATIONSHIPS]
            harmed.update(dict.fromkeys(partners))
            if offence.get("domestic") is True and not refs:
                unnamed = True
        elif e.type == "previous_offence":
            if e.get("victim_relationship") in {"partner", "ex_partner"}:
                harmed[f"previous offence of {long_date(e.on)}"] = None
            elif e.get("domestic") and not e.get("victim_relationship"):
                unnamed = True
        elif e.type == "police_incident" and e.get("domestic"):
            ref = e.get("victim")
            if ref and ref in people and people[ref].relationship in PARTNER_RELATIONSHIPS:
                harmed[ref] = None
            elif not ref:
                unnamed = True
        elif e.type == "person_added" and e.get("victim") and e.get("relationship") in PARTNER_RELATIONSHIPS:
            harmed[e.data["ref"]] = None
    return list(harmed), unnamed


def partner_abuse(facts: CaseFacts, day: date) -> Criterion:
    harmed, unnamed = _partner_victims(facts, day)
    needs = "abuse of a current or former intimate partner on record"
    partners = sorted(facts.partners_on(day))
    now = f"; current partner {', '.join(partners)}" if partners else "; no current partner recorded"
    if harmed:
        return Criterion("partner_abuse", "Partner abuse", needs, True,
                         f"abuse of a partner or ex-partner on record ({', '.join(harmed)}){now}")
    if unnamed:
        return Criterion("partner_abuse", "Partner abuse", needs, None,
                         "a domestic offence or incident is on record without the person it harmed: add them to "
                         "the case")
    return Criterion("partner_abuse", "Partner abuse", needs, False,
                     f"the abuse on record is not against a partner or ex-partner{now}")


def current_relationship(facts: CaseFacts, day: date) -> Criterion:
    partners = sorted(facts.partners_on(day))
    needs = "in an intimate relationship now"
    if partners:
        return Criterion("current_relationship", "Current relationship", needs, True,
                         f"current partner {', '.join(partners)}")
    return Criterion("current_relationship", "Current relationship", needs, False, "no current partner recorded")


def requirement(facts: CaseFacts, day: date) -> Criterion:
    start = _latest(facts, day, "sentenced", "released")
    needs = "a court requirement or licence condition to attend a programme"
    if start is None:
        return Criterion("requirement", "Court requirement", needs, False, "no sentence or release on record")
    ordered = programme_ordered(start)
    what = "sentence" if start.type == "sentenced" else "licence"
    if ordered is None:
        return Criterion("requirement", "Court requirement", needs, False,
                         f"the {what} of {long_date(start.on)} has no programme requirement or condition: ask the "
                         "court to amend the order, or consider one-to-one work")
    return Criterion("requirement", "Court requirement", needs, True,
                     f"the {what} of {long_date(start.on)} requires {programme_name(ordered)}")


def marac(facts: CaseFacts, day: date) -> Criterion:
    heard = _latest(facts, day, "marac_referred", "marac_heard")
    needs = "known to MARAC"
    if heard is None:
        return Criterion("marac", "MARAC", needs, False, "no MARAC referral or hearing on record")
    what = "referred to" if heard.type == "marac_referred" else "heard at"
    return Criterion("marac", "MARAC", needs, True, f"{what} MARAC on {long_date(heard.on)}")


def gender(facts: CaseFacts, day: date, genders: Collection[str]) -> Criterion:
    needs = "for " + _either(genders) + " participants"
    if not facts.gender:
        return Criterion("gender", "Who it is for", needs, None, "gender not recorded")
    return Criterion("gender", "Who it is for", needs, facts.gender in genders, f"recorded as {facts.gender}")


def time_left(facts: CaseFacts, day: date, months: int) -> Criterion:
    needs = f"at least {months} months of the order or licence left"
    start = _latest(facts, day, "sentenced", "released")
    if start is None or facts.until(day).ended_on is not None:
        return Criterion("time_left", "Time left", needs, False, "not under supervision")
    length = start.get("months")
    if not length:
        return Criterion("time_left", "Time left", needs, None, "the length of the order or licence is not recorded")
    ends = add_months(start.on, int(length))
    left = (ends.year - day.year) * 12 + ends.month - day.month - (1 if ends.day < day.day else 0)
    return Criterion("time_left", "Time left", needs, left >= months,
                     f"it ends on {long_date(ends)}, {max(left, 0)} whole months from {long_date(day)}")


def exclusions(intervention: Intervention, recorded: Collection[str]) -> Criterion:
    needs = ("none of: " + ", ".join(exclusion(c).phrase for c in sorted(intervention.exclusions))
             if intervention.exclusions else "no suitability exclusions apply")
    applying = sorted(set(recorded) & intervention.exclusions)
    others = sorted(set(recorded) - intervention.exclusions)
    if applying:
        fact = "recorded: " + ", ".join(exclusion(c).phrase for c in applying)
    else:
        fact = "none recorded that rule it out"
    if others:
        fact += " (also recorded, not ruling this out: " + ", ".join(exclusion(c).phrase for c in others) + ")"
    return Criterion("exclusions", "Suitability", needs, not applying, fact)


# -- putting them together --------------------------------------------------------------------------------
def explain(facts: CaseFacts, intervention: Intervention, day: date,
            recorded_exclusions: Collection[str] = ()) -> Eligibility:
    """Every criterion the intervention asks for, in a fixed order, each with the fact behind it."""
    criteria: list[Criterion] = [domestic_abuse(facts, day), supervision(facts, day)]
    level = risk(facts, day, intervention)
    if level is not None:
        criteria.append(level)
    if intervention.partner_abuse:
        criteria.append(partner_abuse(facts, day))
    if intervention.current_relationship:
        criteria.append(current_relationship(facts, day))
    if intervention.requirement:
        criteria.append(requirement(facts, day))
    if intervention.marac:
        criteria.append(marac(facts, day))
    if intervention.genders:
        criteria.append(gender(facts, day, intervention.genders))
    if intervention.min_months_left:
        criteria.append(time_left(facts, day, intervention.min_months_left))
    criteria.append(exclusions(intervention, recorded_exclusions))
    return Eligibility(intervention, tuple(criteria))


def explain_all(facts: CaseFacts, day: date, recorded_exclusions: Collection[str] = (),
                catalogue: Iterable[Intervention] = CATALOGUE) -> list[Eligibility]:
    """The eligibility of the case for every intervention in the catalogue, eligible ones first."""
    order = {ELIGIBLE: 0, UNKNOWN: 1, NOT_ELIGIBLE: 2}
    found = [explain(facts, i, day, recorded_exclusions) for i in catalogue]
    return sorted(found, key=lambda e: order[e.status])
