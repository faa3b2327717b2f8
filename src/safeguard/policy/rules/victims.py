"""Rules 17, 18 and 22: keeping victims and new partners safe (MARAC, victim safety work, disclosure)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

from safeguard.policy.calendar import add_months, long_date
from safeguard.policy.engine import RuleContext, rule
from safeguard.policy.facts import HIGH_ROSH, CaseFacts, Event, Person
from safeguard.policy.obligations import Obligation
from safeguard.policy.rules.interventions import programme_name, programme_ordered

SAFETY_WORKERS = frozenset({"partner_link_worker", "victim_liaison", "idva"})


def describe_person(facts: CaseFacts, ref: str, day: date) -> str:
    """'V1 (current partner, a known victim)': a person as a reason sentence names them at `day`."""
    person = facts.person(ref)
    if person is None:
        return ref
    words = ["current partner" if ref in facts.partners_on(day) else person.relationship.replace("_", " ")]
    if person in facts.victims():
        words.append("a known victim")
    return f"{ref} ({', '.join(words)})"


# -- rule 17 ------------------------------------------------------------------------------------------

def _is_domestic_incident(facts: CaseFacts, incident: Event) -> bool:
    if incident.get("domestic"):
        return True
    victim = facts.person(incident.get("victim", ""))
    return victim is not None and victim.is_domestic


def _marac_criteria(ctx: RuleContext) -> Iterator[tuple[Event, str]]:
    """Each event that meets a MARAC referral criterion, with the criterion in words."""
    facts = ctx.facts
    incidents = [e for e in facts.of_type("police_incident") if _is_domestic_incident(facts, e)]
    domestic = {e.seq for e in incidents}
    for event in facts.events:
        if event.type == "assessed" and event.get("dash_yes") is not None:
            threshold = ctx.setting("dash_threshold", event.on)
            if event.data["dash_yes"] >= threshold:
                yield event, (f"the DASH risk checklist of {long_date(event.on)} has {event.data['dash_yes']} "
                              f"yes answers ({threshold} or more is visible high risk)")
        elif event.seq in domestic:
            features = [f for f in event.get("features", []) if f in ctx.setting("high_risk_features", event.on)]
            if features:
                named = ", ".join(f.replace("_", " ") for f in features)
                yield event, f"the domestic police incident of {long_date(event.on)} involved {named}"
                continue
            months = ctx.setting("incidents_months", event.on)
            since = add_months(event.on, -months)
            count = sum(1 for e in incidents if since < e.on and e.seq <= event.seq)
            if count >= ctx.setting("incidents_threshold", event.on):
                yield event, f"{count} domestic police incidents in the {months} months to {long_date(event.on)}"


def _marac_closer(facts: CaseFacts, trigger: Event, opened: date) -> Event | None:
    """The first MARAC referral or manager decision about one, recorded after the trigger."""
    return next((e for e in facts.events if e.seq > trigger.seq and e.on >= opened and (
        e.type == "marac_referred" or e.type == "manager_decision" and e.get("about") == "marac_referral")), None)


@rule(17, "marac-referral", "marac_referral",
      title="A case that meets the MARAC criteria is referred",
      trigger="DASH 14 or more yes answers; 3 or more domestic police incidents within 12 months; or a domestic "
              "incident with strangulation, threats to kill, a weapon or stalking",
      deadline="2 working days",
      discharge="MARAC referral, or a manager decision (waiver) with reasons",
      source="SafeLives MARAC referral criteria (visible high risk, escalation, professional judgement)",
      waivable=True)
def marac_referral(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: an incident counts when the police flagged it domestic or its victim is a partner or
    family member. While a MARAC obligation is open, further criteria met are covered by it; once a
    referral (or a manager's decision) is recorded, a new criterion met afterwards (for example a further
    incident within 12 months, SafeLives' "repeat" criterion) raises a new obligation. Critical: overdue on
    a case with high RoSH or children makes the concern immediate.
    """
    facts = ctx.facts
    covered_until: Event | None = None  # criteria met up to this event are covered by an earlier obligation
    covered = False
    for trigger, why in _marac_criteria(ctx):
        if covered and (covered_until is None or trigger.seq < covered_until.seq):
            continue
        opened = max(trigger.on, facts.da_since or trigger.on)
        due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        obligation = ctx.obligation(
            "marac_referral", str(trigger.seq), opened, due,
            f"MARAC referral criteria are met: {why}. Refer to MARAC by {long_date(due)}, or record a manager "
            "decision with the reasons not to",
            trigger=trigger, critical=True,
        )
        closer = _marac_closer(facts, trigger, opened)
        covered, covered_until = True, closer
        # A manager decision is a waiver, which the engine applies; only a referral discharges here.
        yield ctx.discharge(obligation, closer if closer is not None and closer.type == "marac_referred" else None)


