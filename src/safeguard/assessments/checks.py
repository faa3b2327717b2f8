"""Sufficiency and contradiction checks on an assessment. Pure functions over the engine's CaseFacts.

Sufficiency builds the `assessed` event the assessment would record and asks policy rule 8
(`assessment_gaps`, the same function the engine uses) what it leaves out; every gap rule 8 finds is
reported (marked `rule8`: the risk_assessment obligation stays open while it is missing), in richer words,
alongside what the structured form also expects (every partner judged, every history item and check
shown, serious-harm features analysed, a plan). Contradictions are findings the author must explain
before submitting; `problems` are what stops a submission outright.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from safeguard.assessments import content as c
from safeguard.assessments.record import (
    FEATURE_WORDS,
    SERIOUS_FEATURES,
    HistoryItem,
    history_items,
    people_to_consider,
    returned_checks,
)
from safeguard.policy.calendar import long_date
from safeguard.policy.facts import HIGH_ROSH, CaseFacts, Event, StaffMember
from safeguard.policy.rules.assessment import assessment_gaps

HISTORY_KIND_WORDS = {"previous_offence": ("previous domestic offence", "previous domestic offences"),
                      "police_incident": ("domestic police incident", "domestic police incidents")}


@dataclass(frozen=True)
class Finding:
    code: str  # stable: "person:EX1", "check:12", "history", "contradiction:rosh-low-serious-harm", ...
    text: str
    rule8: bool = False  # rule 8 (the policy engine) finds it too: the risk_assessment obligation stays open


@dataclass(frozen=True)
class Context:
    """What the checks read besides the content: the case record, the day, and the policy's settings."""

    facts: CaseFacts
    on: date
    by: str = ""
    dash_threshold: int = 14
    names: Mapping[str, str] | None = None
    # The RoSH level in force before this assessment ("auto": read it from the record on `on`). A returned
    # assessment's first submission already set the case's level, so its resubmission passes the level before.
    rosh_in_force: str | None = "auto"

    @property
    def previous_rosh(self) -> str | None:
        if self.rosh_in_force == "auto":
            return self.facts.until(self.on).rosh_on(self.on)
        return self.rosh_in_force

    @property
    def checks(self) -> dict[str, str]:
        return {check.key: check.agency for check in returned_checks(self.facts, self.on)}

    @property
    def history(self) -> list[HistoryItem]:
        return history_items(self.facts, self.on)


def event_for(content: dict[str, Any], ctx: Context) -> dict[str, Any]:
    """The `assessed` event that submitting this content would record."""
    labels = {item.key: item.label for item in ctx.history}
    return c.assessed_event(c.normalise(content), by=ctx.by or "unknown", on=ctx.on, check_agencies=ctx.checks,
                            history_labels=labels)


def rule8_gaps(content: dict[str, Any], ctx: Context) -> list[Any]:
    """Policy rule 8's own answer for the event this content would record."""
    event = event_for(content, ctx)
    data = {k: v for k, v in event.items() if k not in {"on", "type"}}
    last_seq = max((e.seq for e in ctx.facts.events), default=0)
    return assessment_gaps(ctx.facts, Event(seq=last_seq + 1, on=ctx.on, type="assessed", data=data))


def _mentions(content: dict[str, Any], feature: str) -> bool:
    texts = [content["summary"], content["abuse_note"], content["rosh_rationale"]]
    texts += [f"{r['factor']} {r['evidence']}" for r in content["risk_factors"]]
    return any(FEATURE_WORDS[feature].search(t) or feature.replace("_", " ") in t.lower() for t in texts)


