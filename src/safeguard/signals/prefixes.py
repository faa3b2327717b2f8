"""The first two characters a phrase can start with, worked out from the standard library's parse of it.

The detector uses them to try, at each word of a note, only the phrases that could start there ("ar" for
"arrested", "kn" for "knife"...), instead of every phrase of every kind: about three times faster, with the
same matches (a test checks this against a plain scan). When a phrase cannot be analysed (the parser is
private to `re`, so it is used defensively) it is tried everywhere, which is slower but still correct.
"""

from __future__ import annotations

from typing import Any

try:
    from re import _constants as _C  # type: ignore[attr-defined]
    from re import _parser as _P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python: phrases are then tried at every word
    _C = _P = None

LENGTH = 2
_LIMIT = 800  # more possible prefixes than this: not worth indexing


def _class_chars(items: Any) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            chars.add(chr(av))
        elif op is _C.RANGE:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return chars


def _extend(strings: set[str], items: Any) -> set[str] | None:
    """`strings` extended by what `items` (a parsed sequence) can match next, up to LENGTH characters."""
    current = set(strings)
    for op, av in items:
        done = {s for s in current if len(s) >= LENGTH}
        todo = {s for s in current if len(s) < LENGTH}
        if not todo:
            break
        if op in (_C.AT, _C.ASSERT, _C.ASSERT_NOT):
            continue  # zero-width
        if op is _C.LITERAL:
            grown: set[str] | None = {s + chr(av) for s in todo}
        elif op is _C.IN:
            chars = _class_chars(av)
            grown = None if chars is None else {s + c for s in todo for c in chars}
        elif op is _C.SUBPATTERN:
            grown = _extend(todo, av[-1])
        elif op is _C.BRANCH:
            grown = set()
            for alternative in av[1]:
                more = _extend(todo, alternative)
                if more is None:
                    return None
                grown |= more
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            low, high, sub = av
            grown = set(todo) if low == 0 else set()
            repeated: set[str] | None = todo
            for count in range(1, LENGTH + 1):
                if high is not _C.MAXREPEAT and count > high:
                    break
                repeated = _extend(repeated, sub) if repeated is not None else None
                if repeated is None:
                    return None
                if count >= low:
                    grown |= repeated
                if all(len(s) >= LENGTH for s in repeated):
                    break
        else:
            return None
        if grown is None:
            return None
        current = done | grown
        if len(current) > _LIMIT:
            return None
    return current


def prefixes(pattern: str) -> frozenset[str] | None:
    """Every LENGTH-character string a match of `pattern` (lower case, no flags) can start with; None when
    unknown (or when a match could be shorter)."""
    if _P is None:
        return None
    try:
        found = _extend({""}, _P.parse(pattern))
    except Exception:  # noqa: BLE001 - any surprise in a private parser: fall back to trying the phrase everywhere
        return None
    if found is None or not found or any(len(s) < LENGTH for s in found):
        return None
    return frozenset(s[:LENGTH] for s in found)
