"""A synthetic domestic-abuse case: victim, children, sentence or licence, checks, assessment, programme,
victim safety work, controls, incidents, new partners, moves and reviews, each done well or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
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

OFFENCES = ("assault by beating", "controlling or coercive behaviour", "actual bodily harm", "harassment",
            "criminal damage to a partner's property", "breach of a non-molestation order", "stalking",
            "sending threatening messages")
HISTORY = ("assault on a former partner", "harassment of a former partner", "breach of a restraining order",
           "common assault (domestic)")
HIGH = ("high", "very_high")
ELIGIBLE_SARA = ("medium", "high")
FEATURES = (("violence", 0.5), ("coercive_control", 0.25), ("criminal_damage", 0.15), ("threats_to_kill", 0.1),
            ("strangulation", 0.08), ("stalking", 0.08))
ROSH_REGISTERS = {"low": "RLRH", "medium": "RMRH", "high": "RHRH", "very_high": "RVHR"}


@dataclass
class DaCase:
    start: date
    months: int
    licence: bool
    victim: str
    partner: str | None
    children: list[str]
    at_risk: list[str]  # adults who need safety work: victims and partners
    programme_ordered: bool = False
    rosh: str | None = None
    sara: dict[str, str] = field(default_factory=dict)
    assessed_on: date | None = None
    flagged_on: date | None = None
    needs_safety_from: date | None = None  # a programme, or high RoSH, makes victim safety work necessary

    def needs_safety_on(self, day: date) -> bool:
        return self.needs_safety_from is not None and self.needs_safety_from <= day


def domestic_abuse_story(story: Story, start: date) -> None:
    rng = story.rng
    licence = story.chance(0.25)
    pre = start - (story.days(70, 100) if licence else story.days(21, 42))
    relationship = rng.choices(("partner", "ex_partner", "parent", "sibling"), (45, 40, 8, 7))[0]
    together = relationship == "partner" and not licence and story.chance(0.45)
    gender = partner_gender(story) if relationship in {"partner", "ex_partner"} else rng.choice(("male", "female"))
    victim = story.person(pre, relationship, gender=gender, born=adult_born(story, start), victim=True,
                          lives_with_case=together)
    assert victim is not None  # `pre` is before `start`, which is never after as_of
    children = add_children(story, pre, live_in=together) if relationship in {"partner", "ex_partner"} \
        and story.chance(0.5) else []
    if story.chance(0.45):
        story.add(pre, "previous_offence", offence_on=(pre - story.days(400, 3000)).isoformat(),
                  description=rng.choice(HISTORY), victim_relationship=rng.choice(("partner", "ex_partner")),
                  violent=story.chance(0.7), domestic=True)
    months = months_for(story, start, (6, 9, 12, 12, 18, 24) if licence else (12, 18, 18, 24, 24, 36))
    case = DaCase(start=start, months=months, licence=licence, victim=victim,
                  partner=victim if relationship == "partner" else None, children=children, at_risk=[victim])
    story.closes = end_of(start, months)

    # The record shows domestic abuse from `pre`: flag it (ADVP) within 2 working days, late, or never.
    case.flagged_on = story.when(pre, (0, 2), (6, 40))
    story.add(case.flagged_on, "registered", code="ADVP" if story.chance(0.9) else "REG30")
    if children:
        _childrens_check(story, case, pre)
    if licence:
        _release(story, case)
    else:
        _sentence(story, case, pre)
    if not story.has("check_returned", agency="police"):
        story.check("police", start, known=True)
    _assessment(story, case)
    _intervention(story, case)
    if case.needs_safety_from is not None:
        _safety(story, case, case.needs_safety_from)
    _controls(story, case)
    first_visit = story.when(start, (3, 24), (30, 60)) if story.household else None
    reporting(story, start, months, later_interval=28 if case.rosh == "low" else 14, home_visit=first_visit,
              repeat_home_visits=case.rosh in HIGH)
    _incident(story, case)
    _new_partner(story, case)
    _move(story, case)
    _scheduled_reviews(story, case)
    _reset_decision(story, case)
    notes(story, start)
    end_supervision(story, start, months)


def _childrens_check(story: Story, case: DaCase, on: date) -> None:
    known = story.chance(0.4)
    back = story.check("childrens_services", on, about=case.children, known=known)
    if back is not None and known and story.chance(0.5):
        status = story.rng.choice(("child_in_need", "child_protection_plan"))
        if story.add(back, "child_protection", ref=case.children[0], status=status):
            code = "RCPR" if status == "child_protection_plan" else "RCCO"
            story.add(back + story.days(0, 3), "registered", code=code)
            _review(story, case, back)


def _sentence(story: Story, case: DaCase, pre: date) -> None:
    rng, start = story.rng, case.start
    if story.chance(0.65):
        requested = pre + story.days(0, 5)
        story.add(requested, "court_report_requested", court_date=start.isoformat(),
                  report=rng.choice(("oral", "fast_written", "fast_written", "standard")), curfew_proposed=False)
        story.check("police", requested, known=True)
    requirements: list[dict[str, Any]] = [{"type": "rar", "days": rng.choice((10, 15, 20, 25, 30, 40))}]
    if story.chance(0.45):
        requirements.append({"type": "accredited_programme", "programme": rng.choice(("bbr", "bbr", "kaizen"))})
        case.programme_ordered = True
        case.needs_safety_from = start
    if story.chance(0.3):
        requirements.append({"type": "unpaid_work", "hours": rng.choice((80, 100, 120, 150, 200))})
    if story.chance(0.12):
        requirements.append({"type": "alcohol_treatment"})
    story.add(start, "sentenced", order=rng.choices(("community_order", "suspended_sentence_order"), (75, 25))[0],
              months=case.months, requirements=requirements,
              offence={"description": rng.choice(OFFENCES), "victims": [case.victim],
                       "domestic": None if story.chance(0.1) else True})
    story.allocate(start + story.days(0, 2), story.holder)
    _countersign_allocation(story, case, start)


def _release(story: Story, case: DaCase) -> None:
    """A release on licence: the address proposed and checked first, then licence conditions."""
    rng, start = story.rng, case.start
    proposed = start - story.days(35, 60)
    story.allocate(proposed, story.holder)
    _countersign_allocation(story, case, proposed)
    home = address(story)
    occupants = [c for c in case.children if story.chance(0.2)]
    unsafe = case.partner is None and story.quality != "good" and story.chance(0.08)
    story.add(proposed, "address_proposed", address=home, purpose="release", occupants=occupants or None,
              victims_nearby=[case.victim] if unsafe else None)
    if unsafe and story.quality == "mixed":
        refused = proposed + story.days(1, 4)
        story.add(refused, "manager_decision", by=story.spo.ref, about="address_check",
                  decision="Address refused: the victim lives nearby")
        home, proposed = address(story), refused + story.days(3, 10)
        story.add(proposed, "address_proposed", address=home, purpose="release", occupants=occupants or None)
    _address_checks(story, proposed, occupants)
    conditions: list[dict[str, Any]] = [{"type": "residence", "address": home}]
    if case.partner is None:
        conditions.append({"type": "no_contact", "protects": [case.victim]})
        if story.chance(0.4):
            conditions.append({"type": "exclusion_zone", "protects": [case.victim]})
    if story.chance(0.4):
        conditions.append({"type": "programme", "programme": "bbr"})
        case.programme_ordered = True
        case.needs_safety_from = start
    if story.chance(0.5):
        conditions.append({"type": "disclose_relationships"})
    story.add(start, "released", licence=rng.choices(("standard", "hdc", "post_sentence_supervision"), (70, 20, 10))[0],
              months=case.months, address=home, conditions=conditions)
    story.add(start, "moved", address=home, occupants=occupants or None)
    story.household = list(occupants)
    _review(story, case, start)


def _address_checks(story: Story, proposed: date, occupants: list[str]) -> None:
    """Police and children's services checks on everyone at a proposed address, and a visit to it."""
    story.check("police", proposed, about=occupants or None)
    story.check("childrens_services", proposed, about=occupants or None)
    visit = story.when(proposed, (1, 6), (8, 25))
    if visit is not None:
        story.contact(visit, "home_visit")


