"""A frozen snapshot of one case: its events in timeline vocabulary, and what can be read off them.

Rules read facts only through this module, so a rule never sees the database and the same
snapshot always gives the same obligations.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

DA_REGISTERS = frozenset({"ADVP", "REG30"})
PARTNER_RELATIONSHIPS = frozenset({"partner", "ex_partner"})
FAMILY_RELATIONSHIPS = frozenset({"parent", "child", "sibling", "other_family", "partners_child"})
DOMESTIC_RELATIONSHIPS = PARTNER_RELATIONSHIPS | FAMILY_RELATIONSHIPS
CHILD_RELATIONSHIPS = frozenset({"child", "partners_child"})
FACE_TO_FACE_CONTACTS = frozenset({"office", "home_visit", "video", "three_way"})
HIGH_ROSH = frozenset({"high", "very_high"})
ROSH_ORDER = {"low": 0, "medium": 1, "high": 2, "very_high": 3}
SARA_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Event:
    seq: int
    on: date
    type: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        return default if value is None else value


@dataclass(frozen=True)
class StaffMember:
    ref: str
    grade: str
    qualified_on: date | None = None
    da_trained: bool = False

    def is_inexperienced_on(self, day: date, months: int) -> bool:
        """PSO/PQiP, not DA-trained, or qualified less than `months` months before `day`."""
        from safeguard.policy.calendar import add_months

        if self.grade in {"PSO", "PQiP"} or not self.da_trained:
            return True
        return self.qualified_on is None or add_months(self.qualified_on, months) > day


@dataclass(frozen=True)
class Person:
    ref: str
    relationship: str
    added_on: date
    born: date | None = None
    gender: str | None = None
    lives_with_case: bool = False
    victim: bool = False

    def is_child_on(self, day: date) -> bool:
        if self.born is not None:
            return age_on(self.born, day) < 18
        return self.relationship in CHILD_RELATIONSHIPS

    def is_adult_on(self, day: date) -> bool:
        if self.born is not None:
            return age_on(self.born, day) >= 16
        return self.relationship not in CHILD_RELATIONSHIPS

    @property
    def is_domestic(self) -> bool:
        return self.relationship in DOMESTIC_RELATIONSHIPS


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


@dataclass(frozen=True)
class CaseFacts:
    ref: str
    events: tuple[Event, ...]
    staff: Mapping[str, StaffMember] = field(default_factory=dict)
    born: date | None = None
    gender: str | None = None

    def until(self, day: date) -> CaseFacts:
        """The same case as it stood at the end of `day`."""
        ends = self._running_max
        if not ends or ends[-1] <= day:
            return self  # nothing recorded after `day`: the same snapshot (and its cached reads)
        cache = self._memo  # not self in its own memo: a cycle left every case's snapshot to the cycle collector
        found = cache.get(("until", day))
        if found is None:
            found = cache[("until", day)] = replace(self, events=tuple(e for e in self.events if e.on <= day))
        return found

    # -- what rules read many times, computed once per snapshot ------------------------------------
    # A snapshot is frozen, so reads of it are memoised on it: by the event types asked for, and by how many
    # events (in log order) come before the first one dated after a day. Rules call these for every event
    # they look at; reading the whole log afresh each time made a case's evaluation quadratic.
    @cached_property
    def _memo(self) -> dict[Any, Any]:
        return {}

    @cached_property
    def _running_max(self) -> list[date]:
        """The latest date among the first i+1 events, for each i (non-decreasing, so it can be bisected)."""
        ends: list[date] = []
        latest: date | None = None
        for e in self.events:
            latest = e.on if latest is None or e.on > latest else latest
            ends.append(latest)
        return ends

    def _count_until(self, day: date) -> int:
        """How many events come before the first one dated after `day` (where a scan in log order stops)."""
        return bisect_right(self._running_max, day)

    @cached_property
    def _by_type(self) -> dict[str, list[Event]]:
        """Each event type's events in log order (one pass, instead of one per type asked for)."""
        found: dict[str, list[Event]] = {}
        for e in self.events:
            found.setdefault(e.type, []).append(e)
        return found

    def _types(self, types: tuple[str, ...]) -> list[Event]:
        """The events of `types` in log order (shared: callers copy before handing it out)."""
        by_type = self._by_type
        if len(types) == 1:
            return by_type.get(types[0], [])
        present = [t for t in types if t in by_type]
        if len(present) < 2:
            return by_type[present[0]] if present else []
        key = ("types", types)
        found: list[Event] | None = self._memo.get(key)
        if found is None:
            found = self._memo[key] = [e for e in self.events if e.type in types]
        return found

    def _upto(self, name: str, day: date, read: Callable[[tuple[Event, ...]], Any]) -> Any:
        """`read` of the events a scan in log order sees up to the end of `day`, memoised (callers copy
        mutable answers)."""
        key = (name, self._count_until(day))
        memo = self._memo
        if key not in memo:
            memo[key] = read(self.events[:key[1]])
        return memo[key]

    # -- events -----------------------------------------------------------------------------
    def of_type(self, *types: str) -> list[Event]:
        return list(self._types(types))

    def first(self, *types: str, after: date | None = None, on_or_after: date | None = None) -> Event | None:
        for event in self._types(types):
            if after is not None and event.on <= after:
                continue
            if on_or_after is not None and event.on < on_or_after:
                continue
            return event
        return None

    def last(self, *types: str, before: date | None = None) -> Event | None:
        if before is None:
            found = self._types(types)
            return found[-1] if found else None
        found_event = None
        for event in self.events:
            if event.on > before:
                break
            if event.type in types:
                found_event = event
        return found_event

    # -- people -----------------------------------------------------------------------------
    @cached_property
    def people(self) -> dict[str, Person]:
        people: dict[str, Person] = {}
        for e in self.events:
            if e.type in {"person_added", "child_born"}:
                person = self.person_from(e)
                people[person.ref] = person
        return people

    def person_from(self, e: Event) -> Person:
        """The person a `person_added` or `child_born` event adds."""
        if e.type == "person_added":
            return Person(
                ref=e.data["ref"],
                relationship=e.data.get("relationship") or "other",
                added_on=e.on,
                born=_as_date(e.data.get("born")),
                gender=e.data.get("gender"),
                lives_with_case=bool(e.data.get("lives_with_case")),
                victim=bool(e.data.get("victim")),
            )
        return Person(
            ref=e.data["ref"], relationship="child", added_on=e.on, born=e.on,
            lives_with_case=any(p in self.household_on(e.on) for p in e.get("parents", [])),
        )

    def person(self, ref: str) -> Person | None:
        return self.people.get(ref)

    def victims(self) -> list[Person]:
        """Known victims: flagged on the person, named in an offence, or the victim of an incident."""
        return list(self._victims)

    @cached_property
    def _victims(self) -> list[Person]:
        refs: dict[str, None] = {p.ref: None for p in self.people.values() if p.victim}
        for e in self.of_type("sentenced"):
            for ref in (e.get("offence") or {}).get("victims") or []:
                refs[ref] = None
        for e in self.of_type("police_incident"):
            if e.get("victim") and e.get("domestic"):
                refs[e.data["victim"]] = None
        return [self.people[r] for r in refs if r in self.people]

    def children_on(self, day: date) -> list[Person]:
        return [p for p in self.people.values() if p.is_child_on(day)]

    def pregnancies(self) -> list[Event]:
        return self.of_type("pregnancy")

    def household_on(self, day: date) -> set[str]:
        """Person refs living with the case at the end of `day`."""
        return set(self._upto("household", day, _household))

    def partners_on(self, day: date) -> set[str]:
        return set(self._upto("partners", day, _partners))

    # -- registers and domestic abuse ---------------------------------------------------------
    def registers_on(self, day: date) -> dict[str, date]:
        """Active register codes with the date each was (last) registered."""
        return dict(self._upto("registers", day, _registers))

    def abuse_shown(self) -> list[Event]:
        """Events that show abuse of a partner, ex-partner or family member (Domestic Abuse Act 2021 s.1-2)."""
        shown: list[Event] = []
        for e in self.events:
            if e.type == "sentenced":
                offence = e.get("offence") or {}
                victims = [self.people.get(r) for r in offence.get("victims") or []]
                if offence.get("domestic") is True or any(v and v.is_domestic for v in victims):
                    shown.append(e)
            elif e.type == "previous_offence":
                if e.get("domestic") or e.get("victim_relationship") in {"partner", "ex_partner", "family"}:
                    shown.append(e)
            elif e.type == "police_incident":
                if e.get("domestic"):
                    shown.append(e)
            elif e.type == "person_added":
                person = self.people.get(e.data["ref"])
                if e.data.get("victim") and person is not None and person.is_domestic:
                    shown.append(e)
            elif e.type in {"control_imposed", "marac_referred", "marac_heard"}:
                shown.append(e)
        return shown

    @cached_property
    def da_since(self) -> date | None:
        """The first date on which this became a DA case (register, or abuse on record)."""
        dates = [e.on for e in self.of_type("registered") if e.data["code"] in DA_REGISTERS]
        dates += [e.on for e in self.abuse_shown()]
        return min(dates) if dates else None

    @property
    def is_da_case(self) -> bool:
        return self.da_since is not None

    # -- supervision ----------------------------------------------------------------------------
    def starts(self) -> list[Event]:
        return self.of_type("sentenced", "released")

    @cached_property
    def ended_on(self) -> date | None:
        ended = self.last("supervision_ended")
        if ended is None:
            return None
        restarted = self.first("sentenced", "released", after=ended.on)
        return None if restarted is not None else ended.on

    def practitioner_on(self, day: date) -> StaffMember | None:
        ref = self._upto("practitioner", day, _practitioner)
        return self.staff.get(ref) if ref else None

    # -- risk -----------------------------------------------------------------------------------
    def rosh_on(self, day: date) -> str | None:
        return self._rosh_by_count[self._count_until(day)]

    @cached_property
    def _rosh_by_count(self) -> list[str | None]:
        """The RoSH level after the first i events, for each i: one pass (rules ask for it at many dates)."""
        levels: list[str | None] = [None]
        rosh = None
        for e in self.events:
            if e.type in {"assessed", "reviewed"} and e.get("rosh"):
                rosh = e.data["rosh"]
            levels.append(rosh)
        return levels

    def sara_on(self, day: date) -> tuple[str | None, str | None]:
        levels: tuple[str | None, str | None] = self._upto("sara", day, _sara)
        return levels

    def is_high_rosh_on(self, day: date) -> bool:
        return self.rosh_on(day) in HIGH_ROSH