# -- rule 18 ------------------------------------------------------------------------------------------

def programme_on(facts: CaseFacts, day: date, with_partner_work: Collection[str]) -> str | None:
    """The programme the case is on at `day`: required by the current sentence or licence, or, among the
    programmes that work with partners (`with_partner_work`), referred to or started since it; not completed."""
    start = facts.last("sentenced", "released", before=day)
    programme = programme_ordered(start) if start is not None else None
    for event in facts.events:
        if event.on > day:
            break
        if start is not None and event.seq <= start.seq:
            continue
        if event.type in {"referred", "programme_started"} and event.get("programme", "other") in with_partner_work:
            programme = event.get("programme", "other")
        elif event.type == "programme_completed":
            programme = None
    return programme


def _safety_need(facts: CaseFacts, day: date, with_partner_work: Collection[str]) -> str | None:
    """Why victims need safety work at `day` (RoSH high or very high, or a programme), or None."""
    if facts.is_high_rosh_on(day):
        return f"the risk of serious harm is {str(facts.rosh_on(day)).replace('_', ' ')}"
    programme = programme_on(facts, day, with_partner_work)
    if programme is not None:
        return f"the case is on {programme_name(programme)}"
    return None


def _people_at_risk(facts: CaseFacts, day: date) -> list[Person]:
    """Known victims aged 16 or over, and current partners, at `day`."""
    known = facts.until(day)
    refs = dict.fromkeys([p.ref for p in known.victims()] + sorted(known.partners_on(day)))
    people = [known.person(ref) for ref in refs]
    return [p for p in people if p is not None and p.is_adult_on(day)]


def _safety_contact(facts: CaseFacts, ref: str, after: Event) -> Event | None:
    return next((e for e in facts.of_type("victim_contact")
                 if e.seq > after.seq and e.get("ref") == ref and e.get("by") in SAFETY_WORKERS), None)


class _DayStates:
    """Rule 18's reads of the case as it stood at the end of each event's day (RoSH, programme, people at risk),
    built in one pass over the events. Reading them afresh for every event (`_safety_need`, `_people_at_risk`)
    made the rule quadratic in a case's events; the answers are the same (tests/policy, tests/replay).
    Only for an event log in date order (as stored logs are); `ordered()` says whether it applies."""

    def __init__(self, facts: CaseFacts):
        self.facts = facts
        self.victims = facts.victims()
        self.contacts = facts.of_type("victim_contact")

    @staticmethod
    def ordered(facts: CaseFacts) -> bool:
        events = facts.events
        return all(a.on <= b.on and a.seq < b.seq for a, b in zip(events, events[1:], strict=False))

    def days(self) -> Iterator[tuple[list[Event], _DayState]]:
        """Each day's events with the state at the end of that day."""
        state = _DayState()
        events = self.facts.events
        i = 0
        while i < len(events):
            day = events[i].on
            j = i
            while j < len(events) and events[j].on == day:
                state.apply(self.facts, events[j])
                j += 1
            yield list(events[i:j]), state
            i = j


# The event types _DayState.apply reads; any other event leaves the state as it was.
_STATE_TYPES = frozenset({"assessed", "reviewed", "sentenced", "released", "referred", "programme_started",
                          "programme_completed", "person_added", "child_born", "police_incident",
                          "relationship_started", "relationship_ended"})


