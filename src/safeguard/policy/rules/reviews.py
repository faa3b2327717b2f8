"""Rules 13-14: written reviews, every 16 weeks and whenever something changes."""

from __future__ import annotations

from collections.abc import Iterator

from safeguard.policy.calendar import add_weeks, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import CaseFacts, Event, facts_before, next_event
from safeguard.policy.obligations import Obligation
from safeguard.policy.rules.checks import CHECK_KINDS, join_names, returned_check_covering

REVIEW_EVENTS = ("reviewed", "assessed")  # a full reassessment is also a review
TRIGGERS = ("relationship_started", "relationship_ended", "moved", "pregnancy", "child_born", "child_protection",
            "police_incident", "control_breached", "information_received")


@rule(13, "scheduled-review", "review",
      title="Written reviews at least every 16 weeks",
      trigger="A DA case with an assessment or review on record",
      deadline="16 weeks from the last assessment or review",
      discharge="A review (or a full reassessment)",
      source="HMI Probation domestic abuse thematic 2018: written reviews in 32% of cases; 2023: reviewing "
             "sufficient in 23%")
def scheduled_review(ctx: RuleContext) -> Iterator[Obligation]:
    """A DA case is reviewed in writing at least every `interval_weeks` weeks.

    Interpretation: each assessment or review starts the next period (anchored on it), due
    `interval_weeks` later; the next review, triggered or scheduled, meets it and starts the
    next one. A full reassessment counts as a review: it restarts the clock "from the last
    assessment or review". Work recorded before the case was recognised as a DA case starts the
    chain only when it was the last before recognition (and never falls due before it).
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    done = facts.of_type(*REVIEW_EVENTS)
    for index, last in enumerate(done):
        following = done[index + 1] if index + 1 < len(done) else None
        if last.on < facts.da_since and following is not None and following.on <= facts.da_since:
            continue
        opened = max(last.on, facts.da_since)
        weeks = ctx.setting("interval_weeks", opened)
        due = max(add_weeks(last.on, weeks), opened)
        what = "assessment" if last.type == "assessed" else "review"
        obligation = ctx.obligation(
            "review", str(last.seq), opened, due,
            f"The last {what} was on {long_date(last.on)}: write a review of the risk and the plan by "
            f"{long_date(due)} (every {weeks} weeks)",
            trigger=last,
        )
        yield ctx.discharge(obligation, following)


def _change(facts: CaseFacts, event: Event, risk_sources: list[str]) -> str | None:
    """What changed, in words, when `event` calls for a review; None when it does not."""
    when = long_date(event.on)
    ref = event.data.get("ref")
    if event.type == "relationship_started":
        return f"a new relationship with {ref} started on {when}"
    if event.type == "relationship_ended":
        return f"the relationship with {ref} ended on {when} (separation raises the risk)"
    if event.type == "moved":
        return f"the case moved to {event.data.get('address')} on {when}"
    if event.type == "pregnancy":
        return f"{ref} was recorded as pregnant on {when}"
    if event.type == "child_born":
        return f"{ref} was born on {when}"
    if event.type == "child_protection":
        earlier = [e for e in facts.of_type("child_protection") if e.seq < event.seq and e.data.get("ref") == ref]
        before = earlier[-1] if earlier else None
        previous = before.get("status", "none") if before is not None else "none"
        status = event.get("status", "none")
        if status == previous:
            return None
        return f"{ref}'s children's services status changed to {status.replace('_', ' ')} on {when}"
    if event.type == "police_incident":
        domestic = "domestic " if event.get("domestic") else ""
        return f"a {domestic}police {event.get('kind', 'incident')} was recorded on {when}"
    if event.type == "control_breached":
        control = str(event.get("control", "protective order")).replace("_", " ")
        return f"a breach of the {control} was reported on {when}"
    if event.type == "information_received" and event.get("source") in risk_sources:
        return f"information about risk came from {str(event.get('source')).replace('_', ' ')} on {when}"
    return None


def _new_people(facts: CaseFacts, event: Event) -> list[str]:
    """People the change brings into the case's life: a new partner, or new people in the household."""
    if event.type == "relationship_started":
        return [event.data["ref"]]
    if event.type == "moved":
        before = facts_before(facts, event).household_on(event.on)
        return [ref for ref in event.get("occupants", []) if ref not in before]
    return []


@rule(14, "triggered-review", ("review", "police_check", "childrens_services_check"),
      title="A review whenever something changes",
      trigger="A new or ended relationship, a move, a pregnancy or birth, a change in child protection, a police "
              "incident, a breach of a control, or information about risk from the police, children's services "
              "or a victim",
      deadline="5 working days; 1 working day for a domestic police incident or a breach",
      discharge="A review dated after the change; checks returned after the change where it brings in new people",
      source="HMI Probation domestic abuse thematic 2018 (a new partner moving in not reviewed); 2025 review "
             "(lack of reviewing activity)")
def triggered_review(ctx: RuleContext) -> Iterator[Obligation]:
    """Every change in the case's relationships, household or risk is reviewed in writing.

    Interpretation: one review per change, anchored on its event, due in `urgent_working_days` for
    a domestic police incident or a reported breach and in `deadline_working_days` otherwise; a
    change before the case was recognised as a DA case opens on that date. A child protection
    event counts when the child's status changes; information counts when its source is one of
    `risk_sources`. The first review (or full reassessment) recorded after the change meets it.
    A review raised by a domestic police incident is critical (immediate concern when overdue on a
    high-RoSH case or one with children).

    Where the change brings in new people (a new partner; people in the household who were not
    living with the case before a move) a police check is re-opened, and a children's services
    check too when a child is among them or children are involved in the case (a child under 18 on
    record, or a pregnancy). Each is due in `deadline_working_days` and met by a check from that
    agency returned after the change that covers them (its request names them, or names nobody).
    A birth or pregnancy brings in a child, whose children's check is rule 4's (childrens-check).
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    for event in facts.of_type(*TRIGGERS):
        opened = max(event.on, facts.da_since)
        change = _change(facts, event, list(ctx.setting("risk_sources", opened)))
        if change is None:
            continue
        domestic_incident = event.type == "police_incident" and bool(event.get("domestic"))
        urgent = domestic_incident or event.type == "control_breached"
        days = ctx.setting("urgent_working_days" if urgent else "deadline_working_days", opened)
        due = ctx.working_days(opened, days)
        obligation = ctx.obligation(
            "review", str(event.seq), opened, due,
            f"Things have changed: {change}. Write a review of the risk and the plan by {long_date(due)}",
            trigger=event, critical=domestic_incident,
        )
        yield ctx.discharge(obligation, next_event(facts, event, *REVIEW_EVENTS, on_or_after=opened))

        people = _new_people(facts, event)
        if not people:
            continue
        known = facts.until(opened)
        agencies = ["police"]
        if (any(p.is_child_on(opened) for p in map(known.person, people) if p is not None)
                or known.children_on(opened) or known.pregnancies()):
            agencies.append("childrens_services")
        check_due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        for agency in agencies:
            ask = ("ask the police for domestic-abuse information about them" if agency == "police"
                   else "ask children's services whether they know them")
            check = ctx.obligation(
                CHECK_KINDS[agency], f"{event.seq}:{agency}", opened, check_due,
                f"{change[0].upper()}{change[1:]}, bringing in {join_names(people)}: {ask} by "
                f"{long_date(check_due)}",
                trigger=event, critical=True,
            )
            yield ctx.discharge(check, returned_check_covering(facts, agency, people, since=opened, after=event))