# -- reads of the first events of a log (CaseFacts._upto) ---------------------------------------------
def _household(events: tuple[Event, ...]) -> set[str]:
    household: set[str] = set()
    for e in events:
        if e.type == "person_added" and e.data.get("lives_with_case"):
            household.add(e.data["ref"])
        elif e.type == "moved":
            household = set(e.get("occupants", []))
        elif e.type == "child_born" and any(p in household for p in e.get("parents", [])):
            household.add(e.data["ref"])
    return household


def _partners(events: tuple[Event, ...]) -> set[str]:
    partners: set[str] = set()
    for e in events:
        if e.type == "person_added" and e.data.get("relationship") == "partner" or e.type == "relationship_started":
            partners.add(e.data["ref"])
        elif e.type == "relationship_ended":
            partners.discard(e.data["ref"])
    return partners


def _registers(events: tuple[Event, ...]) -> dict[str, date]:
    active: dict[str, date] = {}
    for e in events:
        if e.type == "registered":
            active[e.data["code"]] = e.on
        elif e.type == "deregistered":
            active.pop(e.data["code"], None)
    return active


def _practitioner(events: tuple[Event, ...]) -> str | None:
    ref = None
    for e in events:
        if e.type in {"allocated", "transferred"}:
            ref = e.data["practitioner"]
    return ref


