"""The timeline event vocabulary as OpenAPI schemas, generated from safeguard.timeline.schema (the one
statement of the format), so the API reference and the validator cannot drift apart."""

from __future__ import annotations

from typing import Any

from safeguard.timeline.schema import EVENTS, Field

ON = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}",
      "description": "The day of the event (YYYY-MM-DD) or a full ISO datetime; not before the case's last event",
      "example": "2021-06-01"}


def field_schema(f: Field) -> dict[str, Any]:
    kind = f.kind
    schema: dict[str, Any]
    if kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind in {"text", "person", "staff"}:
        schema = {"type": "string"}
    elif kind in {"address", "new_person"}:
        schema = {"type": "string", "minLength": 1}
    elif kind == "bool":
        schema = {"type": "boolean"}
    elif kind == "int":
        schema = {"type": "integer"}
        if f.minimum is not None:
            schema["minimum"] = f.minimum
        if f.maximum is not None:
            schema["maximum"] = f.maximum
    elif kind == "enum":
        schema = {"type": "string", "enum": list(f.choices)}
    elif kind == "enum_list":
        schema = {"type": "array", "items": {"type": "string", "enum": list(f.choices)}}
    elif kind == "persons":
        schema = {"type": "array", "items": {"type": "string"}}
    elif kind == "object":
        schema = object_schema(f.shape)
    elif kind == "typed_list":
        schema = {"type": "array", "items": {"oneOf": [
            object_schema(fields, {"type": {"type": "string", "enum": [name]}}, ["type"])
            for name, fields in f.variants.items()]}}
    else:  # pragma: no cover - a schema mistake
        raise AssertionError(kind)
    schema["description"] = f.describe()
    if not f.required or f.nullable:
        schema["nullable"] = True
    return schema


def object_schema(fields: dict[str, Field], extra: dict[str, Any] | None = None,
                  required: list[str] | None = None) -> dict[str, Any]:
    properties = dict(extra or {})
    properties.update({name: field_schema(f) for name, f in fields.items()})
    wanted = list(required or []) + [name for name, f in fields.items() if f.required]
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if wanted:
        schema["required"] = wanted
    return schema


def component_name(event_type: str) -> str:
    return "Event" + "".join(part.capitalize() for part in event_type.split("_"))


def event_components() -> dict[str, dict[str, Any]]:
    """One component per event type, and `TimelineEvent`: one of them, told apart by `type`."""
    components = {
        component_name(name): {
            **object_schema(fields, {"on": ON, "type": {"type": "string", "enum": [name]}}, ["on", "type"]),
            "title": name,
        }
        for name, fields in EVENTS.items()
    }
    components["TimelineEvent"] = {
        "description": "One event in the `safeguard-timeline/1` vocabulary (see the timeline format), validated "
                       "exactly as `safeguard import` validates a file's events: unknown fields are errors, "
                       "person refs must be added first, staff refs must exist, dates must not go backwards.",
        "oneOf": [{"$ref": f"#/components/schemas/{component_name(name)}"} for name in EVENTS],
        "discriminator": {"propertyName": "type",
                          "mapping": {name: f"#/components/schemas/{component_name(name)}" for name in EVENTS}},
    }
    return components
