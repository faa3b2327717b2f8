"""The "new information" panel on the case page: `{% new_information case %}`."""

from __future__ import annotations

from typing import Any

from django import template

from safeguard.accounts.access import can_record, can_record_event
from safeguard.signals_web import service
from safeguard.victims.redaction import page_values

register = template.Library()


@register.inclusion_tag("signals_web/_panel.html", takes_context=True)
def new_information(context: Any, case: Any) -> dict[str, Any]:
    user = context["user"]
    recorder = can_record(user, case)
    suggestions = service.open_suggestions(case, read_hidden=lambda: page_values(context, case))
    return {
        "case": case,
        "suggestions": [(s, recorder and can_record_event(user, case, s.event_type)) for s in suggestions],
        "can_act": recorder,
        "confirmed": service.recently_confirmed(case) if recorder else [],
    }


@register.inclusion_tag("signals_web/_excerpt.html")
def excerpt(suggestion: service.Suggestion) -> dict[str, Any]:
    return {"pieces": suggestion.excerpt()}


@register.filter
def follow_ups(kind: str) -> list[str]:
    """The event types usually recorded after confirming a suggestion of this kind."""
    from safeguard.signals.suggestions import SUGGESTIONS
    from safeguard.timeline import schema

    found = SUGGESTIONS.get(kind)
    return [t for t in found.follow_up if t in schema.EVENTS] if found is not None else []
