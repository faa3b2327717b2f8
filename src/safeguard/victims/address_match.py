"""Finding an address in free text as an address, not as a string: the matching behind every redaction.

Pure: no Django, no I/O. Text and addresses are read as words (runs of letters and digits); each word is
lower-cased and its street-type abbreviation spelt one way ("Rd." and "Road" are both "road"; "St" and
"Street" both "street"), and a postcode is one word whether it is written "NT1 9ZZ", "nt19zz" or "NT1-9ZZ".
So case, spacing, punctuation, commas and line breaks make no difference.

An address is matched whole and by the parts that locate someone on their own (`needles`):

- the postcode ("NT1 9ZZ");
- the house number with the street ("7 Hidden Lane"), with the rest of its line too ("7 Hidden Lane Northtown");
- the building or house name ("Refuge House"), alone, with the flat number ("Flat 2 Refuge House", "2 Refuge
  House");
- a phone number by its digits ("07700 900461" is also "07700-900-461", "07700900461" or "+44 7700 900461").

What is not matched: the street without its number ("Hidden Lane": another house on the same street), another
house number on the street ("9 Hidden Lane"), the town or county alone, and a word inside a longer word
(matching is by whole words). A match that runs on into another (only spaces or punctuation between them, as
in "7 Hidden Lane, NT1 9ZZ") is replaced once.

`redact(text, values, placeholder)` is the one function that uses them; safeguard.victims.redaction calls it
for every page, export, PDF, API response, email and subject-access file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

WORD = re.compile(r"[^\W_]+")
SEGMENT = re.compile(r"[,;\n\r]+")
OUTWARD = re.compile(r"^[a-z]{1,2}\d[a-z\d]?$")
INWARD = re.compile(r"^\d[a-z]{2}$")
POSTCODE = re.compile(r"^[a-z]{1,2}\d[a-z\d]?\d[a-z]{2}$")
HOUSE_NUMBER = re.compile(r"^\d{1,4}[a-z]?$")
PHONE = re.compile(r"\+?\d[\d \t().-]*\d")
PHONE_VALUE = re.compile(r"^[\d\s().+-]+$")

# Each spelling of a street type (and of words that come before a number) -> the one spelling compared.
ABBREVIATIONS: dict[str, str] = {
    "rd": "road", "st": "street", "str": "street", "saint": "street", "ave": "avenue", "av": "avenue",
    "cl": "close", "dr": "drive", "drv": "drive", "ln": "lane", "cres": "crescent", "cresc": "crescent",
    "ct": "court", "crt": "court", "pl": "place", "gdns": "gardens", "gdn": "gardens", "garden": "gardens",
    "sq": "square", "tce": "terrace", "terr": "terrace", "gr": "grove", "gro": "grove", "pk": "park",
    "wy": "way", "wk": "walk", "hts": "heights", "mt": "mount", "blvd": "boulevard", "bvd": "boulevard",
    "cotts": "cottages", "mws": "mews", "hse": "house", "ho": "house", "bldg": "building", "bldgs": "buildings",
    "apt": "flat", "apartment": "flat", "unit": "flat", "rm": "flat", "room": "flat",
}
STREET_TYPES = frozenset({
    "road", "street", "avenue", "close", "drive", "lane", "crescent", "court", "place", "gardens", "square",
    "terrace", "grove", "park", "way", "walk", "heights", "mount", "boulevard", "mews", "row", "hill", "rise",
    "view", "green", "parade", "wharf", "yard", "vale", "gate", "end", "fields", "cottages",
})
FLAT_WORDS = frozenset({"flat"})
# A one-word building name shorter than this is too likely to be an ordinary word to withhold on its own.
SHORTEST_ONE_WORD_NAME = 6


def _norm(word: str) -> str:
    lower = word.lower()
    return ABBREVIATIONS.get(lower, lower)


def words(text: str) -> list[tuple[str, int, int]]:
    """The words of `text`, normalised, each with where it starts and ends in `text`; a postcode written in two
    parts ("NT1 9ZZ") is one word."""
    raw = [(m.group().lower(), m.start(), m.end()) for m in WORD.finditer(text)]
    out: list[tuple[str, int, int]] = []
    i = 0
    while i < len(raw):
        word, start, end = raw[i]
        if i + 1 < len(raw) and OUTWARD.match(word) and INWARD.match(raw[i + 1][0]):
            out.append((word + raw[i + 1][0], start, raw[i + 1][2]))
            i += 2
            continue
        out.append((_norm(word), start, end))
        i += 1
    return out


def _segments(value: str) -> list[list[str]]:
    return [seg for seg in ([w for w, _, _ in words(part)] for part in SEGMENT.split(value)) if seg]


def _is_name(name: tuple[str, ...]) -> bool:
    if not name or any(ch.isdigit() for w in name for ch in w):
        return False
    return len(name) >= 2 or len(name[0]) >= SHORTEST_ONE_WORD_NAME


@lru_cache(maxsize=4096)
def needles(value: str) -> frozenset[tuple[str, ...]]:
    """The word sequences that identify `value` in text: the whole of it and its identifying parts."""
    segments = _segments(value)
    if not segments:
        return frozenset()
    found: set[tuple[str, ...]] = {tuple(w for seg in segments for w in seg)}
    postcodes = {w for seg in segments for w in seg if POSTCODE.match(w)}
    found |= {(p,) for p in postcodes}
    segments = [[w for w in seg if w not in postcodes] for seg in segments]
    segments = [seg for seg in segments if seg]
    if segments:
        found.add(tuple(w for seg in segments for w in seg))  # the address without its postcode
    flat: tuple[str, ...] = ()
    seen_street = False
    for index, seg in enumerate(segments):
        i = 0
        while i < len(seg):
            word = seg[i]
            if word in FLAT_WORDS and i + 1 < len(seg) and HOUSE_NUMBER.match(seg[i + 1]):
                flat = (seg[i + 1],)
                i += 2
                continue
            if HOUSE_NUMBER.match(word):
                rest = seg[i + 1:] or (segments[index + 1] if index + 1 < len(segments) else [])
                street = _street(rest)
                if street:
                    found.add((word, *street))
                    found.add((word, *rest))
                    if flat:
                        found.add(("flat", *flat, word, *street))
                    seen_street = True
                    break
            name = tuple(seg[i:])
            if not seen_street and _is_name(name) and name[-1] not in STREET_TYPES:
                found.add(name)
                if flat:
                    found |= {("flat", *flat, *name), (*flat, *name)}
            break
        if seen_street:
            break
    return frozenset(n for n in found if n)


def _street(rest: list[str]) -> list[str]:
    """The street words after a house number: up to its street type ("Hidden Lane"), else the rest of the line."""
    if not rest or not any(ch.isalpha() for ch in rest[0]):
        return []
    for j, word in enumerate(rest):
        if word in STREET_TYPES and j > 0:
            end = j + 1
            while end < len(rest) and rest[end] in STREET_TYPES:
                end += 1
            return rest[:end]
    return rest


def _phone_forms(value: str) -> tuple[str, ...]:
    """The digits a phone number `value` is written with, nationally and internationally ("07700..." and
    "447700..."); none when `value` is not a phone number."""
    if not PHONE_VALUE.match(value.strip()):
        return ()
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 6:
        return ()
    national = "0" + digits[2:] if value.strip().startswith("+44") else digits
    return (national, "44" + national[1:]) if national.startswith("0") else (national,)


def _phone_hits(text: str, forms: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where a run of digits (with spaces, dashes, dots or brackets between) holds one of `forms`, not as part of a
    longer number."""
    hits = []
    for run in PHONE.finditer(text):
        at = [run.start() + i for i, ch in enumerate(run.group()) if ch.isdigit()]
        digits = "".join(text[i] for i in at)
        for form in forms:
            start = digits.find(form)
            while start >= 0:
                end = start + len(form)
                if (start == 0 or at[start] - at[start - 1] > 1) and (end == len(digits) or at[end] - at[end - 1] > 1):
                    first = at[start] - (at[start] > 0 and text[at[start] - 1] == "+")
                    hits.append((first, at[end - 1] + 1))
                start = digits.find(form, start + 1)
    return hits