def _countersign_allocation(story: Story, case: DaCase, on: date) -> None:
    if story.holder_on(on).inexperienced_on(on) and case.children:
        story.add(story.when(on, (1, 5), (9, 30)), "countersigned", by=story.spo.ref)


def _assessment(story: Story, case: DaCase) -> None:
    rng = story.rng
    on = story.when(case.start, (6, 20), (25, 60))
    if on is None or on > story.last_day():
        return
    rosh = rng.choices(("low", "medium", "high", "very_high"), (10, 55, 30, 5))[0]
    sara = {"sara_partner": "high" if rosh in HIGH else rng.choice(("low", "medium", "medium")),
            "sara_others": rng.choices(("low", "medium", "high"), (60, 30, 10))[0]}
    returned = sorted({e["agency"] for d, _, e in story.events if e["type"] == "check_returned" and d <= on})
    considered = [case.victim, *case.children]
    sources = ["previous_assessments", *returned]
    if story.quality != "good" and story.chance(0.5):
        considered, sources = [case.victim], ["previous_assessments"]  # children and checks left out
    if story.quality == "poor" and story.chance(0.4):
        considered = []
    analysis = "Risk to current and former partners analysed"
    if story.has("previous_offence") and (story.quality == "good" or story.chance(0.4)):
        analysis += "; previous domestic abuse and its pattern considered"
    dash = None
    if story.chance(0.5):
        dash = rng.randint(12, 19) if rosh in HIGH else rng.randint(2, 12)
    holder = story.holder_on(on)
    story.add(on, "assessed", by=holder.ref, rosh=rosh, dash_yes=dash, victims_considered=considered,
              sources=sources, analysis=analysis, **sara)
    story.add(on, "registered", code=ROSH_REGISTERS[rosh])
    case.rosh, case.sara, case.assessed_on = rosh, sara, on
    high = rosh in HIGH
    if high and case.needs_safety_from is None:
        case.needs_safety_from = on
    if holder.inexperienced_on(on) and (high or case.children):
        story.add(story.when(on, (1, 5), (9, 30)), "countersigned", by=story.spo.ref)
    if high and not holder.fit_for_high_risk():
        _reallocate(story, case, on)
    if rosh == "very_high" and story.chance(0.6):
        story.add(on + story.days(5, 25), "mappa", category=2, level=rng.choice((1, 2, 2)))
        story.add(on + story.days(25, 30), "registered", code="MAPP")
    if dash is not None and dash >= 14:
        _marac(story, on)


