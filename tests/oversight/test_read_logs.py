"""The sweep's read of many cases' event logs (one JSON array per case on PostgreSQL, a row per event on SQLite)
gives each case the events its own read gives, with their ids."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from safeguard.actions import create_case, ensure_unit
from safeguard.cases.models import CaseEvent
from safeguard.oversight.service import _read_logs, events_for
from safeguard.policy.facts import Event
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db


def test_each_case_gets_its_own_events_in_seq_order_without_the_envelope(timeline_doc: dict[str, Any]) -> None:
    case = import_timeline(validate_document(timeline_doc, "t.json"), as_of=date(2021, 7, 30))
    empty = create_case("EMPTY1", ensure_unit("Unit X"))  # a case with no events yet
    logged: dict[int, list[tuple[int, Event]]] = {case.pk: [], empty.pk: []}

    _read_logs([case.pk, empty.pk], logged)

    assert logged[empty.pk] == []
    events = [event for _, event in logged[case.pk]]
    assert events == list(events_for(case)) and len(events) == len(timeline_doc["events"])
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    assert all(isinstance(e.on, date) and "on" not in e.data and "type" not in e.data for e in events)
    ids = dict(CaseEvent.objects.filter(case=case).values_list("seq", "pk"))
    assert [pk for pk, _ in logged[case.pk]] == [ids[e.seq] for e in events]
