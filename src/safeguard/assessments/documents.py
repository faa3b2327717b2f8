"""Documents made from an assessment: the assessment itself and a MARAC referral pack, as PDF (WeasyPrint).

Every document is made for an explicit audience, and leaves out what that reader may not see:

    practitioner          probation staff on the case: everything, with the internal checks and explanations
    partner_agency        MARAC and other agencies: victims' and children's contact details, but no internal
                          checks or explanations
    person_on_probation   the person supervised: a copy of its own (probation_copy), built from an allow-list of
                          what he needs, and made only from a countersigned final assessment (see below)

A contact detail marked "never disclose" (a refuge address, say) goes into no document, whoever reads it.

The person on probation's copy (issue 33, finding 2) is not the assessment with parts taken out: it carries only
his own name, reference, date of birth and delivery unit, his practitioner's name, the date the assessment became
final, what his order or licence requires (the kinds of requirement and condition, with days or hours, never an
address or a protected person), and the plan actions that are his (owner "person on probation", or his name).
Nothing else is in it: no victim, partner or child, no history, risk levels, sources, summary or other agencies'
actions. A plan action whose text holds a victim's contact detail is left out, not marked: the copy never says
that something was withheld, so it cannot reveal that a refuge address exists.

Victims' and children's contact details live in their own model, with its own permission and field
encryption (safeguard.victims). Documents take them as an explicit `details` mapping (person ref ->
ContactDetails); `contact_details(case, user)` is the one place that reads them, through
safeguard.victims.redaction, and asks safeguard.accounts.access what the person making the copy may put in it:
nothing unless they may see victims' records (can_see_victims), and never a never-disclose detail
(can_reveal_never_disclose on the "pdf" channel, which no one has). Removed details are not shown but are still
scrubbed. As a last guard, every detail the audience may not see is scrubbed ("[withheld]") from every text of
the document and from the finished page, wherever it was typed, ignoring case, spaces and punctuation.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safeguard.assessments import content as c
from safeguard.assessments.checks import Context, contradictions, sufficiency
from safeguard.assessments.record import (
    SERIOUS_FEATURES,
    domestic_incidents_within,
    history_items,
    people_to_consider,
    returned_checks,
)
from safeguard.assessments.tier import tier_of
from safeguard.policy.calendar import long_date
from safeguard.policy.facts import age_on
from safeguard.victims.address_match import redact

_NOT_WORD = re.compile(r"[\W_]+")

WITHHELD = "[withheld]"


class Audience(enum.StrEnum):
    PRACTITIONER = "practitioner"
    PARTNER_AGENCY = "partner_agency"
    PERSON_ON_PROBATION = "person_on_probation"

    @property
    def label(self) -> str:
        return {"practitioner": "Probation staff copy", "partner_agency": "Copy for partner agencies",
                "person_on_probation": "Copy for the person on probation"}[self.value]


@dataclass(frozen=True)
class Visibility:
    contact_details: bool  # victims', partners' and children's addresses, phone numbers, emails
    third_party: bool  # what other agencies or victims told us
    internal: bool  # sufficiency findings, contradictions and their explanations, the tier's workings


VISIBILITY: dict[Audience, Visibility] = {
    Audience.PRACTITIONER: Visibility(contact_details=True, third_party=True, internal=True),
    Audience.PARTNER_AGENCY: Visibility(contact_details=True, third_party=True, internal=False),
    Audience.PERSON_ON_PROBATION: Visibility(contact_details=False, third_party=False, internal=False),
}


@dataclass(frozen=True)
class Detail:
    kind: str  # address, phone, email, other
    value: str
    never_disclose: bool = False
    current: bool = True  # False: removed from the record (never shown, still scrubbed)


@dataclass(frozen=True)
class ContactDetails:
    """One person's contact details. `entitled` is False when whoever makes the copy may not see victims'
    records: then nothing is shown, whoever the copy is for, and every value is scrubbed."""

    details: tuple[Detail, ...] = field(default_factory=tuple)
    entitled: bool = True

    def visible(self, audience: Audience) -> list[Detail]:
        if not (VISIBILITY[audience].contact_details and self.entitled):
            return []
        return [d for d in self.details if d.current and not d.never_disclose and d.value]

    @property
    def never_disclose(self) -> bool:
        return any(d.never_disclose and d.current for d in self.details)


def contact_details(case: Any, user: Any) -> dict[str, ContactDetails]:
    """The contact details held for a case's victims and children, keyed by person ref, as `user` may put
    them in a document (see the module docstring)."""
    from safeguard.accounts.access import can_reveal_never_disclose, can_see_victims
    from safeguard.victims.redaction import detail_values

    entitled = user is not None and can_see_victims(user, case)
    reveal = user is not None and can_reveal_never_disclose(user, case, "pdf")
    found: dict[str, list[Detail]] = {}
    for detail, value in detail_values(case):
        found.setdefault(detail.record.person.ref, []).append(
            Detail(detail.kind, value, never_disclose=detail.never_disclose and not reveal,
                   current=detail.removed_at is None))
    return {ref: ContactDetails(tuple(details), entitled=entitled) for ref, details in sorted(found.items())}


def withheld_strings(audience: Audience, details: Mapping[str, ContactDetails]) -> list[str]:
    """Every detail this audience may not see, longest first."""
    out = set()
    for person in details.values():
        shown = set(person.visible(audience))
        out |= {d.value.strip() for d in person.details if d not in shown and d.value.strip()}
    return sorted(out, key=len, reverse=True)


def scrub(value: Any, strings: list[str]) -> Any:
    """The value with every withheld string replaced, recursively; matching ignores case, spaces and
    punctuation ("12 Refuge Rd." is found as "12, refuge road"), and an address by its parts too (postcode,
    number and street, building name): safeguard.victims.address_match."""
    if isinstance(value, str):
        return redact(value, strings, WITHHELD)
    if isinstance(value, list | tuple):
        return [scrub(v, strings) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, strings) for k, v in value.items()}
    return value


def _person_rows(ctx: Context, content: dict[str, Any], audience: Audience,
                 details: Mapping[str, ContactDetails]) -> list[dict[str, Any]]:
    rows = []
    for person in people_to_consider(ctx.facts, ctx.on, ctx.names):
        held = details.get(person.ref, ContactDetails())
        shown = held.visible(audience)
        contact = [d.value for d in shown]
        if not VISIBILITY[audience].contact_details:
            contact = ["Withheld from this copy"]
        elif not held.entitled:
            contact = ["Withheld: whoever made this copy may not see victims' contact details"]
        elif held.never_disclose:
            contact.append("Other details withheld: never to be disclosed" if contact
                           else "Withheld: never to be disclosed")
        elif not contact:
            contact = ["Not held in Safeguard"]
        entry = content["people"].get(person.ref, {})
        facts_person = ctx.facts.person(person.ref)
        born = facts_person.born if facts_person else None
        rows.append({
            "ref": person.ref, "description": person.description,
            "born": f"{long_date(born)} (aged {age_on(born, ctx.on)})" if born else "Not recorded",
            "contact": contact, "never_disclose": held.never_disclose,
            "judgement": c.JUDGEMENTS.get(entry.get("judgement", ""), "Not considered"),
            "note": entry.get("note", ""), "child": person.child, "victim": person.victim,
            "partner": person.partner, "in_household": person.in_household,
        })
    return rows


def _history_rows(ctx: Context, content: dict[str, Any], audience: Audience,
                  only_domestic: bool = False) -> list[dict[str, Any]]:
    seen = VISIBILITY[audience]
    rows = []
    for item in history_items(ctx.facts, ctx.on):
        if only_domestic and not (item.domestic or item.features):
            continue
        text = item.text if seen.third_party or not item.third_party else \
            "Information from another agency or a victim: withheld from this copy"
        rows.append({"title": item.title, "text": text, "domestic": item.domestic,
                     "features": [SERIOUS_FEATURES[f] for f in item.features],
                     "analysis": content["history"].get(item.key, "")})
    return rows


def _source_rows(ctx: Context, content: dict[str, Any], audience: Audience) -> list[dict[str, str]]:
    seen = VISIBILITY[audience]
    rows = []
    for check in returned_checks(ctx.facts, ctx.on):
        if check.key in content["sources"]:
            rows.append({"title": check.title, "text": check.summary if seen.third_party else ""})
    rows += [{"title": label, "text": ""} for key, label in c.GENERAL_SOURCES.items() if key in content["sources"]]
    return rows


def _plan_rows(content: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for item in content["plan"]:
        try:
            due = long_date(date.fromisoformat(item["due_on"]))
        except ValueError:
            due = "No date"
        rows.append({"action": item["action"], "owner": item["owner"], "due": due,
                     "person": item["person"]})
    return rows


def assessment_document(ctx: Context, content: dict[str, Any], *, case: Mapping[str, Any],
                        meta: Mapping[str, Any], audience: Audience,
                        details: Mapping[str, ContactDetails]) -> dict[str, Any]:
    """Everything the assessment PDF shows, already redacted for `audience`. Not for the person on probation:
    his copy is probation_copy, an allow-list."""
    if audience is Audience.PERSON_ON_PROBATION:
        raise ValueError("the person on probation's copy is made by probation_copy, from an allow-list")
    content = c.normalise(content)
    seen = VISIBILITY[audience]
    people = _person_rows(ctx, content, audience, details)
    tier = tier_of(ctx.facts, ctx.on)
    doc: dict[str, Any] = {
        "title": "Domestic abuse risk assessment", "audience": audience.label, "case": dict(case),
        "meta": dict(meta), "people": people,
        "categories": [c.CATEGORIES[k] for k in content["categories"]], "abuse_note": content["abuse_note"],
        "history": _history_rows(ctx, content, audience),
        "circumstances": [{"label": label, "text": content["circumstances"].get(key, "") or "Not recorded"}
                          for key, label in c.CIRCUMSTANCES.items()],
        "risk_factors": content["risk_factors"], "protective_factors": content["protective_factors"],
        "rosh": c.ROSH_LEVELS.get(content["rosh"], "Not set"), "rosh_meaning": c.ROSH_MEANING.get(content["rosh"], ""),
        "serious_harm": c.SERIOUS_HARM_MEANING, "rosh_rationale": content["rosh_rationale"],
        "sara_partner": c.SARA_LEVELS.get(content["sara_partner"], "Not set"),
        "sara_others": c.SARA_LEVELS.get(content["sara_others"], "Not set"),
        "dash_yes": content["dash_yes"], "dash_threshold": ctx.dash_threshold,
        "dash_meets": content["dash_yes"] is not None and content["dash_yes"] >= ctx.dash_threshold,
        "sources": _source_rows(ctx, content, audience), "plan": _plan_rows(content),
        "summary": content["summary"], "internal": seen.internal,
        "tier": {"label": tier.label, "explanation": list(tier.explanation)} if seen.internal else None,
        "gaps": [f.text for f in sufficiency(content, ctx)] if seen.internal else [],
        "contradictions": [{"text": f.text, "explanation": content["explanations"].get(f.code, "")}
                           for f in contradictions(content, ctx)] if seen.internal else [],
    }
    return scrub(doc, withheld_strings(audience, details))


def marac_document(ctx: Context, content: dict[str, Any], *, case: Mapping[str, Any], meta: Mapping[str, Any],
                   details: Mapping[str, ContactDetails], high_risk_features: list[str],
                   incidents_threshold: int = 3, incidents_months: int = 12) -> dict[str, Any]:
    """A MARAC referral pack, pre-filled from the assessment, for partner agencies."""
    audience = Audience.PARTNER_AGENCY
    content = c.normalise(content)
    people = _person_rows(ctx, content, audience, details)
    features: list[str] = []
    for item in history_items(ctx.facts, ctx.on):
        found = [SERIOUS_FEATURES[f] for f in item.features if f in high_risk_features]
        if found:
            features.append(f"{' and '.join(found)}: {item.title}")
    for e in ctx.facts.until(ctx.on).of_type("police_incident"):
        if "stalking" in (e.get("features") or []) and "stalking" in high_risk_features:
            features.append(f"stalking: police incident ({long_date(e.on)})")
    incidents = domestic_incidents_within(ctx.facts, ctx.on, incidents_months)
    dash = content["dash_yes"]
    reasons = []
    if dash is not None:
        meets = "meets" if dash >= ctx.dash_threshold else "is below"
        reasons.append(f"DASH: {dash} yes answers, which {meets} the MARAC threshold of {ctx.dash_threshold}")
    else:
        reasons.append("DASH: no checklist count recorded")
    reasons.append(f"Escalation: {len(incidents)} domestic police incident{'' if len(incidents) == 1 else 's'} in "
                   f"the last {incidents_months} months "
                   f"(the threshold is {incidents_threshold})")
    reasons.append("Visible high risk: " + ("; ".join(dict.fromkeys(features)) if features else "none recorded"))
    reasons.append(f"Professional judgement: RoSH {c.ROSH_LEVELS.get(content['rosh'], 'not set').lower()}, "
                   f"SARA {c.SARA_LEVELS.get(content['sara_partner'], 'not set').lower()} for partners and "
                   f"{c.SARA_LEVELS.get(content['sara_others'], 'not set').lower()} for others")
    doc: dict[str, Any] = {
        "title": "MARAC referral", "audience": audience.label, "case": dict(case), "meta": dict(meta),
        "reasons": reasons,
        "victims": [p for p in people if (p["victim"] or p["partner"]) and not p["child"]],
        "children": [p for p in people if p["child"]],
        "categories": [c.CATEGORIES[k] for k in content["categories"]], "abuse_note": content["abuse_note"],
        "history": _history_rows(ctx, content, audience, only_domestic=True),
        "rosh": c.ROSH_LEVELS.get(content["rosh"], "Not set"), "rosh_meaning": c.ROSH_MEANING.get(content["rosh"], ""),
        "sara_partner": c.SARA_LEVELS.get(content["sara_partner"], "Not set"),
        "sara_others": c.SARA_LEVELS.get(content["sara_others"], "Not set"),
        "risk_factors": content["risk_factors"], "protective_factors": content["protective_factors"],
        "plan": _plan_rows(content), "sources": _source_rows(ctx, content, audience),
        "summary": content["summary"],
    }
    return scrub(doc, withheld_strings(audience, details))


# -- the person on probation's copy: an allow-list ---------------------------------------------------------------
# What his order or licence requires, in words addressed to him: kinds only, never an address or a protected person.
REQUIREMENTS = {
    "accredited_programme": "Attend and complete an accredited programme", "rar": "Rehabilitation activity",
    "unpaid_work": "Unpaid work", "curfew": "Curfew", "exclusion": "Stay out of the places the court named",
    "alcohol_treatment": "Alcohol treatment", "drug_rehabilitation": "Drug rehabilitation",
    "mental_health_treatment": "Mental health treatment",
}
CONDITIONS = {
    "no_contact": "No contact with the people your licence names", "exclusion_zone": "Stay out of the exclusion zone "
    "your licence sets", "residence": "Live at the address your probation practitioner approved",
    "curfew": "Curfew", "programme": "Attend the programme your licence names",
    "disclose_relationships": "Tell your probation practitioner about any new relationship",
}
# A plan action is his when its "Who" is one of these (ignoring case, spaces and punctuation), or his name.
HIS_OWNERS = frozenset({"persononprobation", "thepersononprobation", "pop"})


def _requirement_rows(ctx: Context) -> list[str]:
    facts = ctx.facts.until(ctx.on)
    rows = []
    sentence, licence = facts.last("sentenced"), facts.last("released")
    for item in (sentence.get("requirements") or []) if sentence else []:
        label = REQUIREMENTS.get(item.get("type", ""))
        if label:
            extra = f" ({item['days']} days)" if item.get("days") else \
                f" ({item['hours']} hours)" if item.get("hours") else ""
            rows.append(label + extra)
    for item in (licence.get("conditions") or []) if licence else []:
        label = CONDITIONS.get(item.get("type", ""))
        if label:
            rows.append(label)
    return rows


def is_his(owner: str, name: str) -> bool:
    """Whether a plan action's "Who" names the person on probation."""
    who = _NOT_WORD.sub("", owner).lower()
    return bool(who) and (who in HIS_OWNERS or who == _NOT_WORD.sub("", name).lower())