class _DayState:
    """What rule 18 reads off the events up to the end of a day (see the functions it replaces above)."""

    def __init__(self) -> None:
        self.rosh: str | None = None
        self.start: Event | None = None
        self.since_start: list[Event] = []  # programme events recorded after the start
        self.people: dict[str, Person] = {}
        self.sentence_victims: dict[str, None] = {}  # victims named by sentences, in order
        self.incident_victims: dict[str, None] = {}  # victims of domestic police incidents, in order
        self.partners: set[str] = set()
        # The answers below, kept until an event that can change them (most events, contacts, cannot).
        self._need: tuple[Collection[str], str | None] | None = None
        self._people: list[Person] | None = None
        self._adults: list[Person] | None = None  # the last answer of people_at_risk (read only)

    def apply(self, facts: CaseFacts, e: Event) -> None:
        if e.type not in _STATE_TYPES:
            return
        self._need = self._people = None
        if e.type in {"assessed", "reviewed"} and e.get("rosh"):
            self.rosh = e.data["rosh"]
        if e.type in {"sentenced", "released"}:
            self.start, self.since_start = e, []
        elif e.type in {"referred", "programme_started", "programme_completed"}:
            self.since_start.append(e)
        if e.type in {"person_added", "child_born"}:
            person = facts.person_from(e)
            self.people[person.ref] = person
        if e.type == "sentenced":
            for ref in (e.get("offence") or {}).get("victims") or []:
                self.sentence_victims[ref] = None
        elif e.type == "police_incident" and e.get("victim") and e.get("domestic"):
            self.incident_victims[e.data["victim"]] = None
        if e.type == "person_added" and e.data.get("relationship") == "partner" or e.type == "relationship_started":
            self.partners.add(e.data["ref"])
        elif e.type == "relationship_ended":
            self.partners.discard(e.data["ref"])

    def programme(self, with_partner_work: Collection[str]) -> str | None:
        programme = programme_ordered(self.start) if self.start is not None else None
        for event in self.since_start:
            if event.type in {"referred", "programme_started"} and event.get("programme", "other") in with_partner_work:
                programme = event.get("programme", "other")
            elif event.type == "programme_completed":
                programme = None
        return programme

    def safety_need(self, with_partner_work: Collection[str]) -> str | None:
        if self._need is None or self._need[0] is not with_partner_work:
            self._need = (with_partner_work, self._safety_need(with_partner_work))
        return self._need[1]

    def _safety_need(self, with_partner_work: Collection[str]) -> str | None:
        if self.rosh in HIGH_ROSH:
            return f"the risk of serious harm is {str(self.rosh).replace('_', ' ')}"
        programme = self.programme(with_partner_work)
        if programme is not None:
            return f"the case is on {programme_name(programme)}"
        return None

    def people_at_risk(self, day: date) -> list[Person]:
        """Asked for days in date order (`_DayStates.days`), so once all of the people are adults they stay so."""
        if self._people is None:
            victims = dict.fromkeys([p.ref for p in self.people.values() if p.victim] + list(self.sentence_victims)
                                    + list(self.incident_victims))
            refs = dict.fromkeys([r for r in victims if r in self.people] + sorted(self.partners))
            self._people = [p for p in (self.people.get(ref) for ref in refs) if p is not None]
            self._adults = None
        if self._adults is None or len(self._adults) < len(self._people):
            self._adults = [p for p in self._people if p.is_adult_on(day)]
        return self._adults


@rule(18, "victim-safety", "victim_safety",
      title="Victims and partners have safety contact from a specialist worker",
      trigger="A known victim or current partner of a DA case on a programme or with RoSH high or very high",
      deadline="10 working days, then again after each review",
      discharge="Victim contact by a partner link worker, victim liaison officer or IDVA",
      source="Building Better Relationships requires a partner link worker; HMI Probation domestic abuse "
             "thematic 2018 (the voice of victims missing)")
