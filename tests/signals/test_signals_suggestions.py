"""Each signal suggests a timeline event: the mapping must stay valid against the timeline schema."""

from __future__ import annotations

import pytest

from safeguard.signals import KINDS, detect
from safeguard.signals.suggestions import SUGGESTIONS, suggestion_for
from safeguard.timeline.schema import EVENTS


def test_every_kind_has_one_suggestion() -> None:
    assert set(SUGGESTIONS) == set(KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_suggestions_use_real_event_types_fields_and_values(kind: str) -> None:
    s = SUGGESTIONS[kind]
    assert s.event_type in EVENTS
    fields = EVENTS[s.event_type]
    for name, value in s.prefill.items():
        assert name in fields, (kind, name)
        f = fields[name]
        if f.kind == "enum":
            assert value in f.choices
        elif f.kind == "enum_list":
            assert set(value) <= set(f.choices)
        elif f.kind == "bool":
            assert isinstance(value, bool)
    for name in (*s.asks_for, *([s.text_field] if s.text_field else [])):
        assert name in fields, (kind, name)
    required = {name for name, f in fields.items() if f.required}
    assert required <= set(s.prefill) | set(s.asks_for) | {s.text_field}, (kind, required)
    assert all(t in EVENTS for t in s.follow_up)
    assert s.question.endswith("?")


def test_suggestion_for_a_signal_prefills_the_event_form() -> None:
    text = "OV. Attended. Police say he put his hands round her neck on Friday. Otherwise settled."
    [signal] = detect(text)
    suggestion = suggestion_for(signal, text)
    assert suggestion["question"] == "Record non-fatal strangulation?"
    assert suggestion["evidence"] == "Police say he put his hands round her neck on Friday."
    assert suggestion["event"] == {"type": "police_incident", "features": ["strangulation"], "domestic": True}
    assert suggestion["asks_for"] == ["kind", "victim"]
    assert suggestion["signal"] == signal.as_dict()


def test_text_events_carry_the_sentence_and_the_source() -> None:
    text = "UPW supervisor: he said he lost his job last week."
    [signal] = detect(text)
    suggestion = suggestion_for(signal, text, source="unpaid_work")
    assert suggestion["event"] == {"type": "information_received", "source": "unpaid_work", "text": text}
    assert "source" not in suggestion["asks_for"]
