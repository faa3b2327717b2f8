"""Template filters for the timeline vocabulary: labels, concern tags, event summaries, dates."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from safeguard.timeline import schema
from safeguard.web import labels

register = template.Library()


@register.filter
def label(value: Any) -> str:
    return labels.value_label(value) if value not in (None, "") else ""


@register.filter
def obligation(kind: str) -> str:
    return labels.obligation_label(kind)


@register.filter
def event_name(event_type: str) -> str:
    return labels.event_past(event_type)


@register.filter
def event_title(event_type: str) -> str:
    return labels.event_title(event_type)


@register.filter
def register_name(code: str) -> str:
    return labels.register_label(code)


@register.filter
def long_date(day: date | None) -> str:
    """GOV.UK style: 5 January 2026."""
    return labels.long_date(day)


@register.filter
@functools.cache  # four levels, printed on every row of a caseload
def concern_tag(level: str) -> SafeString:
    words, colour = labels.CONCERN.get(level, (level, "govuk-tag--grey"))
    return format_html('<strong class="govuk-tag {} app-concern">{}</strong>', colour, words)


@register.filter
def status_tag(status: str) -> SafeString:
    colour = {"overdue": "govuk-tag--red", "due": "govuk-tag--blue", "done": "govuk-tag--green",
              "waived": "govuk-tag--grey", "withdrawn": "govuk-tag--grey"}.get(status, "govuk-tag--grey")
    return format_html('<strong class="govuk-tag {}">{}</strong>', colour, status.capitalize())


@register.filter
def event_details(payload: dict[str, Any], staff_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, value) pairs for an event's fields, in the schema's order, for the case timeline."""
    event_type = payload.get("type", "")
    specs = schema.EVENTS.get(event_type, {})
    rows = []
    for name, spec in specs.items():
        if name in payload and payload[name] not in (None, "", []):
            value = payload[name]
            shown = (staff_names or {}).get(value, value) if spec.kind == "staff" else _show(value, spec)
            rows.append((labels.field_label(event_type, name), shown))
    return rows


@register.simple_tag(takes_context=True)
def event_rows(context: Any, event: Any, staff_names: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """event_details for the signed-in user: free text in the event (a note, information received) goes
    through safeguard.victims.redaction, so a never-disclose address typed into it is withheld."""
    from safeguard.victims.redaction import page_values, scrub_payload

    case = context.get("case") or event.case
    request = context.get("request")
    payload = scrub_payload(dict(event.payload), case=case, user=getattr(request, "user", None), channel="page",
                            values=page_values(context, case))
    return event_details(payload, staff_names)


@register.simple_tag(takes_context=True)
def scrubbed(context: Any, text: Any, case: Any = None) -> str:
    """Free text (an offence description, an assessment's analysis) as the signed-in user may see it."""
    from safeguard.victims.redaction import page_values, scrub

    case = case or context.get("case")
    if case is None:
        return "" if text is None else str(text)
    request = context.get("request")
    return scrub(text, case=case, user=getattr(request, "user", None), channel="page",
                 values=page_values(context, case))


@register.filter
def byline(event: Any) -> str:
    """Who put an event on the record: a person through the pages, or an import, replay or the API."""
    user = event.recorded_by
    if user is not None:
        staff = getattr(user, "staff", None)
        return f"Recorded by {staff.name if staff is not None and staff.name else user.get_username()}"
    return {"import": "Imported", "replay": "Replayed", "synth": "Synthetic data", "api": "Recorded through the API"}\
        .get(event.source, f"Recorded ({event.source})")


def _show(value: Any, spec: schema.Field) -> str:
    if spec.kind == "object" and isinstance(value, dict):
        return "; ".join(f"{labels.field_label('', k)}: {_show(v, spec.shape.get(k, spec))}"
                         for k, v in value.items() if v not in (None, "", []))
    if spec.kind == "typed_list" and isinstance(value, list):
        parts = []
        for item in value:
            if not isinstance(item, dict):
                parts.append(str(item))
                continue
            fields = spec.variants.get(item.get("type", ""), {})  # each item's fields by its own kinds
            extras = ", ".join(f"{labels.field_label('', k).lower()} {_show(v, fields.get(k, schema.TEXT))}"
                               for k, v in item.items() if k != "type" and v not in (None, "", []))
            parts.append(labels.value_label(item.get("type", "")) + (f" ({extras})" if extras else ""))
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(_show(v, spec) for v in value)
    if spec.kind == "date" and isinstance(value, str):
        try:
            return long_date(date.fromisoformat(value))
        except ValueError:
            return value
    if spec.kind in {"enum", "enum_list", "bool"} or isinstance(value, bool):
        return labels.value_label(value)
    return str(value)


@register.filter
def get(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def age(born: date | None) -> str:
    from safeguard.web.queries import age_on, today

    years = age_on(born, today())
    if years is None:
        return "Not known"
    return "Under 1" if years < 1 else str(years)