def victim_safety(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: the people are the known victims aged 16 or over (children's safety is rule 4's
    children's services check) and current partners. "On a programme" means a programme required by the
    sentence or licence, or a referral to or start of a group programme that works with partners (setting
    `partner_work_programmes`: BBR, Building Choices, Kaizen, Drive; not one-to-one toolkit work), not
    completed. Each person's first obligation opens when both hold; each later `reviewed` while they still
    hold opens the next one (10 working days from the review) so the victim's worker and the review share a
    current picture, unless the person's previous one is still open. Contact by the practitioner does not
    count: the rule asks for a specialist who works for the victim, as BBR's partner link worker does.
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    latest: dict[str, Event | None] = {}  # per person: what discharged their latest obligation (None: still open)
    states = _DayStates(facts) if _DayStates.ordered(facts) else None
    seen_day: date | None = None
    need: str | None = None
    people: list[Person] = []
    for event, state in _events_with_state(facts, states):
        if event.on != seen_day:  # the need and the people depend only on the day: read once for its events
            seen_day = event.on
            with_partner_work = ctx.setting("partner_work_programmes", event.on)
            if state is None:
                need = _safety_need(facts, event.on, with_partner_work)
            else:
                need = state.safety_need(with_partner_work)
            if need is not None:
                people = _people_at_risk(facts, event.on) if state is None else state.people_at_risk(event.on)
        if need is None:
            continue
        for person in people:
            if person.ref in latest:
                done = latest[person.ref]
                if event.type != "reviewed" or done is None or done.seq > event.seq:
                    continue
                because = f"the review of {long_date(event.on)} needs their current safety picture"
            else:
                because = need
            due = ctx.working_days(event.on, ctx.setting("deadline_working_days", event.on))
            if state is None or states is None:
                who = describe_person(facts, person.ref, event.on)
                done = _safety_contact(facts, person.ref, event)
            else:
                who = _describe(facts, person.ref, state.partners, states.victims)
                done = next((e for e in states.contacts if e.seq > event.seq and e.get("ref") == person.ref
                             and e.get("by") in SAFETY_WORKERS), None)
            obligation = ctx.obligation(
                "victim_safety", f"{person.ref}:{event.seq}", event.on, due,
                f"{who} needs safety contact from a partner link worker, victim liaison officer or IDVA because "
                f"{because}: make sure they are contacted and have a safety plan by {long_date(due)}",
                trigger=event,
            )
            latest[person.ref] = done
            yield ctx.discharge(obligation, done)


def _events_with_state(facts: CaseFacts, states: _DayStates | None) -> Iterator[tuple[Event, _DayState | None]]:
    """Each event from the day the case became DA, with the state at the end of its day (None: read afresh)."""
    assert facts.da_since is not None
    if states is None:  # an event log out of date order: read each day afresh, as the rule always did
        for event in facts.events:
            if event.on >= facts.da_since:
                yield event, None
        return
    for events, state in states.days():
        for event in events:
            if event.on >= facts.da_since:
                yield event, state


def _describe(facts: CaseFacts, ref: str, partners: set[str], victims: list[Person]) -> str:
    """describe_person, with the day's partners and the case's victims already read."""
    person = facts.person(ref)
    if person is None:
        return ref
    words = ["current partner" if ref in partners else person.relationship.replace("_", " ")]
    if person in victims:
        words.append("a known victim")
    return f"{ref} ({', '.join(words)})"


# -- rule 22 ------------------------------------------------------------------------------------------

def _victim_note(facts: CaseFacts, ref: str) -> str:
    person = facts.person(ref)
    return f" ({ref} is a known victim of the case's abuse)" if person in facts.victims() else ""


@rule(22, "disclosure", "disclosure_consideration",
      title="A new partner is considered for a Right to Know disclosure",
      trigger="A new relationship on a DA case",
      deadline="10 working days",
      discharge="A disclosure to the new partner, or a manager decision (waiver) with reasons",
      source="Domestic Violence Disclosure Scheme (Clare's Law), statutory guidance 2023",
      waivable=True)
def disclosure(ctx: RuleContext) -> Iterator[Obligation]:
    """Interpretation: a disclosure to the new partner (or one recording no recipient) discharges it; one
    already made to that person before the relationship was recorded means nothing more is asked. A decision
    not to disclose is a manager decision about `disclosure_consideration` (waiver, applied by the engine).
    """
    facts = ctx.facts
    if facts.da_since is None:
        return
    for started in facts.of_type("relationship_started"):
        ref = started.get("ref", "")
        disclosures = [e for e in facts.of_type("disclosure") if e.get("to", ref) == ref]
        if any(e.seq < started.seq for e in disclosures):
            continue
        opened = max(started.on, facts.da_since)
        due = ctx.working_days(opened, ctx.setting("deadline_working_days", opened))
        obligation = ctx.obligation(
            "disclosure_consideration", str(started.seq), opened, due,
            f"A new relationship with {ref} started on {long_date(started.on)}{_victim_note(facts, ref)}: consider "
            f"a Right to Know disclosure with the police and record the decision by {long_date(due)}",
            trigger=started,
        )
        yield ctx.discharge(obligation, next((e for e in disclosures if e.on >= opened), None))
