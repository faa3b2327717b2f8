"""Rules 11-12: the case is seen, at home where others live with him, and face to face often enough."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from safeguard.policy.calendar import add_months, add_weeks, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import (
    FACE_TO_FACE_CONTACTS,
    HIGH_ROSH,
    ROSH_ORDER,
    CaseFacts,
    Event,
    is_community_start,
    is_custody_start,
)
from safeguard.policy.obligations import Obligation
from safeguard.policy.rules.checks import join_names

HOME_VISITS = frozenset({"home_visit"})


def _attended(event: Event, kinds: frozenset[str]) -> bool:
    return event.type == "contact" and event.get("kind") in kinds and event.get("outcome") == "attended"


def partner_or_children_at_home(facts: CaseFacts, day: date) -> list[str]:
    """The current partners and children under 18 living with the case at the end of `day`."""
    known = facts.until(day)
    partners = known.partners_on(day)
    found = []
    for ref in sorted(known.household_on(day)):
        person = known.person(ref)
        if ref in partners or (person is not None and person.is_child_on(day)):
            found.append(ref)
    return found


def _home_visit_trigger(facts: CaseFacts, event: Event) -> str | None:
    """What about `event` calls for a home visit, in words; None when it does not."""
    if is_community_start(event):
        return f"was {'released' if event.type == 'released' else 'sentenced'} on {long_date(event.on)}"
    if event.type == "moved":
        return f"moved to {event.data.get('address')} on {long_date(event.on)}"
    if event.type == "relationship_started":
        return f"started a relationship with {event.data['ref']} on {long_date(event.on)}"
    if event.type == "person_added" and event.get("lives_with_case"):
        return f"was recorded as living with {event.data['ref']} on {long_date(event.on)}"
    return None


@rule(11, "home-visit", "home_visit",
      title="Home visits where the case lives with a partner or children",
      trigger="A DA case living with a partner or a child: at the start, after a move, and after a new "
              "relationship",
      deadline="20 working days; then every 3 months while RoSH is high or very high",
      discharge="An attended home-visit contact",
      source="HMI Probation domestic abuse thematic 2018: 19% of required home visits done")
def home_visit(ctx: RuleContext) -> Iterator[Obligation]:
    """Visit the home of a DA case who lives with a partner or children.

    Interpretation: raised, while the case is supervised in the community, by a community sentence
    or release, a move, a new relationship, or a person recorded as living with the case (the
    household at the start is often recorded a few days late), whenever the case then lives with a
    current partner or a child under 18. While a visit is outstanding, further changes are covered
    by it. After each attended home visit, if RoSH is high or very high and the partner or children
    still live there, the next visit is due `repeat_months_high_rosh` months after it (anchored on
    that visit); when RoSH rises to high after a visit, the repeat opens then, due the same date (or
    in `deadline_working_days` when that date has already passed); a second visit on the same day
    does not meet that repeat. Visits before the case was recognised as a DA case do not count.
    Custody (a custodial sentence or a recall) closes an outstanding visit as waived; the release
    starts again.
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    da_since = facts.da_since
    in_community = False
    current: Obligation | None = None
    last_visit: Event | None = None
    for event in facts.events:
        opened = max(event.on, da_since)
        if is_custody_start(event):
            in_community = False
            if current is not None and current.opened <= event.on:
                yield current.close(event.on, "waived", event.seq, f"In custody from {long_date(event.on)}")
            current = None
            last_visit = None  # the release is a new start
            continue
        if is_community_start(event):
            in_community = True
        if not in_community:
            continue
        if _attended(event, HOME_VISITS):
            again_same_day = (current is not None and last_visit is not None and current.trigger == last_visit.seq
                              and event.on == last_visit.on)
            if event.on < da_since or again_same_day:
                continue  # before the case was a DA case, or a second visit the day the repeat started
            if current is not None:
                yield ctx.discharge(current, event)
                current = None
            last_visit = event
            people = partner_or_children_at_home(facts, event.on)
            if people and facts.is_high_rosh_on(event.on):
                due = add_months(event.on, ctx.setting("repeat_months_high_rosh", event.on))
                rosh = str(facts.rosh_on(event.on)).replace("_", " ")
                current = ctx.obligation(
                    "home_visit", str(event.seq), event.on, due,
                    f"RoSH is {rosh} and the case lives with {join_names(people)}: the last home visit was on "
                    f"{long_date(event.on)}, visit again by {long_date(due)}",
                    trigger=event,
                )
            continue
        if current is not None:
            continue
        what = _home_visit_trigger(facts, event)
        rosh_rise = (event.type in {"assessed", "reviewed"} and event.get("rosh") in HIGH_ROSH
                     and last_visit is not None and event.on >= da_since)
        if what is None and not rosh_rise:
            continue
        people = partner_or_children_at_home(facts, opened)
        if not people:
            continue
        deadline = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        if what is not None:
            current = ctx.obligation(
                "home_visit", str(event.seq), opened, deadline,
                f"The case {what} and lives with {join_names(people)} on a domestic abuse case: make a home "
                f"visit by {long_date(deadline)}",
                trigger=event,
            )
        elif last_visit is not None:
            repeat = add_months(last_visit.on, ctx.setting("repeat_months_high_rosh", opened))
            due = repeat if repeat >= opened else deadline
            current = ctx.obligation(
                "home_visit", str(last_visit.seq), opened, due,
                f"RoSH was assessed as {event.data['rosh'].replace('_', ' ')} on {long_date(event.on)} and the "
                f"case lives with {join_names(people)}: the last home visit was on {long_date(last_visit.on)}, "
                f"visit again by {long_date(due)}",
                trigger=event,
            )
    if current is not None:
        yield current