def sufficiency(content: dict[str, Any], ctx: Context) -> list[Finding]:
    """Exactly what the assessment leaves out, one finding each."""
    content = c.normalise(content)
    gaps = rule8_gaps(content, ctx)
    engine_people = {g.subject for g in gaps if g.kind == "person"}
    engine_checks = {seq for g in gaps if g.kind == "check" for seq in g.events}
    engine_history = any(g.kind == "history" for g in gaps)
    findings = [Finding(f"level:{g.subject}", g.text[0].upper() + g.text[1:], rule8=True)
                for g in gaps if g.kind == "level"]
    for person in people_to_consider(ctx.facts, ctx.on, ctx.names):
        if not content["people"].get(person.ref, {}).get("judgement"):
            findings.append(Finding(f"person:{person.ref}", f"{person.description}, is not considered",
                                    rule8=person.ref in engine_people))
    for check in returned_checks(ctx.facts, ctx.on):
        if check.key not in content["sources"]:
            findings.append(Finding(f"check:{check.seq}", f"{c.AGENCY_NAMES[check.agency]} information returned on "
                                    f"{long_date(check.returned_on)} is not used",
                                    rule8=check.seq in engine_checks))
    history = ctx.history
    unanalysed = [item for item in history if item.domestic and not content["history"].get(item.key)]
    if unanalysed or engine_history:
        by_kind: dict[str, list[HistoryItem]] = {}
        for item in unanalysed:
            by_kind.setdefault(item.kind, []).append(item)
        parts = []
        for kind, items in by_kind.items():
            one, many = HISTORY_KIND_WORDS.get(kind, ("item of previous domestic abuse",
                                                      "items of previous domestic abuse"))
            parts.append(f"{c.number_words(len(items))} {one if len(items) == 1 else many}")
        count = len(unanalysed)
        text = (" and ".join(parts) + f" {'is' if count == 1 else 'are'} not analysed (" +
                "; ".join(f"{i.title}: {i.text}" for i in unanalysed) + ")") if unanalysed else \
            "The previous domestic abuse on record is not analysed"
        findings.append(Finding("history", text[0].upper() + text[1:], rule8=engine_history))
    for item in history:
        if item.domestic or content["history"].get(item.key):
            continue
        for feature in item.features:
            if not _mentions(content, feature):
                findings.append(Finding(
                    f"feature:{item.seq}:{feature}",
                    f"{SERIOUS_FEATURES[feature].capitalize()} on record "
                    f"{'are' if feature == 'threats_to_kill' else 'is'} not analysed or named among the risk "
                    f"factors: {item.title}, {item.text}"))
    if not content["categories"]:
        findings.append(Finding("categories", "The nature of the abuse is not described (no Domestic Abuse Act "
                                              "2021 category is chosen)"))
    if not content["risk_factors"]:
        findings.append(Finding("risk_factors", "No risk factors are recorded"))
    elif any(not r["evidence"] for r in content["risk_factors"]):
        findings.append(Finding("risk_evidence", "Some risk factors have no evidence"))
    if not content["plan"]:
        findings.append(Finding("plan", "The risk management plan has no actions"))
    if content["dash_yes"] is None and any(p.victim and p.partner for p in people_to_consider(ctx.facts, ctx.on)):
        findings.append(Finding("dash", "No domestic abuse risk checklist (DASH) count is recorded for a case with "
                                        "a partner or ex-partner victim"))
    return findings


def _serious_harm_on_record(content: dict[str, Any], ctx: Context) -> list[tuple[list[str], str]]:
    """(features, where) for every item of the record holding serious-harm features, and for the assessment's
    own words."""
    found = [(list(item.features), f"{item.title}: {item.text}") for item in ctx.history if item.features]
    own = [feature for feature in SERIOUS_FEATURES if _mentions(content, feature)]
    if own:
        found.append((own, "this assessment's own words"))
    return found


def _words(features: list[str]) -> str:
    return " and ".join(SERIOUS_FEATURES[f] for f in features)


