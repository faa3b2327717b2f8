"""A synthetic case with no domestic abuse on record: supervision, a check where a curfew is proposed,
reporting and missed appointments. Nobody linked to it is a partner or family member it harmed."""

from __future__ import annotations

from datetime import date
from typing import Any

from safeguard.demo.story import (
    Story,
    add_children,
    address,
    adult_born,
    end_of,
    end_supervision,
    months_for,
    notes,
    partner_gender,
    reporting,
)

OFFENCES = ("theft from a shop", "burglary", "possession with intent to supply", "drink driving", "affray",
            "assault on an emergency worker", "fraud by false representation", "possession of a bladed article",
            "handling stolen goods", "criminal damage")
ROSH_REGISTERS = {"low": "RLRH", "medium": "RMRH", "high": "RHRH"}


def other_story(story: Story, start: date) -> None:
    rng = story.rng
    licence = story.chance(0.3)
    pre = start - story.days(14, 35)
    months = months_for(story, start, (6, 12, 12, 18, 24) if not licence else (6, 9, 12))
    story.closes = end_of(start, months)
    if story.chance(0.35):
        story.person(pre, "partner", gender=partner_gender(story), born=adult_born(story, start), lives_with_case=True)
        if story.chance(0.4):
            add_children(story, pre, live_in=True)
    if story.chance(0.25):
        story.person(pre, "parent", gender=rng.choice(("male", "female")), born=adult_born(story, start, 45, 75),
                     lives_with_case=not story.household)
    victims = []
    if story.chance(0.3):
        victim = story.person(pre, "acquaintance", gender=rng.choice(("male", "female")),
                              born=adult_born(story, start), victim=True)
        victims = [victim] if victim else []
    if story.chance(0.3):
        story.add(pre, "previous_offence", offence_on=(pre - story.days(300, 3000)).isoformat(),
                  description=rng.choice(OFFENCES), victim_relationship=rng.choice(("stranger", "none")),
                  violent=False, domestic=False)
    if licence:
        home = address(story)
        story.allocate(start - story.days(20, 40), story.holder)
        story.add(start, "released", licence=rng.choice(("standard", "hdc")), months=months, address=home,
                  conditions=[{"type": "residence", "address": home}])
    else:
        _sentence(story, start, pre, months, victims)
    assessed = story.when(start, (5, 20), (25, 60))
    rosh = rng.choices(("low", "medium", "high"), (45, 45, 10))[0]
    if story.add(assessed, "assessed", by=story.holder_on(start).ref, rosh=rosh, sources=["previous_assessments"],
                 analysis="General risk assessment"):
        story.add(assessed, "registered", code=ROSH_REGISTERS[rosh])
    if story.chance(0.1):  # a check asked for and then chased (or not)
        story.check("police", start + story.days(10, 200))
    reporting(story, start, months, first_interval=14, later_interval=28)
    if assessed is not None:
        _reviews(story, assessed)
    notes(story, start)
    end_supervision(story, start, months)


def _sentence(story: Story, start: date, pre: date, months: int, victims: list[str]) -> None:
    rng = story.rng
    curfew = story.chance(0.15)
    if story.chance(0.5) or curfew:
        story.add(pre, "court_report_requested", court_date=start.isoformat(),
                  report=rng.choice(("oral", "fast_written")), curfew_proposed=curfew)
        if curfew:  # police information is needed before any curfew, domestic abuse or not
            story.check("police", pre)
    requirements: list[dict[str, Any]] = [
        rng.choice(({"type": "rar", "days": 10}, {"type": "unpaid_work", "hours": 120},
                    {"type": "drug_rehabilitation"}, {"type": "mental_health_treatment"}))]
    if curfew:
        requirements.append({"type": "curfew", "address": "Home address", "electronic_monitoring": True})
    story.add(start, "sentenced", order=rng.choice(("community_order", "suspended_sentence_order")), months=months,
              requirements=requirements,
              offence={"description": rng.choice(OFFENCES), "victims": victims, "domestic": False})
    story.allocate(start + story.days(0, 3), story.holder)


def _reviews(story: Story, assessed: date) -> None:
    gap = {"good": (100, 140), "mixed": (120, 180), "poor": (150, 260)}[story.quality]
    day = assessed + story.days(*gap)
    while day <= story.last_day():
        story.add(day, "reviewed", by=story.holder_on(day).ref, sources=["previous_assessments"],
                  analysis="Scheduled review of the sentence plan")
        day += story.days(*gap)