def _cadence(days: int) -> str:
    if days % 7:
        return f"every {days} days"
    weeks = days // 7
    return {1: "weekly", 2: "fortnightly"}.get(weeks, f"every {weeks} weeks")


@rule(12, "contact-frequency", "contact",
      title="Face-to-face contact often enough",
      trigger="A DA case under supervision in the community",
      deadline="Face-to-face contact weekly for the first 12 weeks, then fortnightly while RoSH is medium or "
               "above, every 4 weeks otherwise",
      discharge="An attended office, home-visit, video or three-way contact (phone and public-place contacts "
                "do not count)",
      source="HMI Probation domestic abuse thematic 2018 (cafes, phone calls every six weeks); Norwich domestic "
             "homicide review (phone contact over-used)")
def contact_frequency(ctx: RuleContext) -> Iterator[Obligation]:
    """The case must be seen face to face at the frequency his stage and risk call for.

    Interpretation: a chain of periods. The first runs from the community sentence or release (or
    from the day the case was recognised as a DA case, if later); each attended face-to-face contact
    meets the period open at the time and starts the next one from its own date (anchored on it);
    a second contact on the same day does not meet the period the first one started (a contact on
    the day of the start does meet the first period).
    A period opened in the first `initial_period_weeks` after the start is due
    `initial_interval_days` later; after that, `raised_interval_days` while RoSH is `raised_from_rosh`
    or above (or not yet assessed: an unassessed DA case is not treated as low risk), otherwise
    `standard_interval_days`. Custody (a custodial sentence or a recall) closes the open period as
    waived; a new community start closes it as waived and starts a new chain with its own first 12
    weeks. Contacts before the case was recognised as a DA case do not count.
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    da_since = facts.da_since
    start: Event | None = None
    current: Obligation | None = None
    for event in facts.events:
        if is_custody_start(event) or is_community_start(event):
            if current is not None and current.opened <= event.on:
                note = (f"In custody from {long_date(event.on)}" if is_custody_start(event)
                        else f"Replaced by the contact plan from the new start on {long_date(event.on)}")
                yield current.close(event.on, "waived", event.seq, note)
            current = None
            start = event if is_community_start(event) else None
            if start is not None:
                current = _contact_period(ctx, facts, start, start, max(start.on, da_since))
        elif (start is not None and current is not None and _attended(event, FACE_TO_FACE_CONTACTS)
              and (event.on > current.opened or (event.on == current.opened and current.trigger == start.seq))):
            yield ctx.discharge(current, event)
            current = _contact_period(ctx, facts, start, event, event.on)
    if current is not None:
        yield current


def _contact_period(ctx: RuleContext, facts: CaseFacts, start: Event, runs_from: Event, opened: date) -> Obligation:
    settings = ctx.settings_on(opened)
    initial_weeks = settings["initial_period_weeks"]
    rosh = facts.rosh_on(opened)
    threshold = settings["raised_from_rosh"]
    if opened < add_weeks(start.on, initial_weeks):
        days = settings["initial_interval_days"]
        basis = f"for the first {initial_weeks} weeks from the start on {long_date(start.on)}"
    elif rosh is None or ROSH_ORDER[rosh] >= ROSH_ORDER[threshold]:
        days = settings["raised_interval_days"]
        basis = f"while RoSH is {threshold} or above" if rosh else "while RoSH has not been assessed"
    else:
        days = settings["standard_interval_days"]
        basis = f"with RoSH {rosh}"
    due = opened + timedelta(days=days)
    since = ("supervision started" if runs_from is start else "the last face-to-face contact was") + \
        f" on {long_date(runs_from.on)}"
    return ctx.obligation(
        "contact", str(runs_from.seq), opened, due,
        f"Face-to-face contact is required {_cadence(days)} {basis}; {since}: see the person in the office, at "
        f"home, by video or in a three-way meeting by {long_date(due)} (phone calls and meetings in public places "
        "do not count)",
        trigger=runs_from,
    )
