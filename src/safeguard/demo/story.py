"""Recording one synthetic case's story as timeline events, with practice that is on time, late or missing.

Each case has a practice quality (good, mixed, poor) that decides whether each piece of work is done on
time, late or never, so the demo shows every kind of obligation and every concern level. Pure: no Django,
no clock; everything comes from the random.Random it is given.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from safeguard.demo import names

# P(on time), P(late); the rest is never.
QUALITY = {"good": (0.9, 0.07), "mixed": (0.6, 0.25), "poor": (0.25, 0.3)}
QUALITY_WEIGHTS = {"good": 45, "mixed": 35, "poor": 20}
ABSENCE_OUTCOMES = ("failed_to_attend", "unacceptable_absence")


@dataclass(frozen=True)
class Worker:
    """What a story needs to know about a member of staff."""

    ref: str
    grade: str
    da_trained: bool
    qualified_on: date | None

    def inexperienced_on(self, day: date) -> bool:
        return (self.grade in {"PSO", "PQiP"} or not self.da_trained or self.qualified_on is None
                or self.qualified_on > day - timedelta(days=365))

    def fit_for_high_risk(self) -> bool:
        return self.grade in {"PO", "SPO"} and self.da_trained


def end_of(start: date, months: int) -> date:
    return start + timedelta(days=int(months * 30.4))


@dataclass
class Story:
    """Collects a case's events. Events after `as_of` (or after supervision ends) are dropped, and so are any
    that depend on them, because a dependent event is never dated before what it depends on."""

    rng: random.Random
    as_of: date
    quality: str
    holder: Worker
    spo: Worker
    colleagues: list[Worker]
    surname: str
    gender: str
    events: list[tuple[date, int, dict[str, Any]]] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # ref -> synthetic name
    added: dict[str, date] = field(default_factory=dict)
    household: list[str] = field(default_factory=list)
    holders: list[tuple[date, Worker]] = field(default_factory=list)
    closes: date | None = None
    absences: list[date] = field(default_factory=list)
    decided_until: date | None = None

    # -- recording ----------------------------------------------------------------------------------
    def add(self, on: date | None, type_: str, **fields: Any) -> bool:
        if on is None or on > self.last_day():
            return False
        event = {"on": on.isoformat(), "type": type_}
        # Copied: callers pass lists they go on changing (the children known so far, say).
        event.update({k: copy.deepcopy(v) for k, v in fields.items() if v is not None})
        self.events.append((on, len(self.events), event))
        return True

    def last_day(self) -> date:
        return min(self.as_of, self.closes) if self.closes is not None else self.as_of

    def timeline_events(self) -> list[dict[str, Any]]:
        return [event for _, _, event in sorted(self.events, key=lambda item: (item[0], item[1]))]

    def has(self, type_: str, **fields: Any) -> bool:
        return any(e["type"] == type_ and all(e.get(k) == v for k, v in fields.items()) for _, _, e in self.events)

    def person(self, on: date, relationship: str, *, gender: str, born: date, victim: bool = False,
               lives_with_case: bool = False, child: bool = False, surname: str | None = None) -> str | None:
        ref = f"{'C' if child else 'V' if victim else 'P'}{len(self.people) + 1}"
        if not self.add(on, "person_added", ref=ref, relationship=relationship, born=born.isoformat(),
                        gender=gender, lives_with_case=lives_with_case, victim=victim):
            return None
        self.people[ref] = names.full_name(self.rng, gender, surname, child=child)
        self.added[ref] = on
        if lives_with_case:
            self.household.append(ref)
        return ref

    def child_born(self, on: date, parent: str) -> str | None:
        ref = f"C{len(self.people) + 1}"
        if not self.add(on, "child_born", ref=ref, parents=[parent]):
            return None
        self.people[ref] = names.full_name(self.rng, self.rng.choice(("male", "female")), self.surname, child=True)
        self.added[ref] = on
        return ref

    # -- chance and time ----------------------------------------------------------------------------
    def when(self, start: date, on_time: tuple[int, int], late: tuple[int, int],
             quality: str | None = None) -> date | None:
        """When a piece of work due from `start` gets done: within `on_time` days, within `late`, or never."""
        p_on_time, p_late = QUALITY[quality or self.quality]
        roll = self.rng.random()
        if roll < p_on_time:
            return start + timedelta(days=self.rng.randint(*on_time))
        if roll < p_on_time + p_late:
            return start + timedelta(days=self.rng.randint(*late))
        return None

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.rng.randint(low, high))

    def some_day(self, after: date, low: int = 0) -> date | None:
        """A day from `low` days after `after` up to now (or the end of supervision); None when there is none."""
        span = (self.last_day() - after).days - low
        return after + timedelta(days=low + self.rng.randint(0, span)) if span >= 0 else None

    # -- practice -----------------------------------------------------------------------------------
    def holder_on(self, day: date) -> Worker:
        current = self.holder
        for since, worker in self.holders:
            if since <= day:
                current = worker
        return current

    def allocate(self, on: date, worker: Worker, *, transfer: bool = False) -> bool:
        if self.add(on, "transferred" if transfer else "allocated", practitioner=worker.ref,
                    area_changed=False if transfer else None):
            self.holders.append((on, worker))
            return True
        return False

    def check(self, agency: str, start: date, *, about: list[str] | None = None, quality: str | None = None,
              known: bool = False) -> date | None:
        """Request a police or children's services check (maybe late, maybe never) and have it come back
        (maybe late, maybe never). Returns the day it came back."""
        requested = self.when(start, (0, 2), (8, 30), quality)
        if requested is None or not self.add(requested, "check_requested", agency=agency, about=about or None):
            return None
        back = self.when(requested, (1, 5), (12, 35), "good" if (quality or self.quality) != "poor" else "mixed")
        if back is None:
            return None
        if agency == "police":
            callouts = self.rng.choice((0, 0, 1, 2, 3, 5)) if known else 0
            summary = (f"{callouts} domestic call-out(s) on record" if callouts else
                       "No domestic abuse call-outs on record")
            ok = self.add(back, "check_returned", agency="police", callouts=callouts, summary=summary)
        else:
            summary = "Family known: previous child in need plan" if known else "Not known to children's services"
            ok = self.add(back, "check_returned", agency="childrens_services", known_to_childrens_services=known,
                          summary=summary)
        return back if ok else None

    def contact(self, day: date, kind: str, outcome: str = "attended") -> None:
        """A contact; missed appointments build towards an enforcement decision (made on time, late or never)."""
        if not self.add(day, "contact", kind=kind, outcome=outcome, by=self.holder_on(day).ref):
            return
        if outcome not in ABSENCE_OUTCOMES:
            return
        self.absences = [d for d in self.absences if (day - d).days < 365] + [day]
        if len(self.absences) >= 2 and (self.decided_until is None or day > self.decided_until):
            decided = self.when(day, (1, 5), (8, 25))
            self.add(decided, "enforcement", action=self.rng.choice(("warning", "warning", "breach_action")),
                     reason="Missed appointments")
            self.decided_until = decided or date.max  # no decision: the open obligation covers later absences


# -- people ---------------------------------------------------------------------------------------------
def adult_born(story: Story, start: date, low: int = 19, high: int = 55) -> date:
    return start - timedelta(days=story.rng.randint(low * 365, high * 365))


def partner_gender(story: Story) -> str:
    if story.chance(0.06):
        return story.gender
    return "female" if story.gender == "male" else "male"


def add_children(story: Story, on: date, *, live_in: bool, relationship: str = "child",
                 count: int | None = None) -> list[str]:
    refs = []
    for _ in range(count if count is not None else story.rng.choice((1, 1, 2, 2, 3))):
        born = on - story.days(60, 16 * 365)
        ref = story.person(on, relationship, gender=story.rng.choice(("male", "female")), born=born,
                           lives_with_case=live_in, child=True,
                           surname=story.surname if relationship == "child" else None)
        if ref:
            refs.append(ref)
    return refs


def months_for(story: Story, start: date, choices: tuple[int, ...]) -> int:
    """A sentence length; most cases on a caseload are still being supervised, so short ones are rarer."""
    months = story.rng.choice(choices)
    if end_of(start, months) <= story.as_of and story.chance(0.6):
        months = max(24, months)
    return months


def address(story: Story) -> str:
    return f"{names.street_address(story.rng)}, {names.place(story.rng)}"


def end_supervision(story: Story, start: date, months: int) -> None:
    end = end_of(start, months)
    if end <= story.as_of:
        story.add(end, "supervision_ended", reason=story.rng.choices(("completed", "revoked", "other"), (85, 10, 5))[0])


def notes(story: Story, start: date) -> None:
    for _ in range(story.rng.randint(0, 3)):
        on = story.some_day(start, 5)
        if on is not None:
            story.add(on, "note", by=story.holder_on(on).ref,
                      text=story.rng.choice(("Discussed the sentence plan", "Employment support referral made",
                                             "Housing advice given", "Talked about triggers and warning signs")))


def reporting(story: Story, start: date, months: int, *, later_interval: int, first_interval: int = 7,
              home_visit: date | None = None, repeat_home_visits: bool = False) -> None:
    """Reporting from the start: every `first_interval` days for 12 weeks, then every `later_interval` days;
    kept to (good), with slips (mixed) or drifting, on the phone and lapsing (poor); home visits from
    `home_visit`."""
    rng = story.rng
    end = min(story.last_day(), end_of(start, months))
    lapse = {"good": 0.0, "mixed": 0.12, "poor": 0.5}[story.quality]
    if story.chance(lapse):
        end = min(end, story.as_of - story.days(21, 70))
    slack = {"good": (-2, 0), "mixed": (-1, 4), "poor": (1, 16)}[story.quality]
    rebook = {"good": (1, 3), "mixed": (3, 7), "poor": (7, 20)}[story.quality]
    day = start + story.days(0, 3)
    while day <= end:
        kind = "office"
        if home_visit is not None and day >= home_visit:
            kind = "home_visit"
            home_visit = day + story.days(75, 88) if repeat_home_visits else None
        elif story.quality == "poor" and story.chance(0.3):
            kind = rng.choice(("phone", "phone", "public_place"))
        elif story.chance(0.07):
            kind = rng.choice(("video", "three_way") if story.quality == "good" else ("video", "three_way", "phone"))
        outcome = rng.choices(("attended", "failed_to_attend", "acceptable_absence", "unacceptable_absence"),
                              (86, 6, 4, 4))[0]
        story.contact(day, kind, outcome)
        interval = first_interval if (day - start).days < 84 else later_interval
        if outcome != "attended" or kind in {"phone", "public_place"}:
            day += story.days(*rebook)
        else:
            day += timedelta(days=interval + rng.randint(*slack))
