"""Rule 1: domestic abuse must be recognised and flagged."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.policy.calendar import long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import DA_REGISTERS, CaseFacts, Event, age_on
from safeguard.policy.obligations import Obligation

_DESCRIBE = {
    "sentenced": "the current offence",
    "previous_offence": "a previous offence",
    "police_incident": "a police incident",
    "person_added": "a victim added to the record",
    "control_imposed": "a protective order",
    "marac_referred": "a MARAC referral",
    "marac_heard": "a MARAC hearing",
}


def _shows_abuse_of_adult(facts: CaseFacts, event: Event, min_age: int) -> bool:
    """Whether the event shows abuse of a partner, ex-partner or family member aged `min_age` or over."""
    refs: list[str] = []
    if event.type == "sentenced":
        refs = list((event.get("offence") or {}).get("victims") or [])
    elif event.type == "police_incident" and event.get("victim"):
        refs = [event.data["victim"]]
    elif event.type == "person_added":
        refs = [event.data["ref"]]
    births = [p.born for p in (facts.person(r) for r in refs) if p is not None and p.born is not None]
    if not births:
        return True  # ages unknown: a domestic event counts
    return any(age_on(born, event.on) >= min_age for born in births)


@rule(1, "flag-domestic-abuse", "flag_domestic_abuse",
      title="Domestic abuse is flagged on the case",
      trigger="An offence, previous offence, police incident or linked victim shows abuse of a partner, "
              "ex-partner or family member aged 16 or over, and the case has no ADVP or REG30 register",
      deadline="2 working days",
      discharge="ADVP or REG30 registered, or a manager decision (waiver) with reasons",
      source="Domestic Abuse Act 2021 s.1-2 (family members count); HMI Probation 2023 thematic found "
             "abuse of family members not recognised as domestic abuse",
      waivable=True)
def flag_domestic_abuse(ctx: RuleContext) -> Iterator[Obligation]:
    facts = ctx.facts
    quiet_until = None  # abuse shown before this date is covered by an obligation already raised
    for event in facts.abuse_shown():
        if quiet_until is not None and event.on < quiet_until:
            continue
        if any(code in DA_REGISTERS for code in facts.registers_on(event.on)):
            continue
        if not _shows_abuse_of_adult(facts, event, ctx.setting("min_victim_age", event.on)):
            continue
        due = ctx.working_days(event.on, ctx.setting("deadline_working_days", event.on))
        obligation = ctx.obligation(
            "flag_domestic_abuse", str(event.seq), event.on, due,
            f"The record shows domestic abuse ({_DESCRIBE.get(event.type, event.type)} on "
            f"{long_date(event.on)}) but the case has no domestic abuse register: register ADVP or REG30",
            trigger=event,
        )
        registered = next((e for e in facts.of_type("registered")
                           if e.data["code"] in DA_REGISTERS and e.on >= event.on), None)
        yield ctx.discharge(obligation, registered)
        if registered is None:
            return
        quiet_until = registered.on
