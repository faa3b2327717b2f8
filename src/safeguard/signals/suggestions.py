"""What each signal suggests recording, as data: the question to ask, the timeline event form to open and the
fields to pre-fill. Nothing is recorded until a person confirms the form (or dismisses the suggestion, saying
why); the case page calls `suggestion_for(signal, text)` and opens `event` as a pre-filled event form.

Event types and field values are those of the timeline format (../shared/spec/timeline.md, timeline/schema.py);
a test checks every entry against the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from safeguard.signals.detector import Signal, sentence_span


@dataclass(frozen=True)
class Suggestion:
    kind: str
    question: str  # asked on the case page, beside the highlighted words
    event_type: str  # the timeline event form to open
    prefill: Mapping[str, Any] = field(default_factory=dict)  # fields filled in for the practitioner
    asks_for: tuple[str, ...] = ()  # fields the practitioner must complete (refs, addresses: not guessed)
    text_field: str | None = None  # a free-text field to pre-fill with the sentence the signal is in
    follow_up: tuple[str, ...] = ()  # event types usually recorded next (shown as links, not pre-filled)
    hint: str = ""  # why it matters, one sentence


DOMESTIC = {"domestic": True}

SUGGESTIONS: dict[str, Suggestion] = {s.kind: s for s in (
    Suggestion("new_relationship", "Record that he has a new partner?", "person_added",
               {"relationship": "partner", "victim": False}, asks_for=("ref", "born"),
               follow_up=("relationship_started", "check_requested", "disclosure"),
               hint="A new partner (and any children of hers) needs police and children's services checks and "
                    "a Right to Know decision."),
    Suggestion("separation", "Record that the relationship has ended?", "relationship_ended", {},
               asks_for=("ref",), follow_up=("victim_contact", "reviewed"),
               hint="Separation is a time of raised risk to the partner: review risk and her safety plan."),
    Suggestion("pregnancy", "Record a pregnancy?", "pregnancy", {}, asks_for=("ref",),
               follow_up=("check_requested", "reviewed"),
               hint="Pregnancy raises the risk of domestic abuse; children's services should know."),
    Suggestion("birth", "Record the birth of a child?", "child_born", {}, asks_for=("ref", "parents"),
               follow_up=("check_requested", "child_protection", "reviewed"),
               hint="A new baby in the household needs a children's services check."),
    Suggestion("moved", "Record a change of address?", "moved", {}, asks_for=("address", "occupants"),
               follow_up=("address_proposed", "check_requested", "contact"),
               hint="A new address needs checks on who lives there, a home visit and victims nearby considered "
                    "(use a proposed address if he has not moved yet)."),
    Suggestion("child_contact_dispute", "Record information about a dispute over the children?",
               "information_received", {}, asks_for=("source",), text_field="text",
               follow_up=("check_requested", "reviewed"),
               hint="Child contact is often how abuse continues after separation."),
    Suggestion("police_callout", "Record a police call-out?", "police_incident", {"kind": "callout", **DOMESTIC},
               asks_for=("victim",), follow_up=("check_requested", "reviewed"),
               hint="Each domestic call-out counts towards MARAC and review thresholds."),
    Suggestion("arrest", "Record an arrest?", "police_incident", {"kind": "arrest"}, asks_for=("domestic", "victim"),
               follow_up=("check_requested", "reviewed", "enforcement"),
               hint="An arrest while under supervision needs a risk review and an enforcement decision."),
    Suggestion("breach_of_order", "Record a breach of a protective order or condition?", "control_breached", {},
               asks_for=("control", "protects", "reported_by"), follow_up=("enforcement", "victim_contact"),
               hint="A reported breach needs acting on the same day."),
    Suggestion("contact_with_protected_person", "Record contact with a protected person?", "control_breached", {},
               asks_for=("control", "protects", "reported_by"),
               follow_up=("information_received", "victim_contact", "relationship_started"),
               hint="Contact with someone an order or condition protects is a breach; if none applies, record "
                    "it as information received instead."),
    Suggestion("weapon", "Record an incident involving a weapon?", "police_incident",
               {"features": ["weapon"], **DOMESTIC}, asks_for=("kind", "victim"),
               follow_up=("marac_referred", "reviewed"),
               hint="Use of or access to weapons is a high-risk factor (DASH, SARA)."),
    Suggestion("strangulation", "Record non-fatal strangulation?", "police_incident",
               {"features": ["strangulation"], **DOMESTIC}, asks_for=("kind", "victim"),
               follow_up=("marac_referred", "reviewed"),
               hint="Strangulation is one of the strongest predictors of domestic homicide: consider MARAC today."),
    Suggestion("threats_to_kill", "Record threats to kill?", "police_incident",
               {"features": ["threats_to_kill"], **DOMESTIC}, asks_for=("kind", "victim"),
               follow_up=("marac_referred", "victim_contact", "reviewed"),
               hint="Threats to kill are a high-risk factor: tell the victim's worker and consider MARAC."),
    Suggestion("threats_of_suicide", "Record his threats or thoughts of suicide?", "information_received", {},
               asks_for=("source",), text_field="text", follow_up=("reviewed", "victim_contact"),
               hint="Suicide threats by an abuser are a marker of homicide risk as well as a risk to himself."),
    Suggestion("stalking", "Record stalking behaviour?", "police_incident", {"features": ["stalking"], **DOMESTIC},
               asks_for=("kind", "victim"), follow_up=("marac_referred", "victim_contact", "reviewed"),
               hint="Stalking after separation is a high-risk factor."),
    Suggestion("escalation", "Review the risk assessment (escalation)?", "reviewed", {},
               asks_for=("by", "rosh", "sara_partner"), text_field="analysis",
               follow_up=("marac_referred", "victim_contact"),
               hint="Escalating frequency or severity is a high-risk factor: re-score RoSH and SARA."),
    Suggestion("substance_relapse", "Record a relapse into alcohol or drug misuse?", "information_received", {},
               asks_for=("source",), text_field="text", follow_up=("reviewed", "enforcement"),
               hint="Substance misuse is linked to escalation; review risk and treatment requirements."),
    Suggestion("financial_stress", "Record financial difficulties?", "information_received", {},
               asks_for=("source",), text_field="text", follow_up=("reviewed",),
               hint="Job loss, debt and eviction are destabilising factors for risk."),
)}

def evidence(text: str, signal: Signal) -> str:
    """The sentence that contains the signal (the words to show beside the question and to pre-fill text)."""
    start, end = sentence_span(text, signal.start, signal.end)
    return text[start:end].strip() or signal.text


def suggestion_for(signal: Signal, text: str, *, source: str | None = None) -> dict[str, Any]:
    """The pre-filled event form a signal suggests. `source` is the note's origin as an `information_received`
    source (`police`, `programme`, `unpaid_work`, ...) when the caller knows it."""
    s = SUGGESTIONS[signal.kind]
    event: dict[str, Any] = {"type": s.event_type, **{k: (list(v) if isinstance(v, list) else v)
                                                      for k, v in s.prefill.items()}}
    sentence = evidence(text, signal)
    if s.text_field:
        event[s.text_field] = sentence
    asks_for = list(s.asks_for)
    if source is not None and "source" in asks_for:
        event["source"] = source
        asks_for.remove("source")
    return {"kind": signal.kind, "question": s.question, "hint": s.hint, "signal": signal.as_dict(),
            "evidence": sentence, "event": event, "asks_for": asks_for, "follow_up": list(s.follow_up)}