def _reallocate(story: Story, case: DaCase, on: date) -> None:
    """A high-risk case held by a PSO or an untrained practitioner: transferred (and reviewed by the new
    holder), kept by a manager's decision, or left."""
    fit = [w for w in story.colleagues if w.fit_for_high_risk() and not w.inexperienced_on(on)]
    moved_on = story.when(on, (1, 5), (10, 45))
    if fit and moved_on is not None:
        if story.allocate(moved_on, story.rng.choice(fit), transfer=True):
            _review(story, case, moved_on)
    elif story.chance(0.3):
        story.add(on + story.days(1, 5), "manager_decision", by=story.spo.ref, about="allocation_review",
                  decision="Stays with the current practitioner under close supervision; the SPO co-works it")


def _marac(story: Story, trigger: date) -> None:
    referred = story.when(trigger, (0, 2), (5, 20))
    if referred is not None and story.add(referred, "marac_referred",
                                          reason="High risk: DASH 14 or more, or a serious domestic incident"):
        heard = referred + story.days(10, 28)
        if story.add(heard, "marac_heard", actions="Safety plan for the victim; police markers on the address; "
                                                    "IDVA to make contact"):
            story.add(heard, "registered", code="IMAR")


def _intervention(story: Story, case: DaCase) -> None:
    rng = story.rng
    eligible_sara = any(level in ELIGIBLE_SARA for level in case.sara.values())
    if not case.programme_ordered and not eligible_sara:
        return
    if case.programme_ordered:
        referred = story.when(case.start, (1, 6), (10, 60))
    else:
        assert case.assessed_on is not None
        referred = story.when(case.assessed_on, (3, 25), (30, 70))
    programme = "kaizen" if case.rosh == "very_high" else rng.choice(("bbr", "bbr", "bbr", "kaizen",
                                                                       "building_choices"))
    if referred is None or not story.add(referred, "referred", programme=programme):
        return
    if case.needs_safety_from is None or referred < case.needs_safety_from:
        case.needs_safety_from = referred
    weights = {"good": (80, 8, 6, 6), "mixed": (60, 15, 15, 10), "poor": (45, 15, 30, 10)}[story.quality]
    outcome = rng.choices(("starts", "cancelled", "waiting", "leaves"), weights)[0]
    if outcome == "waiting":
        return  # still no start date: the intervention_start obligation
    started = referred + story.days(20, 75)
    if outcome == "cancelled":
        cancelled = referred + story.days(20, 50)
        story.add(cancelled, "programme_cancelled", programme=programme, by="provider")
        if not story.chance(0.6):
            return
        started = cancelled + story.days(14, 60)
    if not story.add(started, "programme_started", programme=programme):
        return
    story.add(started + story.days(20, 60), "information_received", source="programme",
              text="Attending sessions; engaging in group work")
    if outcome == "leaves":
        left = started + story.days(30, 90)
        if story.add(left, "programme_left", programme=programme, reason="non_attendance"):
            story.add(story.when(left, (1, 5), (9, 30)), "enforcement", action="breach_action",
                      reason="Left the programme through non-attendance")
        return
    story.add(started + story.days(160, 210), "programme_completed", programme=programme)