def spans(text: str, values: Iterable[str]) -> list[tuple[int, int]]:
    """Where in `text` any of `values` is found (sorted, merged where only spaces or punctuation separate)."""
    values = [v for v in values if v and v.strip()]
    if not values or not text:
        return []
    tokens = words(text)
    seq = [w for w, _, _ in tokens]
    hits: list[tuple[int, int]] = []
    first: dict[str, list[int]] = {}
    for i, w in enumerate(seq):
        first.setdefault(w, []).append(i)
    for value in values:
        for needle in needles(value):
            for i in first.get(needle[0], ()):
                if tuple(seq[i:i + len(needle)]) == needle:
                    hits.append((tokens[i][1], tokens[i + len(needle) - 1][2]))
        forms = _phone_forms(value)
        if forms:
            hits += _phone_hits(text, forms)
    return _merge(text, hits)


def _merge(text: str, hits: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(hits):
        if merged and (start <= merged[-1][1] or not WORD.search(text, merged[-1][1], start)):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def redact(text: str, values: Iterable[str], placeholder: str) -> str:
    """`text` with every match of `values` (see `spans`) replaced by `placeholder`."""
    found = spans(text, values)
    if not found:
        return text
    out, at = [], 0
    for start, end in found:
        out += [text[at:start], placeholder]
        at = end
    out.append(text[at:])
    return "".join(out)


def contains(text: str, values: Iterable[str]) -> bool:
    """Whether any of `values` is found in `text`."""
    return bool(spans(text, values))
