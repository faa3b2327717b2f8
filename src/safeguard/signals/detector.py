"""Find risk signals in free text: offline, explainable (each hit is a span of the original text), fast.

    >>> [s.kind for s in detect("He has a new girlfriend. He denies drinking.")]
    ['new_relationship']

The rules' phrases (rules.py) are matched on whole words, in any letter case (see `_Matcher` for how this is
made fast). Every hit is then checked in its sentence:

1. negation: a cue such as "no", "not", "denies", "never", "no longer" in the same clause, at most
   `NEGATION_WINDOW` words before the hit, or "negative"/"denied"/": none" just after it;
2. hypothetical: "if", "reminded that", "consequences of", "must not" (not for threats, which are conditional
   by nature: "he said he would kill her if she left");
3. who it is about: the nearest subject before the hit (he / Mr X / the person on probation, she / Ms X / the
   victim, or someone else: his brother, a neighbour, the IDVA, I) must be one the rule allows; a bare "her"
   whose nearest antecedent is another woman ("his mother ... visits her") is someone else too.

A hit that passes all three is a `Signal`. `candidates()` returns the suppressed hits as well, with the reason,
for evaluation and for explaining why a note raised nothing. Pure Python: no Django, no I/O.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import Any

from safeguard.signals import rules as R
from safeguard.signals.prefixes import prefixes
from safeguard.signals.rules import KINDS, OTHER, SELF, Rule

NEGATION_WINDOW = 7  # words before a hit in which a negation or hypothetical cue counts
POST_WINDOW = 40  # characters after a hit in which a following cue counts

__all__ = ["KINDS", "Candidate", "Signal", "candidates", "detect", "sentence_span"]


@dataclass(frozen=True, slots=True)
class Signal:
    """A risk signal: its kind and where it is in the text (`text[start:end] == signal.text`)."""

    kind: str
    start: int
    end: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase that matched, and why it was suppressed (None when it is a signal)."""

    signal: Signal
    suppressed: str | None = None  # "negated", "hypothetical", "third_party", "history"
    cue: str | None = None  # the words that suppressed it


_FLAGS = re.IGNORECASE


def _expand(fragment: str) -> str:
    for name, value in R.VOCABULARY.items():
        fragment = fragment.replace(f"<{name}>", value)
    return fragment


@dataclass(frozen=True)
class _Matcher:
    """The rules' phrases, compiled for matching at word starts.

    Phrases are lower case and run on the lower-cased text without IGNORECASE (the regular-expression engine
    then rejects most alternatives on their first character). At each word of a note only the phrases that can
    start with its first two characters are tried (`by_start`). The few phrases whose start cannot be worked
    out, and those that look at capitals ("moved to Leeds", on the original text), are scanned for in full.
    """

    by_start: dict[str, tuple[tuple[int, re.Pattern[str]], ...]]  # two characters -> (rule index, phrases)
    scanned: tuple[tuple[int, re.Pattern[str], bool], ...]  # (rule index, phrases, on the original text)


def _group(phrases: list[str], flags: int = 0, scan: bool = False) -> re.Pattern[str]:
    body = "|".join(f"(?:{p})" for p in phrases)
    return re.compile(("(?<!\\w)" if scan else "") + f"(?:{body})(?!\\w)", flags)


@cache
def _matcher() -> _Matcher:
    indexed: list[list[tuple[str, frozenset[str]]]] = []
    scanned: list[tuple[int, re.Pattern[str], bool]] = []
    for i, rule in enumerate(R.RULES):
        phrases = [_expand(p) for p in rule.phrases]
        cased = [p for p in phrases if "(?-i:" in p]
        starts = {p: prefixes(p) for p in phrases if p not in cased}
        known = {p: found for p, found in starts.items() if found and all(k[0].isalnum() for k in found)}
        unknown = [p for p in starts if p not in known]
        indexed.append(list(known.items()))
        if cased:
            scanned.append((i, _group(cased, _FLAGS, scan=True), True))
        if unknown:
            scanned.append((i, _group(unknown, scan=True), False))
    keys = sorted({k for per_rule in indexed for _, found in per_rule for k in found})
    by_start = {key: tuple((i, _group([p for p, found in per_rule if key in found]))
                           for i, per_rule in enumerate(indexed) if any(key in found for _, found in per_rule))
                for key in keys}
    return _Matcher(by_start, tuple(scanned))