def _safety(story: Story, case: DaCase, day: date, only: list[str] | None = None) -> None:
    """Safety contact with each victim and partner by a specialist worker (on time, late or never)."""
    worker = "partner_link_worker" if case.programme_ordered or story.has("referred") else \
        story.rng.choice(("victim_liaison", "idva"))
    for ref in only or case.at_risk:
        if story.added.get(ref, date.max) <= day:
            story.add(story.when(day, (1, 10), (16, 45)), "victim_contact", ref=ref, by=worker, safety_plan=True)


def _review(story: Story, case: DaCase, change: date, *, urgent: bool = False) -> None:
    """A review after a change (rule 14), by whoever holds the case then; victims' workers are told."""
    on = story.when(change, (0, 1) if urgent else (1, 6), (8, 30))
    if on is None or not story.add(on, "reviewed", by=story.holder_on(on).ref,
                                   sources=["police", "previous_assessments"],
                                   analysis="Review after a change in the case"):
        return
    if case.needs_safety_on(on):
        _safety(story, case, on)


def _controls(story: Story, case: DaCase) -> None:
    if case.partner is not None or not story.chance(0.45):
        return
    rng = story.rng
    imposed = case.start + story.days(0, 3)
    if case.licence:
        control, until = "licence_condition", end_of(case.start, case.months)
    else:
        control = rng.choices(("restraining_order", "non_molestation_order", "dapo"), (60, 25, 15))[0]
        until = imposed + story.days(300, 720)
    if not story.add(imposed, "control_imposed", control=control, protects=[case.victim], until=until.isoformat()):
        return
    checked = story.when(imposed, (2, 13), (16, 40))
    while checked is not None and checked <= min(story.last_day(), until):
        story.add(checked, "victim_contact", ref=case.victim, by=rng.choice(("victim_liaison", "idva", "practitioner")),
                  safety_plan=story.chance(0.6))
        checked = story.when(checked, (60, 88), (95, 140))
    if not story.chance(0.25):
        return
    breach = story.some_day(imposed, 20)
    if breach is None or not story.add(breach, "control_breached", control=control, protects=case.victim,
                                       reported_by=rng.choice(("victim", "police"))):
        return
    acted = story.when(breach, (0, 1), (3, 12))
    if acted is not None:
        story.add(acted, "check_requested", agency="police")
        story.add(acted, "enforcement", action=rng.choice(("warning", "breach_action", "breach_action")),
                  reason="Breach of the protective order reported")
    _review(story, case, breach, urgent=True)


def _incident(story: Story, case: DaCase) -> None:
    if not story.chance(0.3):
        return
    rng = story.rng
    on = story.some_day(case.start, 20)
    if on is None:
        return
    victim = case.partner or case.victim
    features = [f for f, p in FEATURES if story.chance(p)]
    if case.children and story.chance(0.3):
        features.append("children_present")
    kind = rng.choices(("callout", "arrest", "charge", "intelligence"), (50, 25, 10, 15))[0]
    story.add(on, "police_incident", kind=kind, victim=victim, domestic=True, features=features)
    story.add(on, "information_received", source="police", text="Domestic call-out reported by the police")
    _review(story, case, on, urgent=True)
    if {"threats_to_kill", "strangulation", "stalking"} & set(features):
        _marac(story, on)


