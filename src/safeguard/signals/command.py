"""`safeguard signals FILE [--json]`: risk signals in notes given as JSON Lines of {"id", "text"}.

Needs no database. Every line is read and checked before anything is printed, so a bad file prints nothing
but its error (naming the line) and exits 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from safeguard.limits import JSON_DEPTH_MAX, json_depth_exceeds

EXIT_BAD_INPUT = 2


class NotesError(ValueError):
    """A notes file that cannot be read (the message names the file and line)."""


def read_notes(path: str) -> list[tuple[Any, str]]:
    """(id, text) for each non-blank line of `path` ("-" for standard input). Other keys on a line are ignored."""
    name = "<stdin>" if path == "-" else path
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise NotesError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    notes = []
    for number, raw in enumerate(data.splitlines(), 1):
        where = f"{name}: line {number}"
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise NotesError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
        if not line.strip():
            continue
        if json_depth_exceeds(line):
            raise NotesError(f"{where}: not a note: arrays and objects nested more than {JSON_DEPTH_MAX} deep")
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NotesError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})") from exc
        if not isinstance(item, dict):
            raise NotesError(f'{where}: expected an object {{"id": ..., "text": ...}}, got {type(item).__name__}')
        for key in ("id", "text"):
            if key not in item:
                raise NotesError(f'{where}: missing "{key}"')
        note_id, text = item["id"], item["text"]
        if isinstance(note_id, bool) or not isinstance(note_id, str | int) or note_id == "":
            raise NotesError(f'{where}: "id" must be a non-empty string or a whole number')
        if not isinstance(text, str):
            raise NotesError(f'{where}: "text" must be a string, got {type(text).__name__}')
        notes.append((note_id, text))
    return notes


def cmd_signals(args: argparse.Namespace) -> int:
    from safeguard.signals.detector import detect

    try:
        notes = read_notes(args.file)
    except NotesError as exc:
        print(f"safeguard: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    with_signals = 0
    for note_id, text in notes:
        signals = detect(text)
        with_signals += bool(signals)
        if args.json:
            print(json.dumps({"id": note_id, "signals": [s.as_dict() for s in signals]}, ensure_ascii=False))
        elif signals:
            print(f"{note_id}:")
            for s in signals:
                print(f"  {s.kind:<30} {s.text!r} ({s.start}-{s.end})")
    if not args.json:
        print(f"{len(notes)} note(s), {with_signals} with signals.")
    return 0
