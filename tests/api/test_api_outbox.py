"""Domain events are written to the outbox in the same transaction as the change, and carry no names or text."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from django.db import transaction

from safeguard.actions import record_event
from safeguard.api.models import OutboxEvent
from safeguard.cases.models import Case
from safeguard.oversight.sweep import sweep
from safeguard.timeline.replay import replay_timeline
from safeguard.timeline.validate import TimelineError, validate_document

pytestmark = pytest.mark.django_db

NOTE = {"on": "2021-06-20", "type": "note", "by": "P1", "text": "Told me his new partner's name is Sam Jones"}


def test_recording_an_event_writes_its_domain_event(world: Any) -> None:
    before = OutboxEvent.objects.count()
    logged = record_event(world.case, NOTE, source="api")
    new = list(OutboxEvent.objects.order_by("occurred_at")[before:])
    recorded = [e for e in new if e.type == "safeguard.event.recorded"]
    assert len(recorded) == 1
    assert recorded[0].case_ref == "X900001"
    assert recorded[0].payload == {"case": "X900001", "seq": logged.seq, "event_type": "note", "on": "2021-06-20",
                                   "source": "api", "version": world.case.version}


def test_the_outbox_row_rolls_back_with_the_change(world: Any) -> None:
    before = OutboxEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(world.case, NOTE)
        assert OutboxEvent.objects.count() > before
        raise RuntimeError("the surrounding transaction fails after the event was recorded")
    assert OutboxEvent.objects.count() == before
    assert world.case.events.count() == 6
    with pytest.raises(TimelineError):
        record_event(world.case, {**NOTE, "by": "NOBODY"})
    assert OutboxEvent.objects.count() == before


def test_replay_leaves_no_domain_events(timeline_doc: dict[str, Any], db: Any) -> None:
    replay_timeline(validate_document(timeline_doc, "t.json"))
    assert not OutboxEvent.objects.exists() and not Case.objects.exists()


def test_check_requested_overdue_and_concern_changed(world: Any, timeline_doc: dict[str, Any]) -> None:
    doc = copy.deepcopy(timeline_doc)
    doc["case"]["ref"] = "X900003"
    doc["events"] = doc["events"][:2]  # a person and a sentence: nothing done yet
    from safeguard.timeline.importer import import_timeline

    case = import_timeline(validate_document(doc, "t.json"), evaluate_each=True)
    record_event(case, {"on": "2021-06-02", "type": "check_requested", "agency": "police", "about": ["V1"]},
                 as_of=date(2021, 6, 2))
    [requested] = OutboxEvent.objects.filter(type="safeguard.check.requested", case_ref="X900003")
    assert set(requested.payload) == {"case", "check", "agency", "seq", "requested_on", "about"}
    assert requested.payload["about"] == ["V1"] and requested.payload["agency"] == "police"
    assert not OutboxEvent.objects.filter(type="safeguard.obligation.overdue", case_ref="X900003").exists()

    sweep(date(2021, 6, 30))  # time passes: obligations turn overdue, concern rises
    overdue = OutboxEvent.objects.filter(type="safeguard.obligation.overdue", case_ref="X900003")
    assert overdue.exists()
    for event in overdue:
        assert set(event.payload) == {"case", "obligation", "kind", "rule", "due", "opened"}
    changed = OutboxEvent.objects.filter(type="safeguard.concern.changed", case_ref="X900003").last()
    assert changed is not None and changed.payload["to"] == Case.objects.get(ref="X900003").concern

    count = OutboxEvent.objects.count()
    sweep(date(2021, 6, 30), full=True)  # nothing new happened: nothing new is announced
    assert OutboxEvent.objects.count() == count


def test_payloads_carry_ids_refs_and_kinds_only(world: Any) -> None:
    record_event(world.case, NOTE)
    record_event(world.case, {"on": "2021-06-21", "type": "check_returned", "agency": "police", "callouts": 1,
                              "summary": "Call-out at 14 Acacia Avenue"})
    for event in OutboxEvent.objects.all():
        text = str(event.payload)
        assert "Sam Jones" not in text and "Acacia" not in text and "assault" not in text
        for value in event.payload.values():
            assert isinstance(value, int | str | list | type(None))
            if isinstance(value, str):
                assert " " not in value, (event.type, value)
