"""Properties of the engine over random, valid case histories (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safeguard.policy.calendar import latest_start_with, working_days_between
from safeguard.policy.engine import evaluate
from safeguard.policy.facts import CaseFacts, Event, StaffMember
from safeguard.policy.obligations import CONCERN_LEVELS
from safeguard.policy.policyfile import load_policy

POLICY = load_policy()
STAFF = {
    "P1": StaffMember("P1", "PSO"),
    "P2": StaffMember("P2", "PO", date(2015, 1, 1), True),
    "S1": StaffMember("S1", "SPO", date(2005, 1, 1), True),
}
START = date(2021, 1, 4)


@st.composite
def histories(draw: st.DrawFn) -> CaseFacts:
    """A random but valid case history of up to 25 events, dates never going backwards."""
    people: list[str] = []
    events: list[Event] = []
    day = START
    for seq in range(draw(st.integers(1, 25))):
        day += timedelta(days=draw(st.integers(0, 40)))
        kind = draw(st.sampled_from([
            "person_added", "person_added", "sentenced", "released", "allocated", "check_requested",
            "check_returned", "police_incident", "assessed", "contact", "registered", "relationship_started",
            "moved", "reviewed", "control_imposed", "control_breached", "referred", "programme_started",
            "pregnancy", "transferred", "enforcement", "manager_decision", "marac_referred", "victim_contact",
        ]))
        data: dict[str, Any]
        if kind == "person_added" or not people and kind in {
                "relationship_started", "pregnancy", "victim_contact", "control_breached"}:
            kind = "person_added"
            ref = f"R{len(people) + 1}"
            people.append(ref)
            data = {"ref": ref, "relationship": draw(st.sampled_from(["partner", "ex_partner", "child", "sibling",
                                                                      "partners_child", "acquaintance"])),
                    "victim": draw(st.booleans()), "lives_with_case": draw(st.booleans())}
            if draw(st.booleans()):
                data["born"] = (day - timedelta(days=draw(st.integers(0, 50 * 365)))).isoformat()
        elif kind == "sentenced":
            data = {"order": draw(st.sampled_from(["community_order", "suspended_sentence_order", "custody"])),
                    "months": draw(st.integers(6, 36)),
                    "offence": {"victims": draw(st.lists(st.sampled_from(people), max_size=2)) if people else [],
                                "domestic": draw(st.sampled_from([True, False, None]))}}
        elif kind == "released":
            data = {"licence": "standard", "months": draw(st.integers(6, 24)), "address": "A1"}
        elif kind in {"allocated", "transferred"}:
            data = {"practitioner": draw(st.sampled_from(sorted(STAFF)))}
        elif kind in {"check_requested", "check_returned"}:
            data = {"agency": draw(st.sampled_from(["police", "childrens_services"]))}
        elif kind == "police_incident":
            data = {"kind": "callout", "domestic": draw(st.booleans()),
                    "features": draw(st.lists(st.sampled_from(["violence", "strangulation", "weapon"]), max_size=2))}
        elif kind in {"assessed", "reviewed"}:
            data = {"by": draw(st.sampled_from(sorted(STAFF))),
                    "rosh": draw(st.sampled_from(["low", "medium", "high", "very_high"])),
                    "sara_partner": draw(st.sampled_from(["low", "medium", "high"])),
                    "sara_others": draw(st.sampled_from(["low", "medium", "high"])),
                    "sources": draw(st.lists(st.sampled_from(["police", "childrens_services"]), unique=True))}
            if kind == "assessed":
                data["victims_considered"] = draw(st.lists(st.sampled_from(people), unique=True)) if people else []
        elif kind == "contact":
            data = {"kind": draw(st.sampled_from(["office", "home_visit", "phone"])),
                    "outcome": draw(st.sampled_from(["attended", "failed_to_attend", "unacceptable_absence"]))}
        elif kind == "registered":
            data = {"code": draw(st.sampled_from(["ADVP", "REG30", "RCCO", "IMAR"]))}
        elif kind in {"relationship_started", "pregnancy"}:
            data = {"ref": draw(st.sampled_from(people))}
        elif kind == "moved":
            data = {"address": f"A{seq}", "occupants": draw(st.lists(st.sampled_from(people), unique=True))
                    if people else []}
        elif kind == "control_imposed":
            data = {"control": "restraining_order", "protects": people[:1]}
        elif kind == "control_breached":
            data = {"protects": draw(st.sampled_from(people)), "reported_by": "victim"}
        elif kind in {"referred", "programme_started"}:
            data = {"programme": "bbr"}
        elif kind == "enforcement":
            data = {"action": "warning"}
        elif kind == "manager_decision":
            data = {"by": "S1", "about": draw(st.sampled_from(["flag_domestic_abuse", "marac_referral",
                                                               "disclosure_consideration"])), "decision": "reasons"}
        elif kind == "marac_referred":
            data = {"reason": "high risk"}
        else:  # victim_contact
            data = {"ref": draw(st.sampled_from(people)), "by": "idva", "safety_plan": True}
        events.append(Event(seq=seq + 1, on=day, type=kind, data=data))
    return CaseFacts(ref="H1", events=tuple(events), staff=STAFF)


def last_day(facts: CaseFacts) -> date:
    return facts.events[-1].on


COMMON = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@COMMON
@given(histories(), st.integers(0, 200))
def test_evaluation_is_deterministic(facts: CaseFacts, offset: int) -> None:
    day = last_day(facts) + timedelta(days=offset)
    assert evaluate(facts, day, POLICY) == evaluate(facts, day, POLICY)


@COMMON
@given(histories(), st.integers(0, 200))
def test_nothing_is_overdue_before_its_due_date(facts: CaseFacts, offset: int) -> None:
    day = last_day(facts) + timedelta(days=offset)
    result = evaluate(facts, day, POLICY)
    assert result.concern in CONCERN_LEVELS
    for o in result.obligations:
        assert o.opened <= day
        if o.status_on(day) == "overdue":
            assert day > o.due or o.overdue_at_once, o
        if o.closed_on is not None:
            assert o.closed_on <= day and o.closed_as in {"done", "waived"}


@COMMON
@given(histories(), st.integers(1, 120), st.integers(1, 120))
def test_a_later_evaluation_never_turns_overdue_back_to_due(facts: CaseFacts, first: int, gap: int) -> None:
    early = last_day(facts) + timedelta(days=first)
    late = early + timedelta(days=gap)
    before = {o.key: o for o in evaluate(facts, early, POLICY).obligations}
    after = {o.key: o for o in evaluate(facts, late, POLICY).obligations}
    for key, o in before.items():
        if o.status_on(early) == "overdue" and key in after:
            assert after[key].status_on(late) != "due", key


# Events that discharge one kind of obligation and raise nothing that could be overdue on the same day.
DISCHARGERS: dict[str, tuple[str, dict[str, Any]]] = {
    "police_check": ("check_returned", {"agency": "police"}),
    "childrens_services_check": ("check_returned", {"agency": "childrens_services"}),
    "flag_domestic_abuse": ("registered", {"code": "ADVP"}),
    "home_visit": ("contact", {"kind": "home_visit", "outcome": "attended", "by": "P2"}),
    "marac_referral": ("marac_referred", {"reason": "criteria met"}),
    "enforcement_decision": ("enforcement", {"action": "warning"}),
}
RANK = {level: i for i, level in enumerate(CONCERN_LEVELS)}


@COMMON
@given(histories(), st.integers(0, 90), st.data())
def test_a_discharging_event_never_raises_the_concern(facts: CaseFacts, offset: int, data: st.DataObject) -> None:
    day = last_day(facts) + timedelta(days=offset)
    before = evaluate(facts, day, POLICY)
    candidates = sorted({o.kind for o in before.open()} & set(DISCHARGERS))
    if not candidates:
        return
    kind, payload = DISCHARGERS[data.draw(st.sampled_from(candidates))]
    extra = Event(seq=len(facts.events) + 1, on=day, type=kind, data=payload)
    after = evaluate(CaseFacts(ref=facts.ref, events=(*facts.events, extra), staff=facts.staff), day, POLICY)
    assert RANK[after.concern] <= RANK[before.concern], (kind, before.concern, after.concern)


@given(st.dates(date(2019, 1, 1), date(2030, 12, 31)), st.integers(1, 30))
def test_latest_start_with_is_the_last_day_old_enough(end: date, days: int) -> None:
    """The sweep's escalation query keeps the rows due on or before it: exactly those at least `days` working
    days overdue (across weekends and bank holidays)."""
    start = latest_start_with(end, days)
    assert working_days_between(start, end) >= days
    assert working_days_between(start + timedelta(days=1), end) < days
