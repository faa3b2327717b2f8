"""Rule 6: a proposed or new address is checked before anyone relies on it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from safeguard.policy.calendar import long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import CaseFacts, Event, next_event
from safeguard.policy.obligations import Obligation
from safeguard.policy.rules.checks import event_date, join_names, returned_check_covering


def _court_date(facts: CaseFacts, proposal: Event) -> date | None:
    """The court date a curfew address is proposed for: the last report requested for a hearing still to come."""
    found = None
    for request in facts.of_type("court_report_requested"):
        if request.seq > proposal.seq:
            break
        court_date = event_date(request, "court_date")
        if court_date is not None and court_date >= proposal.on:
            found = court_date
    return found


def _covered_by_proposal(facts: CaseFacts, moved: Event) -> bool:
    """A move to an address already proposed, with no one the proposal did not name: its check covers it."""
    occupants = set(moved.get("occupants", []))
    return any(p.data.get("address") == moved.data.get("address") and occupants <= set(p.get("occupants", []))
               for p in facts.of_type("address_proposed") if p.seq < moved.seq)


def _replacement(facts: CaseFacts, event: Event) -> Event | None:
    """The first later event that replaces the address of `event`: a move elsewhere, or another address
    proposed for the same purpose."""
    for later in facts.of_type("address_proposed", "moved"):
        if later.seq <= event.seq or later.data.get("address") == event.data.get("address"):
            continue
        if later.type == "moved" or (event.type == "address_proposed" and later.get("purpose") == event.get("purpose")):
            return later
    return None


def _first(*events: Event | None) -> Event | None:
    found = [e for e in events if e is not None]
    return min(found, key=lambda e: e.seq) if found else None


def _victims_phrase(refs: list[str], place: str) -> str:
    if len(refs) == 1:
        return f"{refs[0]} (a known victim) lives {place}"
    return f"{join_names(refs)} (known victims) live {place}"


@rule(6, "address-check", "address_check",
      title="Proposed and new addresses are checked",
      trigger="An address proposed (curfew, release, residence), or a move to an address with other occupants",
      deadline="Before the court date for a curfew proposed for court; 5 working days otherwise",
      discharge="Police and children's services checks covering the occupants, an attended home visit, and no "
                "known victim among the occupants or nearby (a known victim there makes it overdue at once and "
                "the concern immediate until the address is refused or replaced)",
      source="HMI Probation electronic monitoring thematic 2022 (curfew at a girlfriend's address; HDC address in "
             "the ex-partner's street); Killamarsh serious further offence review")
def address_check(ctx: RuleContext) -> Iterator[Obligation]:
    """Every address the case will live at is checked for who else is there.

    Interpretation (any case, not only DA cases: curfew and release addresses are checked for all):
    - a curfew address proposed while a court report is pending is due `days_before_court` calendar
      days before the court date; any other proposal, and a move with occupants, in
      `deadline_working_days`. A move to an address already proposed, with no one new, is covered by
      the proposal's check.
    - it is met when, after the proposal, a police check and a children's services check have come
      back that cover the occupants (the request's `about` names them all, or names nobody) and an
      attended home visit has been made; it is closed on the day the last of the three is recorded.
    - a known victim among the occupants, or anyone listed in `victims_nearby`, makes the address
      unsafe: the obligation is overdue at once and the concern immediate, whatever the checks say,
      until a manager decision about `address_check` records the refusal or the address is replaced
      (another address for the same purpose, or a move elsewhere); either closes it as done. Victims
      are those known when the checks were complete (or now, while they are not): a victim identified
      while the check is open makes it immediate; one identified after the address was approved is a
      change for rule 14 (a police incident) and does not re-open an approved address.
    - an address replaced before its checks were done is closed as waived ("superseded").
    """
    facts = ctx.facts
    for event in facts.of_type("address_proposed", "moved"):
        occupants = list(event.get("occupants", []))
        if event.type == "moved" and (not occupants or _covered_by_proposal(facts, event)):
            continue
        address = event.data.get("address")
        opened = event.on
        court_date = _court_date(facts, event) if event.get("purpose") == "curfew" else None
        if court_date is not None:
            due = court_date - timedelta(days=ctx.setting("days_before_court", opened))
        else:
            due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        if event.type == "moved":
            where = f"The case moved to {address} on {long_date(event.on)}"
            action = "record a manager decision on what is being done (a move, enforcement or recall)"
        else:
            where = f"Address {address} was proposed for {event.get('purpose', 'residence')} on {long_date(event.on)}"
            action = "record the refusal as a manager decision and find another address"
        superseded = _replacement(facts, event)
        police = returned_check_covering(facts, "police", occupants, since=opened)
        childrens = returned_check_covering(facts, "childrens_services", occupants, since=opened)
        visit = next_event(facts, event, "contact", on_or_after=opened,
                           where=lambda e: e.get("kind") == "home_visit" and e.get("outcome") == "attended")
        checked = max((police, childrens, visit), key=lambda e: e.seq) if police and childrens and visit else None

        known_victims = {p.ref for p in (facts.until(checked.on) if checked else facts).victims()}
        victims_there = [r for r in occupants if r in known_victims]
        victims_near = [r for r in event.get("victims_nearby", []) if r not in victims_there]
        if victims_there or victims_near:
            parts = [_victims_phrase(refs, place) for refs, place in ((victims_there, "there"),
                                                                       (victims_near, "nearby")) if refs]
            obligation = ctx.obligation(
                "address_check", str(event.seq), opened, due,
                f"{where}, but {' and '.join(parts)}: the address is not safe. Tell your manager today and {action}",
                trigger=event, overdue_at_once=True, immediate=True,
            )
            refusal = next_event(facts, event, "manager_decision", on_or_after=opened,
                                 where=lambda e: e.get("about") == "address_check")
            yield ctx.discharge(obligation, _first(refusal, superseded))
            continue

        people = f" (living there: {join_names(occupants)})" if occupants else ""
        obligation = ctx.obligation(
            "address_check", str(event.seq), opened, due,
            f"{where}{people}: get police and children's services checks on everyone living there and visit "
            f"the address by {long_date(due)}",
            trigger=event,
        )
        if superseded is not None and (checked is None or superseded.seq < checked.seq):
            yield obligation.close(superseded.on, "waived", superseded.seq,
                                   f"Superseded: {superseded.data.get('address')} on {long_date(superseded.on)}")
        else:
            yield ctx.discharge(obligation, checked)