def contradictions(content: dict[str, Any], ctx: Context) -> list[Finding]:
    """Findings that contradict the levels chosen. Each needs an explanation (content["explanations"][code])."""
    content = c.normalise(content)
    findings: list[Finding] = []
    rosh = content["rosh"]
    if rosh == "low":
        serious = _serious_harm_on_record(content, ctx)
        if serious:
            kinds = list(dict.fromkeys(f for features, _ in serious for f in features))
            findings.append(Finding("contradiction:rosh-low-serious-harm",
                                    f"RoSH is low, but the record holds {_words(kinds)}: "
                                    + "; ".join(f"{_words(features)} ({where})" for features, where in serious)))
        high_sara = [label for name, label in (("sara_partner", "for partners"), ("sara_others", "for others"))
                     if content[name] == "high"]
        if high_sara:
            findings.append(Finding("contradiction:sara-high-rosh-low",
                                    f"SARA is high {' and '.join(high_sara)}, but RoSH is low"))
    people = people_to_consider(ctx.facts, ctx.on, ctx.names)
    household_children = [p for p in people if p.child and p.in_household]
    if household_children and not any(content["people"].get(p.ref, {}).get("judgement")
                                      for p in people if p.child):
        findings.append(Finding("contradiction:household-children",
                                "Children live in the household (" + "; ".join(p.description for p in
                                                                              household_children)
                                + "), but no child is considered"))
    dash = content["dash_yes"]
    if dash is not None and dash >= ctx.dash_threshold:
        referred = ctx.facts.until(ctx.on).of_type("marac_referred")
        planned = any("marac" in f"{a['action']} {a['owner']}".lower() for a in content["plan"])
        if not referred and not planned:
            findings.append(Finding("contradiction:dash-marac",
                                    f"The DASH yes count ({dash}) meets the MARAC threshold ({ctx.dash_threshold}), "
                                    "but no MARAC referral is on record or in the plan"))
    return findings


def problems(content: dict[str, Any], ctx: Context) -> list[str]:
    """What stops a submission: levels not set, a changed RoSH without a rationale, a DASH count out of range,
    plan actions without a valid due date, contradictions without an explanation."""
    content = c.normalise(content)
    out = []
    for name, label in (("rosh", "the RoSH level"), ("sara_partner", "the SARA level for partners"),
                        ("sara_others", "the SARA level for others")):
        if not content[name]:
            out.append(f"Choose {label}")
    previous = ctx.previous_rosh
    if content["rosh"] and content["rosh"] != previous and not content["rosh_rationale"]:
        was = c.ROSH_LEVELS.get(previous or "", "not set")
        out.append(f"Give the reason for the RoSH level: it changes from {was.lower()} to "
                   f"{c.ROSH_LEVELS[content['rosh']].lower()}")
    dash = content["dash_yes"]
    if dash is not None and not 0 <= dash <= 24:
        out.append("The DASH yes count must be a whole number from 0 to 24")
    if content["dash_items"]:
        if any(not 1 <= i <= 24 for i in content["dash_items"]):
            out.append("DASH item numbers run from 1 to 24")
        if dash is not None and len(content["dash_items"]) != dash:
            out.append(f"The DASH yes count ({dash}) does not match the {len(content['dash_items'])} item numbers "
                       "given")
    for number, action in enumerate(content["plan"], start=1):
        try:
            due = date.fromisoformat(action["due_on"])
        except ValueError:
            out.append(f"Plan action {number} needs a due date")
            continue
        if due < ctx.on:
            out.append(f"Plan action {number} is due before the assessment date")
    for finding in contradictions(content, ctx):
        if not content["explanations"].get(finding.code):
            out.append(f"Explain why you hold to this assessment: {finding.text}")
    return out


def countersignature_needed(ctx: Context, assessor: StaffMember | None, rosh: str, months: int) -> bool:
    """Policy rule 9 read directly: the assessor is a PSO or PQiP, qualified under `months` months, not trained
    in domestic abuse, or unknown, and the assessment's RoSH is high or very high or a child (or a pregnancy) is
    on record. The engine's rule 9 decides for DA cases; this also covers a case the engine does not yet treat
    as one."""
    known = ctx.facts.until(ctx.on)
    inexperienced = assessor is None or assessor.is_inexperienced_on(ctx.on, months)
    return inexperienced and (rosh in HIGH_ROSH or bool(known.children_on(ctx.on)) or bool(known.pregnancies()))