def _sara(events: tuple[Event, ...]) -> tuple[str | None, str | None]:
    partner = others = None
    for e in events:
        if e.type in {"assessed", "reviewed"}:
            partner = e.get("sara_partner", partner)
            others = e.get("sara_others", others)
    return partner, others


def _as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def make_events(items: Iterable[tuple[date, str, Mapping[str, Any]]]) -> tuple[Event, ...]:
    """Build numbered events; a convenience for tests and importers."""
    return tuple(Event(seq=i, on=on, type=kind, data=dict(data)) for i, (on, kind, data) in enumerate(items))


# -- helpers shared by several rules -------------------------------------------------------------
CUSTODIAL_ORDERS = frozenset({"custody"})


def facts_before(facts: CaseFacts, event: Event) -> CaseFacts:
    """The same case as it stood just before `event` (only the events recorded before it)."""
    return replace(facts, events=tuple(e for e in facts.events if e.seq < event.seq))


def next_event(facts: CaseFacts, after: Event, *types: str, on_or_after: date | None = None,
               where: Callable[[Event], bool] | None = None) -> Event | None:
    """The first event of `types` recorded after `after` (and dated on or after `on_or_after`) that passes `where`."""
    for event in facts._types(types):
        if event.seq <= after.seq:
            continue
        if on_or_after is not None and event.on < on_or_after:
            continue
        if where is None or where(event):
            return event
    return None


def is_community_start(event: Event) -> bool:
    """Supervision in the community begins: a community or suspended sentence order, or a release."""
    return event.type == "released" or (event.type == "sentenced" and event.get("order") not in CUSTODIAL_ORDERS)


def is_custody_start(event: Event) -> bool:
    """The person goes into custody: a custodial sentence or a recall."""
    if event.type == "sentenced":
        return event.get("order") in CUSTODIAL_ORDERS
    return event.type == "enforcement" and event.get("action") == "recall"