def probation_copy(ctx: Context, content: dict[str, Any], *, case: Mapping[str, Any], meta: Mapping[str, Any],
                   details: Mapping[str, ContactDetails]) -> dict[str, Any]:
    """The person on probation's copy: only the allow-listed fields (module docstring). A plan action whose text
    holds any victim's contact detail is left out whole."""
    content = c.normalise(content)
    strings = withheld_strings(Audience.PERSON_ON_PROBATION, details)
    plan = [row for row, item in zip(_plan_rows(content), content["plan"], strict=True)
            if is_his(item["owner"], str(case.get("name", "")))]
    return {
        "title": "Your risk management plan", "audience": Audience.PERSON_ON_PROBATION.label,
        "case": {key: case[key] for key in ("ref", "name", "born", "unit", "practitioner")},
        "final_on": meta["final_on"], "made_on": meta["made_on"], "requirements": _requirement_rows(ctx),
        "plan": [{"action": row["action"], "due": row["due"]} for row in plan
                 if scrub(row["action"], strings) == row["action"]],
    }


def render_pdf(template: str, doc: dict[str, Any], strings: list[str]) -> bytes:
    """The document as PDF. No external resources are fetched (no base URL)."""
    from django.template.loader import render_to_string
    from weasyprint import HTML

    page = scrub(render_to_string(template, {"doc": doc}), strings)
    return bytes(HTML(string=page).write_pdf())
