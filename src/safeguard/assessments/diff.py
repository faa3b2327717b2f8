"""A readable difference between two versions of an assessment's content. Pure.

Each line says what changed in words a manager reads at a glance: "RoSH level: Medium → High",
"EX1, ex-partner …: judgement Not recorded → High risk to this person", "Added risk factor: …". Free text
shows the words removed [-like this-] and added {+like this+}.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from safeguard.assessments import content as c

NONE = "not recorded"


def word_diff(old: str, new: str) -> str:
    """The new text with removed words [-marked-] and added words {+marked+}."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if op in {"delete", "replace"}:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if op in {"insert", "replace"}:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _text_change(label: str, old: str, new: str) -> list[str]:
    if old == new:
        return []
    if not old:
        return [f"{label} added: {new}"]
    if not new:
        return [f"{label} removed (was: {old})"]
    return [f"{label} changed: {word_diff(old, new)}"]


def _level(mapping: Mapping[str, str], value: Any) -> str:
    return mapping.get(value or "", NONE) if value else NONE


def _rows(items: list[dict[str, str]], first: str, second: str) -> list[str]:
    return [f"{r[first]}" + (f" (evidence: {r[second]})" if r.get(second) else "") for r in items]


def _plan_rows(items: list[dict[str, str]]) -> list[str]:
    return [f"{a['action']}" + (f", by {a['owner']}" if a["owner"] else "") + (f", due {a['due_on']}" if a["due_on"]
                                                                               else "")
            + (f", for {a['person']}" if a["person"] else "") for a in items]


def _list_change(singular: str, old: list[str], new: list[str]) -> list[str]:
    lines = [f"Removed {singular}: {x}" for x in old if x not in new]
    lines += [f"Added {singular}: {x}" for x in new if x not in old]
    return lines


def diff_contents(old: dict[str, Any] | None, new: dict[str, Any], *,
                  people: Mapping[str, str] | None = None, history: Mapping[str, str] | None = None,
                  sources: Mapping[str, str] | None = None) -> list[str]:
    """What changed from `old` to `new`, one line each; every line of `new` when there is no `old`.
    `people`, `history` and `sources` give the labels of person refs, history keys and source keys."""
    a, b = c.normalise(old), c.normalise(new)
    people, history, sources = people or {}, history or {}, sources or {}
    lines: list[str] = []
    for name, label, mapping in (("rosh", "RoSH level", c.ROSH_LEVELS),
                                 ("sara_partner", "SARA level for partners", c.SARA_LEVELS),
                                 ("sara_others", "SARA level for others", c.SARA_LEVELS)):
        if a[name] != b[name]:
            lines.append(f"{label}: {_level(mapping, a[name])} → {_level(mapping, b[name])}")
    lines += _text_change("RoSH rationale", a["rosh_rationale"], b["rosh_rationale"])
    if a["dash_yes"] != b["dash_yes"]:
        was = NONE if a["dash_yes"] is None else str(a["dash_yes"])
        now = NONE if b["dash_yes"] is None else str(b["dash_yes"])
        lines.append(f"DASH yes count: {was} → {now}")
    if a["dash_items"] != b["dash_items"]:
        lines.append(f"DASH item numbers answered yes: {', '.join(map(str, a['dash_items'])) or NONE} → "
                     f"{', '.join(map(str, b['dash_items'])) or NONE}")
    for ref in sorted(set(a["people"]) | set(b["people"])):
        who = people.get(ref, ref)
        was, now = a["people"].get(ref, {}), b["people"].get(ref, {})
        if was.get("judgement") != now.get("judgement"):
            lines.append(f"{who}: {_level(c.JUDGEMENTS, was.get('judgement'))} → "
                         f"{_level(c.JUDGEMENTS, now.get('judgement'))}")
        lines += _text_change(f"{who}: note", was.get("note", ""), now.get("note", ""))
    removed = [c.CATEGORIES[x] for x in a["categories"] if x not in b["categories"]]
    added = [c.CATEGORIES[x] for x in b["categories"] if x not in a["categories"]]
    lines += [f"Nature of abuse: removed {x}" for x in removed] + [f"Nature of abuse: added {x}" for x in added]
    lines += _text_change("Nature of abuse note", a["abuse_note"], b["abuse_note"])
    for key in sorted(set(a["history"]) | set(b["history"])):
        lines += _text_change(f"Analysis of {history.get(key, key)}", a["history"].get(key, ""),
                              b["history"].get(key, ""))
    for key, label in c.CIRCUMSTANCES.items():
        lines += _text_change(label.split(":")[0], a["circumstances"].get(key, ""),
                              b["circumstances"].get(key, ""))
    lines += _list_change("risk factor", _rows(a["risk_factors"], "factor", "evidence"),
                          _rows(b["risk_factors"], "factor", "evidence"))
    lines += _list_change("protective factor", _rows(a["protective_factors"], "factor", "evidence"),
                          _rows(b["protective_factors"], "factor", "evidence"))
    label_of = {**c.GENERAL_SOURCES, **sources}
    lines += _list_change("source", [label_of.get(s, s) for s in a["sources"]],
                          [label_of.get(s, s) for s in b["sources"]])
    lines += _list_change("plan action", _plan_rows(a["plan"]), _plan_rows(b["plan"]))
    lines += _text_change("Summary", a["summary"], b["summary"])
    for code in sorted(set(a["explanations"]) | set(b["explanations"])):
        lines += _text_change(f"Explanation ({code.split(':', 1)[-1]})", a["explanations"].get(code, ""),
                              b["explanations"].get(code, ""))
    return lines
