"""Rules 2-5: police and children's-services information, requested, returned and chased."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from safeguard.policy.calendar import add_months, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import CaseFacts, Event, age_on
from safeguard.policy.obligations import Obligation

CHECK_KINDS = {"police": "police_check", "childrens_services": "childrens_services_check"}
RELATIONSHIP_WORDS = {"partners_child": "partner's child", "other_family": "family member",
                      "ex_partner": "ex-partner"}
CHECK_LABELS = {"police": "Police domestic-abuse information",
                "childrens_services": "Children's services safeguarding information"}


def event_date(event: Event, name: str) -> date | None:
    """A date field of an event, whether it holds a date or ISO text (`court_date`, `until`)."""
    value = event.data.get(name)
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def join_names(refs: list[str]) -> str:
    """'P1', 'P1 and C1', 'P1, C1 and C2'."""
    return refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " and " + refs[-1]


def returned_check(facts: CaseFacts, agency: str, *, since: date) -> Event | None:
    """The first check of `agency` returned on or after `since`."""
    return next((e for e in facts.of_type("check_returned")
                 if e.data.get("agency") == agency and e.on >= since), None)


def returned_check_covering(facts: CaseFacts, agency: str, refs: Iterable[str], *, since: date,
                            after: Event | None = None) -> Event | None:
    """The first check of `agency` returned on or after `since` (and after `after`) that covers everyone in `refs`.

    A returned check covers the people named in the `about` of the request it answers (the last
    request to that agency before it); a request that names nobody is about the whole household.
    """
    wanted = set(refs)
    for returned in facts.of_type("check_returned"):
        if returned.data.get("agency") != agency or returned.on < since:
            continue
        if after is not None and returned.seq <= after.seq:
            continue
        request = None
        for event in facts.events:
            if event.seq >= returned.seq:
                break
            if event.type == "check_requested" and event.data.get("agency") == agency:
                request = event
        about = set(request.get("about", [])) if request is not None else set()
        if not about or wanted <= about:
            return returned
    return None


@rule(2, "police-check-before-sentence", "police_check",
      title="Police domestic-abuse information before sentence",
      trigger="A court report is requested on a DA case, or on any case where a curfew is proposed",
      deadline="Before the court date",
      discharge="Police check returned",
      source="HMI Probation domestic abuse thematic 2023; electronic monitoring thematic 2022 (police checks "
             "missing in 46% of curfew cases)")
def police_check_before_sentence(ctx: RuleContext) -> Iterator[Obligation]:
    """A court needs police domestic-abuse information before it sentences.

    Interpretation: the obligation opens when the report is requested (or, when the case is only
    recognised as a DA case later, on that date, as long as the court date has not passed; a check
    already back by then means there is nothing to ask). It is due `days_before_court` calendar days
    before the court date (default 0: by the court date itself); with no court date on record, in
    rule 3's `deadline_working_days`. A police check returned after the report was requested
    discharges it, even when it came back late (after sentence rule 3 also applies).
    """
    facts = ctx.facts
    for request in facts.of_type("court_report_requested"):
        court_date = event_date(request, "court_date")
        curfew = bool(request.get("curfew_proposed"))
        if curfew:
            opened = request.on
        elif facts.da_since is not None:
            opened = max(request.on, facts.da_since)
        else:
            continue
        if court_date is not None and opened > court_date:
            continue  # recognised as a DA case only after sentence: rule 3 applies from the start
        if court_date is not None:
            due = court_date - timedelta(days=ctx.setting("days_before_court", opened))
        else:  # no court date on record: as quickly as a check at the start of supervision
            due = ctx.working_days(opened, ctx.other_setting("police-check-at-start", "deadline_working_days", opened))
        done = returned_check(facts, "police", since=request.on)
        if done is not None and done.on < opened:
            continue
        why = "a curfew is proposed" if curfew else "this is a domestic abuse case"
        court = f"court on {long_date(court_date)}" if court_date is not None else "court"
        obligation = ctx.obligation(
            "police_check", str(request.seq), opened, due,
            f"A pre-sentence report was requested on {long_date(request.on)} for {court} and {why}: "
            f"get police domestic-abuse information back by {long_date(due)} so the court has it",
            trigger=request, critical=True,
        )
        yield ctx.discharge(obligation, done)


@rule(3, "police-check-at-start", "police_check",
      title="Police domestic-abuse information at the start of supervision",
      trigger="A DA case is sentenced or released with no police check returned in the previous 3 months",
      deadline="5 working days from sentence or release",
      discharge="Police check returned",
      source="HMI Probation domestic abuse thematics 2018 and 2023; 49% of needed police checks made (2022-23)")
def police_check_at_start(ctx: RuleContext) -> Iterator[Obligation]:
    facts = ctx.facts
    if facts.da_since is None:
        return
    for start in facts.starts():
        opened = max(start.on, facts.da_since)
        recent_from = add_months(start.on, -ctx.setting("recent_check_months", opened))
        recent = returned_check(facts, "police", since=recent_from)
        if recent is not None and recent.on <= opened:
            continue
        what = "sentenced" if start.type == "sentenced" else "released"
        due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        obligation = ctx.obligation(
            "police_check", str(start.seq), opened, due,
            f"Domestic abuse case {what} on {long_date(start.on)} with no police domestic-abuse information "
            f"from the last {ctx.setting('recent_check_months', opened)} months: request it from the police "
            "domestic abuse unit",
            trigger=start, critical=True,
        )
        yield ctx.discharge(obligation, returned_check(facts, "police", since=opened))


def _child_link(facts: CaseFacts, event: Event) -> str | None:
    """How `event` links a child (or an unborn child) to the case, in words; None when it does not."""
    if event.type == "pregnancy":
        return f"{event.data['ref']} is pregnant (recorded {long_date(event.on)})"
    if event.type == "child_born":
        return f"{event.data['ref']} was born on {long_date(event.on)}"
    if event.type == "person_added":
        person = facts.person(event.data["ref"])
        if person is not None and person.is_child_on(event.on):
            words = [RELATIONSHIP_WORDS.get(person.relationship, person.relationship.replace("_", " "))]
            if person.born is not None:
                words.append(f"aged {age_on(person.born, event.on)}")
            return f"{person.ref} ({', '.join(words)}) was linked to the case on {long_date(event.on)}"
    return None


@rule(4, "childrens-check", "childrens_services_check",
      title="Children's services safeguarding check where children are involved",
      trigger="A DA case with a child under 18 linked to it (own child, partner's child, child in the "
              "household, child victim), or a pregnancy",
      deadline="5 working days",
      discharge="Children's services check returned",
      source="HMI Probation: 55% of needed child safeguarding enquiries made (2022-23); Domestic Abuse Act "
             "2021 s.3 (children are victims)")
def childrens_check(ctx: RuleContext) -> Iterator[Obligation]:
    """Children's services must be asked about every child linked to a DA case.

    Interpretation: every event that links a child (a person added who is under 18, a birth, a
    pregnancy) raises the check, opened when the case is a DA case. It is not raised when a
    children's services check came back after the child was linked and within the last
    `recent_check_months` months, nor while an earlier children's check is still outstanding (the
    check that comes back is expected to cover every child known when it is done). A birth or a
    pregnancy is also a rule 14 trigger: its children's check is raised here only, so rule 14 does
    not raise a second one (rule 14 re-opens checks for new adults: a new partner or new occupants).
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    previous: Obligation | None = None
    for event in facts.of_type("person_added", "child_born", "pregnancy"):
        link = _child_link(facts, event)
        if link is None:
            continue
        opened = max(event.on, facts.da_since)
        if event.type == "person_added" and not facts.people[event.data["ref"]].is_child_on(opened):
            continue  # an adult by the time the case was recognised as a DA case
        if previous is not None and (previous.closed_on is None or previous.closed_on >= opened):
            continue
        recent_from = max(event.on, add_months(opened, -ctx.setting("recent_check_months", opened)))
        recent = returned_check(facts, "childrens_services", since=recent_from)
        if recent is not None and recent.on <= opened:
            continue
        due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        obligation = ctx.obligation(
            "childrens_services_check", str(event.seq), opened, due,
            f"Domestic abuse case with a child involved: {link}. Ask children's services whether the "
            f"family is known to them by {long_date(due)}",
            trigger=event, critical=True,
        )
        previous = ctx.discharge(obligation, returned_check(facts, "childrens_services", since=opened))
        yield previous