def _new_partner(story: Story, case: DaCase) -> None:
    """A relationship ends and a new one starts: reviews, checks on the new partner, a disclosure decision."""
    if not story.chance(0.2):
        return
    rng = story.rng
    on = story.some_day(case.start, 40)
    if on is None:
        return
    if case.partner is not None:
        ended = on - story.days(5, 30)
        if not story.add(ended, "relationship_ended", ref=case.partner):
            return
        story.household = [r for r in story.household if r != case.partner]
        _review(story, case, ended)
    gender = partner_gender(story)
    partner = story.person(on, "partner", gender=gender, born=adult_born(story, on, 18, 45))
    if partner is None:
        return
    story.add(on, "relationship_started", ref=partner)
    case.partner = partner
    case.at_risk.append(partner)
    kids = add_children(story, on, live_in=False, relationship="partners_child", count=rng.choice((1, 2))) \
        if story.chance(0.35) else []
    case.children += kids
    story.check("police", on, about=[partner])
    if case.children:
        story.check("childrens_services", on, about=[partner, *kids])
    _review(story, case, on)
    disclosed = story.when(on, (3, 13), (16, 45))
    if disclosed is not None:
        story.add(disclosed, "disclosure", scheme="right_to_know", to=partner)
    elif story.chance(0.3):
        story.add(on + story.days(3, 10), "manager_decision", by=story.spo.ref, about="disclosure_consideration",
                  decision="Police decided not to disclose: no relevant history to share with this partner")
    if gender == "female" and story.chance(0.25):
        _pregnancy(story, case, partner, on + story.days(30, 120))


def _pregnancy(story: Story, case: DaCase, mother: str, on: date) -> None:
    if not story.add(on, "pregnancy", ref=mother):
        return
    story.check("childrens_services", on, about=[mother])
    _review(story, case, on)
    born = on + story.days(150, 230)
    baby = story.child_born(born, mother)
    if baby is not None:
        case.children.append(baby)
        story.check("childrens_services", born, about=[baby])
        _review(story, case, born)


def _move(story: Story, case: DaCase) -> None:
    """A move with the same household: the new address is checked and visited before the move."""
    if not story.chance(0.15):
        return
    proposed = story.some_day(case.start, 30)
    if proposed is None:
        return
    home, occupants = address(story), list(story.household)
    if not story.add(proposed, "address_proposed", address=home, purpose="residence", occupants=occupants or None):
        return
    _address_checks(story, proposed, occupants)
    moved = proposed + story.days(10, 40)
    if story.add(moved, "moved", address=home, occupants=occupants or None):
        _review(story, case, moved)


def _scheduled_reviews(story: Story, case: DaCase) -> None:
    """Reviews every 16 weeks at most (good practice: often enough for the 3-monthly register review too)."""
    anchor = case.flagged_on or case.assessed_on
    if anchor is None or case.assessed_on is None:
        return
    gap = {"good": (70, 85), "mixed": (80, 130), "poor": (120, 220)}[story.quality]
    day = max(anchor + story.days(55, 80), case.assessed_on + timedelta(days=7))
    while day <= story.last_day():
        confirm = {"rosh": case.rosh, **case.sara} if story.chance(0.3) else {}
        story.add(day, "reviewed", by=story.holder_on(day).ref, sources=["police", "previous_assessments"],
                  analysis="Scheduled review of risk and the sentence plan", **confirm)
        if case.needs_safety_on(day):
            _safety(story, case, day)
        if story.quality == "poor" and story.chance(0.5):
            break  # reviewing stops
        day += story.days(*gap)


def _reset_decision(story: Story, case: DaCase) -> None:
    point = case.start + timedelta(days=int(case.months * 30.4 * 2 / 3))
    story.add(story.when(point - timedelta(days=25), (0, 20), (40, 60)), "manager_decision", by=story.spo.ref,
              about="contact", decision="Domestic abuse case: reporting continues to the end of the order")
