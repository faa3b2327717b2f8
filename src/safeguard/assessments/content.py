"""The assessment record's content: its fields, our own labels and help text, and the `assessed` event it makes.

Licensing: SARA, DASH, OASys and ODARA wording is licensed. This module stores and shows their levels, scores
and item numbers only; every label, definition and hint below is Safeguard's own wording.

A version's content is one JSON object (see EMPTY). `normalise` makes any stored or posted object into that
shape, so older versions still read after fields are added.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

# -- levels -------------------------------------------------------------------------------------------
ROSH_LEVELS: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
# Our own words for the standard meaning of each risk of serious harm (RoSH) level.
ROSH_MEANING: dict[str, str] = {
    "low": "Nothing known now suggests that they are likely to cause serious harm.",
    "medium": "There are clear signs that they could cause serious harm, but they are unlikely to unless "
              "something in their life changes (for example losing a home or a relationship, or drinking or "
              "using drugs again).",
    "high": "There are clear signs that they could cause serious harm, the harm could happen at any time, "
            "and it would be serious.",
    "very_high": "Serious harm is more likely than not to happen, and soon; it would be serious.",
}
SERIOUS_HARM_MEANING = ("Serious harm means harm that puts life at risk or is traumatic, and from which physical "
                        "or psychological recovery is expected to be difficult or impossible.")
SARA_LEVELS: dict[str, str] = {"low": "Low", "medium": "Medium", "high": "High"}
SARA_HINT = ("The summary level from the spousal assault risk tool, for intimate partners and for others "
             "(children, family members, anyone else). Record the level only: do not copy the tool's items.")
DASH_HINT = ("How many questions of the domestic abuse risk checklist were answered yes (0 to 24). You may also "
             "record which item numbers were answered yes; do not copy the questions.")

# -- who is at risk -------------------------------------------------------------------------------------
JUDGEMENTS: dict[str, str] = {
    "very_high": "Very high risk to this person",
    "high": "High risk to this person",
    "medium": "Medium risk to this person",
    "low": "Low risk to this person",
    "none": "No risk to this person found, for the reasons given",
}

# -- nature of the abuse: Domestic Abuse Act 2021, section 1(3) ---------------------------------------------
CATEGORIES: dict[str, str] = {
    "physical": "Physical abuse",
    "sexual": "Sexual abuse",
    "violent_threatening": "Violent or threatening behaviour",
    "controlling_coercive": "Controlling or coercive behaviour",
    "economic": "Economic abuse",
    "psychological_emotional": "Psychological, emotional or other abuse",
}

CIRCUMSTANCES: dict[str, str] = {
    "household": "Household: who lives with them, and where",
    "relationships": "Relationships: current and recent partners",
    "pregnancy": "Pregnancy: anyone pregnant by them or in the household",
    "child_contact": "Contact with children: their own, a partner's, any in the household",
}

# -- sources --------------------------------------------------------------------------------------------
# Sources that are not a returned check on the record (those are chosen as "check:<seq>").
GENERAL_SOURCES: dict[str, str] = {
    "previous_assessments": "Previous assessments and reviews",
    "victim": "Information from a victim (directly, or through a victim or partner worker)",
    "other_agencies": "Other agencies (health, housing, substance misuse services, MARAC)",
}
AGENCY_NAMES = {"police": "Police", "childrens_services": "Children's social care"}

EMPTY: dict[str, Any] = {
    "people": {},  # ref -> {"judgement": one of JUDGEMENTS or "", "note": text}
    "categories": [],  # keys of CATEGORIES
    "abuse_note": "",
    "history": {},  # history item key ("seq:<n>") -> the practitioner's analysis of it
    "circumstances": {},  # keys of CIRCUMSTANCES -> text
    "risk_factors": [],  # [{"factor": text, "evidence": text}]
    "protective_factors": [],  # [{"factor": text, "evidence": text}]
    "rosh": "",
    "rosh_rationale": "",
    "sara_partner": "",
    "sara_others": "",
    "dash_yes": None,  # 0-24, or None when no checklist was completed
    "dash_items": [],  # item numbers answered yes (numbers only)
    "sources": [],  # "check:<seq>" and keys of GENERAL_SOURCES
    "plan": [],  # [{"action": text, "owner": text, "due_on": "YYYY-MM-DD", "person": ref or ""}]
    "summary": "",
    "explanations": {},  # contradiction code -> why the author holds to it
}


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _pairs(items: Any, first: str, second: str) -> list[dict[str, str]]:
    rows = []
    for item in _list(items):
        if isinstance(item, dict) and (_text(item.get(first)) or _text(item.get(second))):
            rows.append({first: _text(item.get(first)), second: _text(item.get(second))})
    return rows


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def normalise(content: dict[str, Any] | None) -> dict[str, Any]:
    """Content in the current shape: every field present, unknown fields dropped, blanks removed."""
    raw = content or {}
    out = copy.deepcopy(EMPTY)
    people = _dict(raw.get("people"))
    for ref, entry in sorted(people.items()):
        entry = entry if isinstance(entry, dict) else {}
        judgement = _text(entry.get("judgement"))
        note = _text(entry.get("note"))
        if judgement or note:
            out["people"][str(ref)] = {"judgement": judgement if judgement in JUDGEMENTS else "", "note": note}
    out["categories"] = [c for c in CATEGORIES if c in (raw.get("categories") or [])]
    out["abuse_note"] = _text(raw.get("abuse_note"))
    history = _dict(raw.get("history"))
    out["history"] = {str(k): _text(v) for k, v in sorted(history.items()) if _text(v)}
    circumstances = _dict(raw.get("circumstances"))
    out["circumstances"] = {k: _text(circumstances.get(k)) for k in CIRCUMSTANCES if _text(circumstances.get(k))}
    out["risk_factors"] = _pairs(raw.get("risk_factors"), "factor", "evidence")
    out["protective_factors"] = _pairs(raw.get("protective_factors"), "factor", "evidence")
    out["rosh"] = _text(raw.get("rosh")) if _text(raw.get("rosh")) in ROSH_LEVELS else ""
    out["rosh_rationale"] = _text(raw.get("rosh_rationale"))
    for name in ("sara_partner", "sara_others"):
        out[name] = _text(raw.get(name)) if _text(raw.get(name)) in SARA_LEVELS else ""
    out["dash_yes"] = _int_or_none(raw.get("dash_yes"))
    items = {_int_or_none(i) for i in raw.get("dash_items") or []}
    out["dash_items"] = sorted(i for i in items if i is not None)
    sources = [str(s) for s in raw.get("sources") or []]
    out["sources"] = sorted(set(s for s in sources if s in GENERAL_SOURCES or s.startswith("check:")))
    plan = []
    for item in _list(raw.get("plan")):
        if isinstance(item, dict) and _text(item.get("action")):
            plan.append({"action": _text(item.get("action")), "owner": _text(item.get("owner")),
                         "due_on": _text(item.get("due_on")), "person": _text(item.get("person"))})
    out["plan"] = plan
    out["summary"] = _text(raw.get("summary"))
    explanations = _dict(raw.get("explanations"))
    out["explanations"] = {str(k): _text(v) for k, v in sorted(explanations.items()) if _text(v)}
    return out


def considered(content: dict[str, Any]) -> list[str]:
    """Refs of the people the assessment gives a judgement on (the event's `victims_considered`)."""
    return sorted(ref for ref, entry in content["people"].items() if entry.get("judgement"))


def event_sources(content: dict[str, Any], check_agencies: dict[str, str]) -> list[str]:
    """The event's `sources` (timeline vocabulary): the agencies of the checks used, and the general sources.
    `check_agencies` maps "check:<seq>" to the agency of that returned check."""
    found = {check_agencies[s] for s in content["sources"] if s in check_agencies}
    found |= {s for s in content["sources"] if s in GENERAL_SOURCES}
    return sorted(found)


def analysis_text(content: dict[str, Any], history_labels: dict[str, str]) -> str:
    """The `assessed` event's `analysis`: the summary and what the structured record says, in one text.

    Headings never contain the words rule 8 reads as history ("previous", "history", ...): only the author's
    own words, or an analysis they wrote of an item of previous domestic abuse (whose label, from
    record.HistoryItem.label, says so), can count as analysing the history."""
    parts = [content["summary"]] if content["summary"] else []
    if content["categories"]:
        parts.append("Nature of the abuse: " + ", ".join(CATEGORIES[c].lower() for c in content["categories"])
                     + (f". {content['abuse_note']}" if content["abuse_note"] else "."))
    notes = [f"{history_labels.get(key, key)}: {note}" for key, note in content["history"].items()]
    if notes:
        parts.append("What is on record, analysed: " + " ".join(notes))
    if content["risk_factors"]:
        parts.append("Risk factors: " + "; ".join(
            f"{r['factor']}" + (f" (evidence: {r['evidence']})" if r["evidence"] else "")
            for r in content["risk_factors"]) + ".")
    if content["rosh_rationale"]:
        parts.append(f"RoSH rationale: {content['rosh_rationale']}")
    return "\n\n".join(parts)


def assessed_event(content: dict[str, Any], *, by: str, on: date, check_agencies: dict[str, str],
                   history_labels: dict[str, str]) -> dict[str, Any]:
    """The `assessed` event (timeline vocabulary) that submitting this content records."""
    event: dict[str, Any] = {"on": on.isoformat(), "type": "assessed", "by": by,
                             "victims_considered": considered(content),
                             "sources": event_sources(content, check_agencies),
                             "analysis": analysis_text(content, history_labels)}
    for name in ("rosh", "sara_partner", "sara_others"):
        if content[name]:
            event[name] = content[name]
    if content["dash_yes"] is not None and 0 <= content["dash_yes"] <= 24:
        event["dash_yes"] = content["dash_yes"]
    return event


def number_words(count: int) -> str:
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    return words[count] if 0 <= count < len(words) else str(count)
