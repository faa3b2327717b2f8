"""Strict validation of timeline documents and single events.

A bad document raises TimelineError naming the file, the event's index and type, the field and
what was expected. Nothing is written before a whole document has validated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from safeguard.limits import (
    JSON_DEPTH_MAX,
    TEXT_MAX,
    case_ref_problem,
    json_depth_exceeds,
    local_ref_problem,
    name_problem,
    text_problem,
)
from safeguard.timeline.schema import CASE_FIELDS, DOCUMENT_KEYS, EVENTS, FORMAT, STAFF_FIELDS, Field


class TimelineError(ValueError):
    """A timeline (or one event) that does not meet the format; str() is the full location and reason."""

    def __init__(self, source: str, where: str, problem: str):
        self.source = source
        self.where = where
        self.problem = problem
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")


@dataclass
class Refs:
    """What refs are known at a point in the file (or on a stored case)."""

    people: set[str] = field(default_factory=set)
    staff: set[str] = field(default_factory=set)
    last_on: date | None = None


@dataclass(frozen=True)
class Timeline:
    case: dict[str, Any]
    staff: list[dict[str, Any]]
    events: list[dict[str, Any]]
    checkpoints: list[date]
    source: str = ""


def parse_on(value: Any) -> date:
    """The day of an event's `on` (a date, or a full ISO datetime)."""
    if not isinstance(value, str):
        raise ValueError("not a string")
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value).date()


def _check_value(f: Field, value: Any, refs: Refs, where: str, source: str, name: str) -> None:
    def fail(expected: str | None = None) -> TimelineError:
        return TimelineError(source, where, f"field '{name}': expected {expected or f.describe()}, got {value!r}")

    if value is None:
        if f.required and not f.nullable:
            raise fail()
        return
    kind = f.kind
    if kind == "date":
        if not isinstance(value, str) or len(value) != 10:
            raise fail()
        try:
            date.fromisoformat(value)
        except ValueError:
            raise fail() from None
    elif kind in {"text", "address"}:
        if not isinstance(value, str) or (kind == "address" and not value.strip()):
            raise fail()
        too_long = text_problem(value, f.max_length or TEXT_MAX)
        if too_long:
            raise TimelineError(source, where, f"field '{name}': {too_long}")
    elif kind in {"case_ref", "local_ref", "name"}:
        check = {"case_ref": case_ref_problem, "local_ref": local_ref_problem, "name": name_problem}[kind]
        problem = check(value)
        if problem:
            raise TimelineError(source, where, f"field '{name}': {problem}")
    elif kind == "bool":
        if not isinstance(value, bool):
            raise fail()
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail()
        if (f.minimum is not None and value < f.minimum) or (f.maximum is not None and value > f.maximum):
            raise fail()
    elif kind == "enum":
        if value not in f.choices:
            raise fail()
    elif kind == "enum_list":
        if not isinstance(value, list) or any(v not in f.choices for v in value):
            raise fail()
    elif kind == "person":
        if not isinstance(value, str) or value not in refs.people:
            raise fail(f"a person ref added earlier in the file (known: {_known(refs.people)})")
    elif kind == "persons":
        if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
            raise fail()
        unknown = [v for v in value if v not in refs.people]
        if unknown:
            raise TimelineError(source, where, f"field '{name}': unknown person ref {unknown[0]!r} "
                                f"(add it with person_added first; known: {_known(refs.people)})")
    elif kind == "new_person":
        problem = local_ref_problem(value)
        if problem:
            raise TimelineError(source, where, f"field '{name}': {problem}")
        if value in refs.people:
            raise TimelineError(source, where, f"field '{name}': person ref {value!r} is already used")
    elif kind == "staff":
        if not isinstance(value, str) or value not in refs.staff:
            raise fail(f"a staff ref from the staff list (known: {_known(refs.staff)})")
    elif kind == "object":
        if not isinstance(value, dict):
            raise fail()
        _check_fields(f.shape, value, refs, f"{where}: field '{name}'", source)
    elif kind == "typed_list":
        if not isinstance(value, list):
            raise fail()
        for index, item in enumerate(value):
            item_where = f"{where}: field '{name}[{index}]'"
            if not isinstance(item, dict) or not isinstance(item.get("type"), str) or item["type"] not in f.variants:
                raise TimelineError(source, item_where, "expected an object with 'type' one of "
                                    + ", ".join(f.variants) + f", got {item!r}")
            _check_fields(f.variants[item["type"]], {k: v for k, v in item.items() if k != "type"}, refs,
                          item_where, source)
    else:  # pragma: no cover - a schema mistake, not bad input
        raise AssertionError(f"unknown field kind {kind}")


def _known(refs: set[str]) -> str:
    return ", ".join(sorted(refs)) or "none"


def _check_fields(schema: dict[str, Field], data: dict[str, Any], refs: Refs, where: str, source: str) -> None:
    for name in data:
        if name not in schema:
            allowed = ", ".join(schema) or "none"
            raise TimelineError(source, where, f"unknown field '{name}' (allowed: {allowed})")
    for name, f in schema.items():
        if name not in data:
            if f.required:
                raise TimelineError(source, where, f"field '{name}' is required: expected {f.describe()}")
            continue
        _check_value(f, data[name], refs, where, source, name)


