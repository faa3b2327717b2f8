"""Rules 21 and 24: non-compliance gets an enforcement decision; contact does not stop at two-thirds unseen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from safeguard.policy.calendar import add_months, add_weeks, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import Event
from safeguard.policy.obligations import Obligation
from safeguard.policy.rules.interventions import programme_name

ABSENCES = frozenset({"unacceptable_absence", "failed_to_attend"})
ORDER_NAMES = {
    "community_order": "community order",
    "suspended_sentence_order": "suspended sentence order",
    "standard": "licence",
    "hdc": "home detention curfew licence",
    "post_sentence_supervision": "post-sentence supervision",
}


# -- rule 21 ------------------------------------------------------------------------------------------

def _non_compliance(ctx: RuleContext) -> Iterator[tuple[Event, str]]:
    """Each event that calls for an enforcement decision, with what happened in words."""
    facts = ctx.facts
    absences = [e for e in facts.of_type("contact") if e.get("outcome") in ABSENCES]
    for event in facts.events:
        if event.type == "contact" and event.get("outcome") in ABSENCES:
            months = ctx.setting("window_months", event.on)
            since = add_months(event.on, -months)
            count = sum(1 for e in absences if since < e.on and e.seq <= event.seq)
            if count >= ctx.setting("absences", event.on):
                yield event, (f"{count} missed appointments (failed to attend or unacceptable absence) in the "
                              f"{months} months to {long_date(event.on)}")
        elif event.type == "programme_left" and event.get("reason") == "non_attendance":
            yield event, (f"the case left {programme_name(event.get('programme'))} on {long_date(event.on)} "
                          "for not attending")


@rule(21, "non-compliance", "enforcement_decision",
      title="Non-compliance gets a recorded enforcement decision",
      trigger="2 unacceptable absences or failures to attend within 12 months, or leaving a programme for "
              "non-attendance",
      deadline="5 working days",
      discharge="An enforcement decision (`enforcement`)",
      source="National enforcement practice")
def non_compliance(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: a failure to attend counts until it is judged acceptable (then it is recorded as an
    `acceptable_absence`, which does not count). The absence that brings the count within the window to the
    threshold raises the obligation; further absences while it is open are covered by it. After an
    enforcement decision, a further absence that keeps the count at the threshold (still within 12 months)
    needs a new decision: escalation is the point of counting.
    """
    facts = ctx.facts
    covered = False
    covered_until: Event | None = None
    for trigger, why in _non_compliance(ctx):
        if covered and (covered_until is None or trigger.seq < covered_until.seq):
            continue
        due = ctx.working_days(trigger.on, ctx.setting("deadline_working_days", trigger.on))
        obligation = ctx.obligation(
            "enforcement_decision", str(trigger.seq), trigger.on, due,
            f"Non-compliance: {why}. Record an enforcement decision (warning, breach action, recall or no action, "
            f"with reasons) by {long_date(due)}",
            trigger=trigger,
        )
        done = next((e for e in facts.of_type("enforcement") if e.seq > trigger.seq), None)
        covered, covered_until = True, done
        yield ctx.discharge(obligation, done)


# -- rule 24 ------------------------------------------------------------------------------------------

def fraction_point(start: date, months: int, numerator: int, denominator: int) -> date:
    """`start` plus `months` x numerator/denominator months; a part month is that share of the next month."""
    whole, part = divmod(months * numerator, denominator)
    base = add_months(start, whole)
    month_days = (add_months(start, whole + 1) - base).days
    return base + timedelta(days=month_days * part // denominator)


def _supervision_length(start: Event) -> tuple[str, int] | None:
    """What is supervised from this start and for how many months; None for custody (the licence follows)."""
    months = start.get("months")
    if not months:
        return None
    if start.type == "sentenced":
        order = start.get("order")
        if order not in ORDER_NAMES:
            return None
        return ORDER_NAMES[order], int(months)
    return ORDER_NAMES.get(start.get("licence", "standard"), "licence"), int(months)


@rule(24, "reset-exemption", "review",
      title="A manager decides on contact before it stops at the two-thirds point",
      trigger="A DA case reaching the two-thirds point of its community sentence or licence",
      deadline="The two-thirds date",
      discharge="A manager decision about contact",
      source="Probation Reset (2024): domestic abuse is not itself an exemption")
def reset_exemption(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: the two-thirds point is the start plus `months` x 2/3 (a part month is that share of the
    following month); a custodial sentence has none (its licence, from release, does). The obligation opens
    `notice_weeks` before the point so there is time to review, and is due on the point itself (at once when
    the case is recognised as DA only later). A sentence or release replaced by a new one before its point
    asks for nothing. Only a manager decision about `contact` recorded once the obligation is open discharges
    it; whatever the decision (continue contact or let it stop), it is on the record before contact stops.
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    for start in facts.starts():
        length = _supervision_length(start)
        if length is None:
            continue
        what, months = length
        point = fraction_point(start.on, months, ctx.setting("point_numerator", start.on),
                               ctx.setting("point_denominator", start.on))
        replaced = facts.first("sentenced", "released", after=start.on)
        if replaced is not None and replaced.on <= point:
            continue
        opened = max(add_weeks(point, -ctx.setting("notice_weeks", start.on)), start.on, facts.da_since)
        if opened > ctx.as_of:
            continue
        due = max(point, opened)
        obligation = ctx.obligation(
            "review", str(start.seq), opened, due,
            f"The {months}-month {what} that began on {long_date(start.on)} reaches two-thirds on "
            f"{long_date(point)}, when reporting stops under Probation Reset unless a manager decides otherwise: "
            f"domestic abuse is not itself an exemption, so review the case and record a manager decision about "
            f"contact by {long_date(due)}",
            trigger=start,
        )
        decision = next((e for e in facts.of_type("manager_decision")
                         if e.get("about") == "contact" and e.on >= opened), None)
        yield ctx.discharge(obligation, decision)