@rule(5, "check-chase", ("police_check", "childrens_services_check"),
      title="Checks requested are chased until they come back",
      trigger="A police or children's services check requested and not returned",
      deadline="Returned within 10 working days of the request, else overdue and escalated to the manager",
      discharge="The check returned by that agency",
      source="Checks requested but never used is a recurring inspection finding; the 10-working-day chase is "
             "a local default (no national response standard)")
def check_chase(ctx: RuleContext) -> Iterator[Obligation]:
    """Every request for information must be followed until the answer is on file.

    Interpretation: one chase per outstanding request, opened on the day of the request and due
    `return_working_days` later; it has its own key (`check-chase:<request>`), separate from the
    obligations of rules 2-4 that asked for the check. A second request to the same agency while
    the first is still outstanding is itself a chase, so it does not restart the clock. Any case,
    DA or not: a check asked for is a check to be used.
    """
    facts = ctx.facts
    outstanding: dict[str, Obligation] = {}
    for request in facts.of_type("check_requested"):
        agency = request.data.get("agency")
        if agency not in CHECK_KINDS:
            continue
        pending = outstanding.get(agency)
        if pending is not None and (pending.closed_on is None or pending.closed_on > request.on):
            continue
        due = ctx.working_days(request.on, ctx.setting("return_working_days", request.on))
        obligation = ctx.obligation(
            CHECK_KINDS[agency], str(request.seq), request.on, due,
            f"{CHECK_LABELS[agency]} was requested on {long_date(request.on)} and has not come back: chase it, "
            f"and tell your manager if it is not back by {long_date(due)}",
            trigger=request, critical=True,
        )
        outstanding[agency] = ctx.discharge(obligation, returned_check(facts, agency, since=request.on))
        yield outstanding[agency]