def long_date(day: date) -> str:
    """A day as people write it: 8 December 2026."""
    return f"{day.day} {day:%B %Y}"


def validate_event(event: Any, refs: Refs, source: str = "event", where: str = "event", *,
                   today: date | None = None) -> dict[str, Any]:
    """Check one event against the schema and the refs known so far; on success, update refs.

    `today`: the day the event is being recorded on; an event dated after it is refused (nothing can have
    happened later than the day it is written down). None only where a file is checked on its own (its
    events are checked against the recording's day when they are recorded).

    Returns the event unchanged (a dict in timeline vocabulary). Raises TimelineError.
    """
    if not isinstance(event, dict):
        raise TimelineError(source, where, f"expected an object, got {event!r}")
    event_type = event.get("type")
    if not isinstance(event_type, str) or event_type not in EVENTS:
        raise TimelineError(source, where, f"field 'type': expected one of {', '.join(EVENTS)}, got {event_type!r}")
    where = f"{where} ({event_type})"
    if "on" not in event:
        raise TimelineError(source, where, "field 'on' is required: expected a date (YYYY-MM-DD) or ISO datetime")
    try:
        day = parse_on(event["on"])
    except ValueError:
        raise TimelineError(source, where, f"field 'on': expected a date (YYYY-MM-DD) or ISO datetime, "
                            f"got {event['on']!r}") from None
    if today is not None and day > today:
        raise TimelineError(source, where, f"field 'on': must not be after today, {long_date(today)} "
                            f"(got {event['on']!r})")
    if refs.last_on is not None and day < refs.last_on:
        raise TimelineError(source, where, f"field 'on': dates must not go backwards: {event['on']} comes after "
                            f"{refs.last_on.isoformat()}")
    fields = {k: v for k, v in event.items() if k not in {"on", "type"}}
    _check_fields(EVENTS[event_type], fields, refs, where, source)
    refs.last_on = day
    for name, f in EVENTS[event_type].items():
        if f.kind == "new_person":
            refs.people.add(fields[name])
    return event


def validate_document(doc: Any, source: str, *, today: date | None = None) -> Timeline:
    """Validate a whole timeline document. Raises TimelineError at the first problem. `today`: see
    validate_event (an import gives its own day; replay, which runs history on a throwaway database, none)."""
    if not isinstance(doc, dict):
        raise TimelineError(source, "", "expected a JSON object at the top level")
    for key in doc:
        if key not in DOCUMENT_KEYS:
            raise TimelineError(source, "", f"unknown field '{key}' (allowed: {', '.join(DOCUMENT_KEYS)})")
    if doc.get("format") != FORMAT:
        raise TimelineError(source, "", f"field 'format': expected {FORMAT!r}, got {doc.get('format')!r}")
    case = doc.get("case")
    if not isinstance(case, dict):
        raise TimelineError(source, "case", f"expected an object, got {case!r}")
    refs = Refs()
    _check_fields(CASE_FIELDS, case, refs, "case", source)
    staff = doc.get("staff", [])
    if not isinstance(staff, list):
        raise TimelineError(source, "staff", f"expected a list, got {staff!r}")
    for index, member in enumerate(staff):
        where = f"staff[{index}]"
        if not isinstance(member, dict):
            raise TimelineError(source, where, f"expected an object, got {member!r}")
        _check_fields(STAFF_FIELDS, member, refs, where, source)
        if member["ref"] in refs.staff:
            raise TimelineError(source, where, f"field 'ref': staff ref {member['ref']!r} is used twice")
        refs.staff.add(member["ref"])
    events = doc.get("events")
    if not isinstance(events, list):
        raise TimelineError(source, "events", f"expected a list, got {events!r}")
    for index, event in enumerate(events):
        validate_event(event, refs, source, f"events[{index}]", today=today)
    checkpoints = doc.get("checkpoints", [])
    if not isinstance(checkpoints, list):
        raise TimelineError(source, "checkpoints", f"expected a list of dates, got {checkpoints!r}")
    days = []
    for index, value in enumerate(checkpoints):
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            days.append(date.fromisoformat(value))
        except ValueError:
            raise TimelineError(source, f"checkpoints[{index}]",
                                f"expected a date (YYYY-MM-DD), got {value!r}") from None
    return Timeline(case=case, staff=staff, events=events, checkpoints=days, source=source)


def load_file(path: str | Path, *, today: date | None = None) -> Timeline:
    """Read and validate a timeline file (`today`: see validate_document)."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TimelineError(source, "", f"cannot read the file: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise TimelineError(source, f"byte {exc.start}", "not UTF-8 text (save the file as UTF-8)") from None
    if json_depth_exceeds(text):
        raise TimelineError(source, "", f"not a timeline: arrays and objects nested more than {JSON_DEPTH_MAX} deep")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TimelineError(source, f"line {exc.lineno} column {exc.colno}", f"not valid JSON: {exc.msg}") from None
    return validate_document(doc, source, today=today)