_WORD_START = re.compile(r"(?<!\w)\w")


def _matches(text: str, lowered: str) -> list[tuple[int, re.Match[str]]]:
    """(rule index, match) for every phrase match: the matches `finditer` over each rule's phrases would find."""
    matcher = _matcher()
    found: list[tuple[int, re.Match[str]]] = []
    resume = [0] * len(R.RULES)  # as in finditer, a rule's next match starts after its last one
    by_start = matcher.by_start
    for word in _WORD_START.finditer(lowered):
        pos = word.start()
        for i, pattern in by_start.get(lowered[pos:pos + 2], ()):
            if pos >= resume[i]:
                m = pattern.match(lowered, pos)
                if m:
                    found.append((i, m))
                    resume[i] = m.end()
    for i, pattern, original in matcher.scanned:
        found.extend((i, m) for m in pattern.finditer(text if original else lowered))
    return found


def _lower(text: str) -> str:
    """`text` in lower case, character for character (so offsets into it are offsets into `text`)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)  # "İ" lowers to two characters


@cache
def _cues() -> dict[str, re.Pattern[str]]:
    return {name: re.compile(getattr(R, name), _FLAGS) for name in (
        "NEGATION", "PSEUDO_NEGATION", "HYPOTHETICAL", "POST_NEGATION", "POST_AGENT", "HISTORY", "CLAUSE_BREAK",
        "MENTION", "SUBJECT_FOLLOWS", "AFTER_PREPOSITION", "REPORTING", "OTHER_WOMAN", "ANY_WOMAN")}


def warm() -> None:
    """Compile every pattern now (a web worker does this as it starts, not in its first request)."""
    _matcher()
    _cues()


_SENTENCE_END = re.compile(r"[.!?]+['\"’”)\]]*\s+|\n\s*|\s+[•*]\s+")
_WORD = re.compile(r"[\w'’-]+")
_BARE_HER = re.compile(r"\bher\b", _FLAGS)
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+['\"’”)\]]*\s+$")


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.group().startswith("."):
            before = _LAST_WORD.search(text, max(0, m.start() - 12), m.end())
            if before and before.group(1).lower().rstrip(".") in R.ABBREVIATIONS:
                continue
        starts.append(m.end())
    return starts


class _Note:
    """One text with its sentence boundaries, worked out only when a phrase has matched."""

    def __init__(self, text: str):
        self.text = text
        self._starts: list[int] | None = None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._starts is None:
            self._starts = _sentence_starts(self.text)
        i = bisect_right(self._starts, start) - 1
        s = self._starts[i]
        e = self._starts[i + 1] if i + 1 < len(self._starts) else len(self.text)
        return s, max(e, end)


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The start and end of the sentence of `text` that contains text[start:end]."""
    return _Note(text).sentence(start, end)


def _window(prefix: str, words: int) -> str:
    """The last `words` words of `prefix` (with what lies between them)."""
    found = list(_WORD.finditer(prefix))
    if len(found) <= words:
        return prefix
    return prefix[found[-words].start():]


def _negation(cues: dict[str, re.Pattern[str]], scope: str, rule: Rule) -> tuple[str, str] | None:
    window = _window(scope, NEGATION_WINDOW)
    pseudo = [m.span() for m in cues["PSEUDO_NEGATION"].finditer(window)]
    for m in cues["NEGATION"].finditer(window):
        if not any(a <= m.start() < b for a, b in pseudo):
            return "negated", m.group()
    if rule.hypothetical:
        m2 = cues["HYPOTHETICAL"].search(window)
        if m2:
            return "hypothetical", m2.group()
    return None


_PRONOUNS = frozenset({"he", "she", "i", "we"})
_RELATIVE = re.compile(r"\s*,?\s*(?:who|which)\b", _FLAGS)


