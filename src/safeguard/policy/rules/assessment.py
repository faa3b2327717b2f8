"""Rules 7-8: a domestic-abuse risk assessment, done on time and sufficient.

Rule 7 is met by an assessment that sets RoSH and both SARA levels. Whether that assessment is
sufficient is rule 8's question: an assessment that leaves out a victim, a child, a returned
check or the history of abuse raises a `risk_assessment` obligation of its own, which stays open
until a sufficient assessment is recorded. So at most one `risk_assessment` is open at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from safeguard.policy.calendar import long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import CaseFacts, Event, age_on
from safeguard.policy.obligations import Obligation

AGENCY_LABELS = {"police": "Police information", "childrens_services": "Children's services information"}
HISTORY_WORDS = ("previous", "history", "prior", "pattern", "past")


def sets_levels(event: Event) -> bool:
    return all(event.get(name) for name in ("rosh", "sara_partner", "sara_others"))


def _describe(facts: CaseFacts, ref: str, day: date) -> str:
    person = facts.person(ref)
    if person is None:
        return ref
    words = [person.relationship.replace("_", " ")]
    if person.born is not None and person.is_child_on(day):
        words.append(f"aged {age_on(person.born, day)}")
    if person.victim:
        words.append("a known victim")
    return f"{ref} ({', '.join(words)})"


@dataclass(frozen=True)
class Gap:
    """One thing a sufficient assessment would have covered and an assessment did not.

    `kind` is "level" (a RoSH or SARA level not set; `subject` the field name), "person" (a known victim
    or child not considered; `subject` the person ref), "check" (a returned check not used; `subject` the
    agency) or "history" (previous domestic abuse on record not analysed; `subject` "history"). `events`
    are the seqs of the record's events behind the gap. `text` is the engine's plain-words sentence.
    """

    kind: str
    subject: str
    text: str
    events: tuple[int, ...] = ()


def domestic_history(facts: CaseFacts, day: date) -> list[Event]:
    """Previous domestic abuse on record on `day`: domestic (or partner/family) previous offences, and domestic
    police incidents before that day. What rule 8 expects an assessment on `day` to analyse."""
    known = facts.until(day)
    history = [e for e in known.of_type("previous_offence") if e.get("domestic")
               or e.get("victim_relationship") in {"partner", "ex_partner", "family"}]
    history += [e for e in known.of_type("police_incident") if e.get("domestic") and e.on < day]
    return history


def must_consider(facts: CaseFacts, day: date) -> list[str]:
    """Refs of the people a sufficient assessment on `day` names: every known victim and every child."""
    known = facts.until(day)
    refs = [p.ref for p in known.victims()] + [p.ref for p in known.children_on(day)]
    return list(dict.fromkeys(refs))


def assessment_gaps(facts: CaseFacts, assessment: Event) -> list[Gap]:
    """What a sufficient assessment would have covered and this one did not, one Gap each (see Gap).

    Pages that help write an assessment call this on the `assessed` event they are about to record, so the
    form and rule 8 agree on what is missing."""
    day = assessment.on
    known = facts.until(day)
    considered = set(assessment.get("victims_considered", []))
    sources = set(assessment.get("sources", []))
    gaps: list[Gap] = []
    for name, label in (("rosh", "RoSH level"), ("sara_partner", "SARA partner level"),
                        ("sara_others", "SARA others level")):
        if not assessment.get(name):
            gaps.append(Gap("level", name, f"the {label} is not set"))
    for ref in must_consider(facts, day):
        if ref not in considered:
            gaps.append(Gap("person", ref, f"{_describe(known, ref, day)} is not considered"))
    for agency, label in AGENCY_LABELS.items():
        returned = next((e for e in reversed(known.of_type("check_returned")) if e.data.get("agency") == agency),
                        None)
        if returned is not None and agency not in sources:
            gaps.append(Gap("check", agency, f"{label.lower()} returned on {long_date(returned.on)} is not used",
                            (returned.seq,)))
    history = domestic_history(facts, day)
    analysis = (assessment.get("analysis") or "").lower()
    if history and not _history_analysed(analysis, sources, history):
        count = len(history)
        gaps.append(Gap("history", "history",
                        f"{count} previous domestic abuse {'event is' if count == 1 else 'events are'} "
                        "on record and not analysed", tuple(e.seq for e in history)))
    return gaps


def missing_from_assessment(facts: CaseFacts, assessment: Event) -> list[str]:
    """What a sufficient assessment would have covered and this one did not, in plain words."""
    return [gap.text for gap in assessment_gaps(facts, assessment)]


# Words too common in any domestic-abuse analysis to show that a particular offence was analysed.
_GENERIC_WORDS = frozenset({"about", "after", "against", "before", "being", "child", "children", "family", "former",
                            "other", "partner", "their", "there", "victim", "where", "which", "while"})


def _history_analysed(analysis: str, sources: set[str], history: list[Event]) -> bool:
    """Whether an assessment dealt with previous abuse: it drew on previous assessments, or its analysis
    speaks of the history, or names a previous offence by a distinctive word of its description (whole
    words only: "children" does not name an offence described as "assault on child")."""
    words = set(re.findall(r"[a-z]+", analysis.lower()))
    if "previous_assessments" in sources or words & set(HISTORY_WORDS):
        return True
    named = {w for e in history for w in re.findall(r"[a-z]+", str(e.get("description") or "").lower())
             if len(w) > 4 and w not in _GENERIC_WORDS}
    return bool(words & named)


def _initial_triggers(facts: CaseFacts) -> list[Event]:
    starts = facts.starts()
    if starts:
        return starts
    allocated = facts.first("allocated")
    return [allocated] if allocated else []


@rule(7, "initial-assessment", "risk_assessment",
      title="Domestic-abuse risk assessed at the start",
      trigger="A DA case is sentenced, released or allocated",
      deadline="15 working days",
      discharge="An assessment that sets RoSH and both SARA levels (its sufficiency is rule 8)",
      source="HMI Probation domestic abuse thematic 2023: 28% of assessments sufficient")
def initial_assessment(ctx: RuleContext) -> Iterator[Obligation]:
    facts = ctx.facts
    if facts.da_since is None:
        return
    for start in _initial_triggers(facts):
        opened = max(start.on, facts.da_since)
        due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        done = next((e for e in facts.of_type("assessed") if e.on >= opened and sets_levels(e)), None)
        obligation = ctx.obligation(
            "risk_assessment", str(start.seq), opened, due,
            f"Assess the risk of serious harm and domestic abuse (RoSH and SARA levels) by {long_date(due)}, "
            "naming every victim and child and using the police and children's services information",
            trigger=start,
        )
        yield ctx.discharge(obligation, done)


@rule(8, "assessment-sufficiency", "risk_assessment",
      title="A risk assessment that covers every victim, child, check and past abuse",
      trigger="An assessment leaves out a known victim or child, a returned check, or previous domestic "
              "abuse on record",
      deadline="As rule 7 (15 working days from the start; from the assessment when there was no start)",
      discharge="A sufficient assessment",
      source="HMI Probation inspection standard: does assessment focus sufficiently on keeping other "
             "people safe?")
def assessment_sufficiency(ctx: RuleContext) -> Iterator[Obligation]:
    facts = ctx.facts
    if facts.da_since is None:
        return
    open_obligation: Obligation | None = None
    for assessment in facts.of_type("assessed"):
        if not sets_levels(assessment):
            continue
        missing = missing_from_assessment(facts, assessment)
        if open_obligation is not None:
            if not missing:
                yield ctx.discharge(open_obligation, assessment)
                open_obligation = None
            continue
        if not missing:
            continue
        start = facts.last("sentenced", "released", before=assessment.on)
        if start is not None:
            initial_due = ctx.working_days(max(start.on, facts.da_since),
                                           ctx.other_setting("initial-assessment", "deadline_working_days"))
            due = max(initial_due, assessment.on)
        else:
            due = ctx.working_days(assessment.on, ctx.setting("deadline_working_days", assessment.on))
        open_obligation = ctx.obligation(
            "risk_assessment", str(assessment.seq), assessment.on, due,
            f"The assessment of {long_date(assessment.on)} is not sufficient: " + "; ".join(missing),
            trigger=assessment,
        )
    if open_obligation is not None:
        yield open_obligation
