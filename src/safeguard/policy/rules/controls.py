"""Rules 19-20: external controls (orders and conditions protecting victims) verified, and breaches acted on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from safeguard.policy.calendar import add_months, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import CaseFacts, Event
from safeguard.policy.obligations import Obligation

CONTROL_NAMES = {
    "restraining_order": "restraining order",
    "non_molestation_order": "non-molestation order",
    "dapo": "domestic abuse protection order",
    "exclusion_requirement": "exclusion requirement",
    "licence_condition": "licence condition",
}
REPORTERS = {"victim": "the victim", "police": "the police", "practitioner": "the practitioner",
             "other": "someone else"}


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def describe_control(control: str | None, protects: list[str]) -> str:
    """'restraining order protecting V1': a control as a reason sentence names it."""
    name = CONTROL_NAMES.get(control or "", "protective order or condition")
    return f"{name} protecting {' and '.join(protects)}" if protects else name


# -- rule 19 ------------------------------------------------------------------------------------------

def _verifies(event: Event, protects: list[str]) -> bool:
    """A police check returned, or contact with a protected person (any person when none is named)."""
    if event.type == "check_returned":
        return event.get("agency") == "police"
    if event.type == "victim_contact":
        return not protects or event.get("ref") in protects
    return False


@rule(19, "control-check", "control_check",
      title="External controls are verified with the police and the protected person",
      trigger="A control imposed (restraining order, non-molestation order, DAPO, exclusion requirement, "
              "licence condition)",
      deadline="10 working days, then every 3 months while it is in force",
      discharge="Contact with the protected person, or a police check returned, after the control was imposed",
      source="HMI Probation domestic abuse thematic 2018 (external controls not monitored)")
def control_check(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: the first check is due 10 working days after the control is imposed; each check met
    opens the next, due 3 months after it. Contact by anyone with the person the control protects counts (it
    asks them whether it is being kept), as does any police check returned. When the control has an end date
    (`until`), no further check is asked for once the next one would fall due after it ends.
    """
    facts = ctx.facts
    for control in facts.of_type("control_imposed"):
        protects = list(control.get("protects", []))
        until = _as_date(control.get("until"))
        what = describe_control(control.get("control"), protects)
        who = " and ".join(protects) or "the protected person"
        last: Event = control
        period = 1
        while True:
            if period == 1:
                opened = control.on
                due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
                reason = (f"The {what} was imposed on {long_date(control.on)}: check with the police and {who} "
                          f"that it is being kept to, by {long_date(due)}")
            else:
                opened = last.on
                due = add_months(opened, ctx.setting("repeat_months", opened))
                if until is not None and due > until:
                    break
                reason = (f"The {what} was last checked on {long_date(opened)}: check again with the police and "
                          f"{who} that it is being kept to, by {long_date(due)}")
            if until is not None:
                reason += f" (it is in force until {long_date(until)})"
            obligation = ctx.obligation("control_check", f"{control.seq}:{period}", opened, due, reason,
                                        trigger=control)
            done = next((e for e in facts.events if e.seq > last.seq and _verifies(e, protects)
                         and (period == 1 or e.on > last.on)), None)
            yield ctx.discharge(obligation, done)
            if done is None:
                break
            last = done
            period += 1


# -- rule 20 ------------------------------------------------------------------------------------------

def _breached_control(facts: CaseFacts, breach: Event) -> str:
    """The breached control in words, filling in what the breach report leaves out from the order imposed."""
    control = breach.get("control")
    named = breach.get("protects", [])
    protects = [named] if isinstance(named, str) else list(named)
    for imposed in reversed(facts.of_type("control_imposed")):
        if imposed.seq > breach.seq:
            continue
        if control is not None and imposed.get("control") != control:
            continue
        if protects and not set(protects) & set(imposed.get("protects", [])):
            continue
        return describe_control(imposed.get("control"), protects or list(imposed.get("protects", [])))
    return describe_control(control, protects)


def _police_told(event: Event) -> bool:
    if event.type in {"check_requested", "check_returned"}:
        return event.get("agency") == "police"
    return event.type == "information_received" and event.get("source") == "police"


@rule(20, "breach-response", ("control_check", "enforcement_decision"),
      title="A breach of a control is acted on the next working day",
      trigger="A control breached",
      deadline="1 working day",
      discharge="An enforcement decision; and a police check requested, or information received from the "
                "police, after the breach",
      source="Seed case: an exclusion order breached for months with no action")
def breach_response(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: each breach raises two obligations, both keeping the concern `immediate` while open:
    an `enforcement_decision`, met by any `enforcement` after the breach (a recorded decision of no action
    counts), and a `control_check`, met by a police check requested or returned, or information received
    from the police, after the breach. One action after several breaches meets all of them. A breach needs
    acting on whatever the case's other history, so this rule does not wait for the case to be a DA case.
    """
    facts = ctx.facts
    for breach in facts.of_type("control_breached"):
        due = ctx.working_days(breach.on, ctx.setting("deadline_working_days", breach.on))
        what = _breached_control(facts, breach)
        reporter = REPORTERS.get(breach.get("reported_by", "other"), "someone else")
        happened = f"The {what} was breached on {long_date(breach.on)} (reported by {reporter})"
        later = [e for e in facts.events if e.seq > breach.seq]
        enforcement = ctx.obligation(
            "enforcement_decision", f"{breach.seq}:enforcement", breach.on, due,
            f"{happened}: record an enforcement decision and tell the police today (by {long_date(due)} at the "
            "latest)",
            trigger=breach, immediate=True,
        )
        yield ctx.discharge(enforcement, next((e for e in later if e.type == "enforcement"), None))
        check = ctx.obligation(
            "control_check", f"{breach.seq}:police", breach.on, due,
            f"{happened}: ask the police what they know and what they are doing about it (request a police "
            f"check) by {long_date(due)}",
            trigger=breach, immediate=True,
        )
        yield ctx.discharge(check, next((e for e in later if _police_told(e)), None))