def _subject(cues: dict[str, re.Pattern[str]], prefix: str, hit: str) -> tuple[str, str]:
    """Who the clause ending at the hit is about: the nearest subject-like mention in `prefix`."""
    found = SELF, ""
    for m in cues["MENTION"].finditer(prefix):
        group, words, rest = m.lastgroup or SELF, m.group(), prefix[m.end():] + hit
        if re.split(r"['’]", words.lower())[0] in _PRONOUNS:
            if group != OTHER and cues["REPORTING"].match(rest):
                continue  # "she says he ...": the reporter, not the actor
            if words == "I" and m.start() > 0 and prefix[m.start() - 1] in "'\"‘“":
                continue  # "I'm going to kill you" in quoted speech: the speaker is him
        elif _RELATIVE.match(rest):
            pass  # "he talked about his friend, who has been stabbed": the subject of the relative clause
        elif cues["AFTER_PREPOSITION"].search(prefix, 0, m.start()):
            continue  # "contact with his son is supervised": the object of a preposition
        elif prefix[m.end():].strip() and not cues["SUBJECT_FOLLOWS"].match(rest):
            continue  # an object or a possessive ("he hit his brother and..."), not the subject
        if group == OTHER and re.search(r"\b(?:he|mr\.? [\w-]+)\s+and\s+$", prefix[:m.start()], _FLAGS):
            group = SELF  # "he and his brother were arrested"
        found = group, words
    return found


def _her_is_someone_else(cues: dict[str, re.Pattern[str]], prefix: str, matched: str) -> str | None:
    """A bare "her" in the hit whose nearest antecedent is another woman: "his mother ... he visits her"."""
    if not _BARE_HER.search(matched):
        return None
    last = None
    for m in cues["ANY_WOMAN"].finditer(prefix):
        last = m
    if last is not None and cues["OTHER_WOMAN"].fullmatch(last.group()):
        return last.group()
    return None


def candidates(text: str) -> list[Candidate]:
    """Every phrase that matched in `text`, signals and suppressed hits alike, in order of position."""
    cues = _cues()
    note = _Note(text)
    found: list[Candidate] = []
    for i, m in _matches(text, _lower(text)):
        rule = R.RULES[i]
        start, end = m.span()
        signal = Signal(rule.kind, start, end, text[start:end])
        s_start, s_end = note.sentence(start, end)
        before = text[s_start:start]
        clause_from = 0
        for b in cues["CLAUSE_BREAK"].finditer(before):
            clause_from = b.end()
        scope = before[clause_from:]
        after = text[end:min(s_end, end + POST_WINDOW)]
        cut = cues["CLAUSE_BREAK"].search(after, 1)
        if cut:
            after = after[:cut.start()]
        found.append(_judge(cues, rule, signal, before, scope, after))
    found.sort(key=lambda c: (c.signal.start, -c.signal.end, KINDS.index(c.signal.kind)))
    return found


def _judge(cues: dict[str, re.Pattern[str]], rule: Rule, signal: Signal, before: str, scope: str,
           after: str) -> Candidate:
    negated = _negation(cues, scope, rule)
    if negated:
        return Candidate(signal, *negated)
    post = cues["POST_NEGATION"].search(after)
    if post:
        return Candidate(signal, "negated", post.group().strip())
    if rule.history:
        hist = cues["HISTORY"].search(after)
        if hist:
            return Candidate(signal, "history", hist.group().strip())
    who, mention = _subject(cues, before, signal.text)
    if who not in rule.subjects:
        return Candidate(signal, "third_party", mention)
    agent = cues["POST_AGENT"].search(after) if rule.agent else None
    if agent:
        return Candidate(signal, "third_party", agent.group().strip())
    other_woman = _her_is_someone_else(cues, before, signal.text)
    if other_woman:
        return Candidate(signal, "third_party", other_woman)
    return Candidate(signal)


def detect(text: str) -> list[Signal]:
    """The risk signals in `text`, in order of position; one per kind and place (overlapping hits merge)."""
    signals: list[Signal] = []
    last_end: dict[str, int] = {}
    for c in candidates(text):
        if c.suppressed is not None:
            continue
        s = c.signal
        if last_end.get(s.kind, -1) > s.start:
            continue  # overlaps an earlier, longer hit of the same kind
        signals.append(s)
        last_end[s.kind] = s.end
    return signals
