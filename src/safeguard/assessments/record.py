"""What the case record holds that an assessment must deal with: the people at risk, the pattern and history
of abuse, and the checks returned. Pure: it reads the engine's CaseFacts (built from the event log), so the
assessment form lists exactly what the policy engine knows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from safeguard.policy.calendar import long_date
from safeguard.policy.facts import PARTNER_RELATIONSHIPS, CaseFacts, Event, age_on
from safeguard.policy.rules.assessment import domestic_history, must_consider

RELATIONSHIP_WORDS = {
    "partner": "partner", "ex_partner": "ex-partner", "parent": "parent", "child": "child", "sibling": "sibling",
    "other_family": "family member", "partners_child": "partner's child", "acquaintance": "acquaintance",
    "other": "linked person",
}
AGENCY_INFO = {"police": "police information", "childrens_services": "children's services information"}
INCIDENT_KINDS = {"callout": "police call-out", "arrest": "arrest", "charge": "charge", "caution": "caution",
                  "intelligence": "police intelligence"}

KIND_WORDS = {"sentence": "offence", "previous_offence": "offence", "police_incident": "police incident",
              "check": "agency check", "control": "control", "breach": "breach", "marac": "MARAC",
              "child_protection": "child protection", "information": "information"}

# Serious-harm features: a structured police-incident feature, or words in the record's text.
SERIOUS_FEATURES: dict[str, str] = {"weapon": "a weapon", "strangulation": "strangulation",
                                    "threats_to_kill": "threats to kill"}
FEATURE_WORDS: dict[str, re.Pattern[str]] = {
    "weapon": re.compile(r"\b(weapons?|knife|knives|axe|machete|hammer|guns?|firearms?|blades?|baseball bat|"
                         r"crossbow|shotgun|screwdriver)\b", re.I),
    "strangulation": re.compile(r"\b(strangl\w*|chok(e|ed|es|ing)|throttl\w*|suffocat\w*|by the (neck|throat))\b",
                                re.I),
    "threats_to_kill": re.compile(r"\b(threat\w*|said he would|said she would)\s+(to\s+)?kill\b|\bkill (you|her|him|"
                                  r"them|me)\b|\bthreats? to kill\b", re.I),
}


@dataclass(frozen=True)
class PersonAtRisk:
    ref: str
    relationship: str
    description: str  # "EX1, ex-partner and victim of the 2015 offence"
    victim: bool
    child: bool
    partner: bool
    in_household: bool
    required_by_rule_8: bool  # a known victim or a child: rule 8 needs them considered


@dataclass(frozen=True)
class HistoryItem:
    key: str  # "seq:<n>": how content["history"] refers to it
    seq: int
    on: date
    kind: str  # sentence, previous_offence, police_incident, check, control, breach, marac, information, ...
    title: str  # "Previous offence (14 June 2018)"
    text: str  # what the record says
    domestic: bool  # rule 8 expects it analysed (previous domestic abuse)
    features: tuple[str, ...]  # serious-harm features it holds (keys of SERIOUS_FEATURES)
    third_party: bool  # what another agency or a victim told us (left out of the person on probation's copy)
    people: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """How the analysis text names it. Previous domestic abuse says so, which rule 8 reads as history; other
        items are named without the words rule 8 reads as history ("previous", "history", ...)."""
        if self.domestic:
            return f"Previous domestic abuse ({self.title})"
        return f"Record ({KIND_WORDS.get(self.kind, self.kind)}, {long_date(self.on)})"


@dataclass(frozen=True)
class ReturnedCheck:
    key: str  # "check:<seq>"
    seq: int
    agency: str
    returned_on: date
    callouts: int | None
    known_to_childrens_services: bool | None
    summary: str

    @property
    def title(self) -> str:
        return f"{AGENCY_INFO[self.agency].capitalize()} returned on {long_date(self.returned_on)}"


def _victim_of(facts: CaseFacts, ref: str) -> str:
    for e in facts.of_type("sentenced"):
        if ref in ((e.get("offence") or {}).get("victims") or []):
            return f"victim of the {e.on.year} offence"
    for e in facts.of_type("police_incident"):
        if e.get("victim") == ref and e.get("domestic"):
            return f"victim of the domestic incident of {long_date(e.on)}"
    return "a known victim"


def describe_person(facts: CaseFacts, ref: str, day: date, names: Mapping[str, str] | None = None) -> str:
    """'EX1, ex-partner and victim of the 2015 offence'; 'CH1 (Sam), child aged 8, lives with him'."""
    known = facts.until(day)
    person = known.person(ref)
    who = f"{ref} ({names[ref]})" if names and names.get(ref) else ref
    if person is None:
        return who
    relationship = RELATIONSHIP_WORDS.get(person.relationship, person.relationship)
    if person.relationship == "partner" and ref not in known.partners_on(day):
        relationship = "former partner"
    elif person.relationship != "partner" and ref in known.partners_on(day):
        relationship = f"{relationship}, now a partner again" if person.relationship == "ex_partner" \
            else f"{relationship}, now a partner"
    if person.born is not None and person.is_child_on(day):
        relationship += f" aged {age_on(person.born, day)}"
    if ref in {p.ref for p in known.victims()}:
        relationship += f" and {_victim_of(known, ref)}"
    extras = []
    if ref in known.household_on(day):
        extras.append("lives with them")
    if any(e.data.get("ref") == ref for e in known.pregnancies()):
        extras.append("pregnant")
    return ", ".join([who, relationship, *extras])


def people_to_consider(facts: CaseFacts, day: date, names: Mapping[str, str] | None = None) -> list[PersonAtRisk]:
    """Every known victim, partner (current or former) and child, each once, victims first."""
    known = facts.until(day)
    victims = [p.ref for p in known.victims()]
    children = [p.ref for p in known.children_on(day)]
    partners = [p.ref for p in known.people.values() if p.relationship in PARTNER_RELATIONSHIPS]
    partners += sorted(known.partners_on(day))
    pregnant = [e.data["ref"] for e in known.pregnancies() if e.data.get("ref") in known.people]
    required = set(must_consider(facts, day))
    household = known.household_on(day)
    out = []
    for ref in dict.fromkeys(victims + partners + pregnant + children):
        person = known.people[ref]
        out.append(PersonAtRisk(
            ref=ref, relationship=person.relationship, description=describe_person(facts, ref, day, names),
            victim=ref in victims, child=ref in children,
            partner=person.relationship in PARTNER_RELATIONSHIPS or ref in known.partners_on(day),
            in_household=ref in household, required_by_rule_8=ref in required,
        ))
    return out


def _features_in(text: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in FEATURE_WORDS.items() if pattern.search(text or ""))


def _item(e: Event, kind: str, title: str, text: str, domestic_seqs: set[int], *, third_party: bool = False,
          features: tuple[str, ...] = (), people: tuple[str, ...] = ()) -> HistoryItem:
    found = tuple(dict.fromkeys(features + _features_in(text)))
    return HistoryItem(key=f"seq:{e.seq}", seq=e.seq, on=e.on, kind=kind, title=f"{title} ({long_date(e.on)})",
                       text=text, domestic=e.seq in domestic_seqs, features=found, third_party=third_party,
                       people=people)


def history_items(facts: CaseFacts, day: date) -> list[HistoryItem]:
    """Every offence, previous offence, incident, check result, control, breach, MARAC, child protection change
    and item of information on record up to `day`, oldest first, each flagged when rule 8 counts it as previous
    domestic abuse and with the serious-harm features it holds."""
    known = facts.until(day)
    domestic_seqs = {e.seq for e in domestic_history(facts, day)}
    items: list[HistoryItem] = []
    for e in known.events:
        if e.type == "sentenced":
            offence = e.get("offence") or {}
            victims = tuple(offence.get("victims") or [])
            domestic = "domestic" if offence.get("domestic") else "not recorded as domestic" \
                if offence.get("domestic") is False else "domestic or not: not recorded"
            items.append(_item(e, "sentence", "Current or recent offence",
                               f"{offence.get('description') or 'Offence not described'} ({domestic}"
                               + (f"; victims {', '.join(victims)}" if victims else "") + ")",
                               domestic_seqs, people=victims))
        elif e.type == "previous_offence":
            when = e.get("offence_on")
            relationship = str(e.get("victim_relationship") or "none").replace("_", "-")
            flags = [w for w, on in (("violent", e.get("violent")), ("domestic", e.get("domestic"))) if on]
            items.append(HistoryItem(
                key=f"seq:{e.seq}", seq=e.seq, on=e.on, kind="previous_offence",
                title=f"Previous offence ({long_date(date.fromisoformat(str(when)[:10])) if when else 'date unknown'})",
                text=f"{e.get('description') or 'Not described'} (victim: {relationship}"
                     + (f"; {', '.join(flags)}" if flags else "") + ")",
                domestic=e.seq in domestic_seqs, features=_features_in(str(e.get("description") or "")),
                third_party=False))
        elif e.type == "police_incident":
            features = [str(f) for f in e.get("features", [])]
            words = ", ".join(f.replace("_", " ") for f in features) or "no features recorded"
            victim = e.get("victim")
            items.append(_item(
                e, "police_incident", ("Domestic " if e.get("domestic") else "") + INCIDENT_KINDS.get(
                    str(e.get("kind")), "police incident"),
                f"{words}" + (f"; victim {victim}" if victim else ""), domestic_seqs, third_party=True,
                features=tuple(f for f in features if f in SERIOUS_FEATURES), people=(victim,) if victim else ()))
        elif e.type == "check_returned":
            callouts = e.get("callouts")
            extra = [f"{callouts} domestic call-outs" if callouts is not None else "",
                     "known to children's services" if e.get("known_to_childrens_services") else ""]
            text = "; ".join(x for x in [e.get("summary", ""), *extra] if x)
            items.append(_item(e, "check", AGENCY_INFO.get(str(e.get("agency")), "information").capitalize()
                               + " returned", text or "Nothing recorded", domestic_seqs, third_party=True))
        elif e.type == "control_imposed":
            items.append(_item(e, "control", "Control imposed",
                               f"{str(e.get('control')).replace('_', ' ')} protecting "
                               f"{', '.join(e.get('protects', [])) or 'no one named'}", domestic_seqs,
                               people=tuple(e.get("protects", []))))
        elif e.type == "control_breached":
            items.append(_item(e, "breach", "Control breached",
                               f"reported by {e.get('reported_by', 'not recorded')}"
                               + (f"; protected person {e.get('protects')}" if e.get("protects") else ""),
                               domestic_seqs, third_party=True))
        elif e.type in {"marac_referred", "marac_heard"}:
            items.append(_item(e, "marac", "MARAC referral" if e.type == "marac_referred" else "MARAC meeting",
                               str(e.get("reason") or e.get("actions") or ""), domestic_seqs, third_party=True))
        elif e.type == "child_protection":
            items.append(_item(e, "child_protection", "Child protection status",
                               f"{e.get('ref')}: {str(e.get('status')).replace('_', ' ')}", domestic_seqs,
                               third_party=True, people=(str(e.get("ref")),)))
        elif e.type == "information_received":
            items.append(_item(e, "information", "Information received",
                               f"from {str(e.get('source')).replace('_', ' ')}: {e.get('text', '')}", domestic_seqs,
                               third_party=True))
    return items


def returned_checks(facts: CaseFacts, day: date) -> list[ReturnedCheck]:
    """Every police and children's services check returned by `day`, oldest first."""
    return [ReturnedCheck(key=f"check:{e.seq}", seq=e.seq, agency=str(e.data["agency"]), returned_on=e.on,
                          callouts=e.get("callouts"), known_to_childrens_services=e.get("known_to_childrens_services"),
                          summary=str(e.get("summary", "")))
            for e in facts.until(day).of_type("check_returned")]


def domestic_incidents_within(facts: CaseFacts, day: date, months: int) -> list[Event]:
    from safeguard.policy.calendar import add_months

    since = add_months(day, -months)
    return [e for e in facts.until(day).of_type("police_incident") if e.get("domestic") and e.on > since]
