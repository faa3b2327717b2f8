"""The import's bulk path leaves what recording every event through record_event left (the import before issue 11):
the same rows in every table it touches, the outbox, the audit trail (which still verifies), the receivers'
records. Each timeline is imported both ways in the same database (the first rolled back), and the tables are
compared with ids replaced by each row's rank in its table (PostgreSQL's sequences do not roll back)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, models, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from safeguard.actions import record_event
from safeguard.actions.bulk import FLUSH_AFTER
from safeguard.actions.events import refs_for
from safeguard.actions.rows import schema
from safeguard.agencies.models import AgencyRequest, DisclosureConsideration
from safeguard.api.models import OutboxEvent
from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import verify
from safeguard.cases.models import Case, CaseEvent
from safeguard.demo.synth import generate, load_organisation
from safeguard.interventions.models import Enrolment
from safeguard.oversight.models import Obligation
from safeguard.oversight.service import evaluate_case
from safeguard.practice.models import AgencyCheck
from safeguard.timeline.importer import create_timeline_case, import_timeline
from safeguard.timeline.validate import Timeline, TimelineError, validate_document
from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

pytestmark = pytest.mark.django_db

CORPUS = sorted(Path(__file__).parents[1].joinpath("replay").glob("*.json"))
AS_OF = date(2025, 6, 2)
SKIP = {"created_at", "recorded_at", "updated_at", "at", "hash", "prev_hash", "occurred_at"}


def _old_import(timeline: Timeline, as_of: date) -> Case:
    """import_timeline before issue 11: every event through record_event, one evaluation at the end."""
    case, _ = create_timeline_case(timeline, "Unassigned")
    refs = refs_for(case)
    for event in timeline.events:
        record_event(case, event, source="import", evaluate=False, refs=refs)
    evaluate_case(case, as_of=as_of)
    return case


def _models() -> list[type[models.Model]]:
    return [*schema().values(), OutboxEvent, AgencyRequest, AgencyRequest.about.through, DisclosureConsideration,
            Enrolment, Region, DeliveryUnit, Team, Staff]


# The audit entries' object_ids that are ids of these models (ranked like foreign keys).
AUDITED = {"case": Case, "case_event": CaseEvent, "agencyrequest": AgencyRequest}


def _dump() -> dict[str, list[list[Any]]]:
    """Every row of the tables an import touches, ids replaced by ranks (foreign keys by their target's rank)."""
    found = {m: list(m._default_manager.order_by("pk").values()) for m in _models()}
    ranks = {m: {row["id"]: i for i, row in enumerate(rows)} for m, rows in found.items()}
    ranks[Case] = ranks.get(Case, {})
    dumped: dict[str, list[list[Any]]] = {}
    for model, rows in found.items():
        fks = {f.attname: f.related_model for f in model._meta.concrete_fields if f.is_relation}
        out = []
        for row in rows:
            values = []
            for name, value in sorted(row.items()):
                if name in SKIP or name == "id":
                    continue
                if name in fks and fks[name] in ranks and value is not None:
                    value = ("rank", ranks[fks[name]][value])
                if model is AuditEntry and name == "detail":
                    value = {k: v for k, v in value.items() if k != "sha256"}  # covers the recording time
                if model is AuditEntry and name == "object_id" and row["object_type"] in AUDITED:
                    value = ("rank", ranks[AUDITED[row["object_type"]]][int(value)])
                if model is OutboxEvent and name == "payload":
                    if "check" in value:
                        value = dict(value, check=("rank", ranks[AgencyCheck][value["check"]]))
                    if "obligation" in value:
                        value = dict(value, obligation=("rank", ranks[Obligation][value["obligation"]]))
                values.append([name, value])
            out.append(values)
        if model is OutboxEvent:  # uuid ids, and times that tie within a bulk insert: in each case's order
            out.sort(key=_outbox_order)
        if model._meta.auto_created and connection.vendor == "postgresql":
            # Link rows come in the iteration order of a set of ids, which depends on the ids themselves; only
            # SQLite gives both imports the same ids (its sequences roll back), so only there is the order compared.
            out.sort(key=repr)
        dumped[model._meta.label] = out
    return dumped


def _outbox_order(values: list[list[Any]]) -> tuple[Any, ...]:
    row = dict((name, value) for name, value in values)
    payload = row["payload"]
    return row["case_ref"], "seq" not in payload, payload.get("seq", 0), row["type"], json.dumps(payload, default=str)


def _both_ways(timelines: list[Timeline]) -> tuple[dict[str, Any], dict[str, Any], int]:
    with transaction.atomic():
        for timeline in timelines:
            _old_import(timeline, AS_OF)
        old = _dump()
        transaction.set_rollback(True)
    for timeline in timelines:
        import_timeline(timeline, as_of=AS_OF)
    new = _dump()
    return old, new, sum(len(t.events) for t in timelines)


def _assert_same(old: dict[str, Any], new: dict[str, Any]) -> None:
    assert old.keys() == new.keys()
    for table, rows in old.items():
        assert new[table] == rows, f"{table} differs"


def test_the_corpus_imports_as_record_event_recorded_it() -> None:
    timelines = [validate_document(json.loads(path.read_text()), str(path)) for path in CORPUS]
    old, new, events = _both_ways(timelines)
    _assert_same(old, new)
    assert len(new["cases.CaseEvent"]) == events
    # the receivers ran: request records for the checks, considerations for new partners, drafts after a move
    assert new["agencies.AgencyRequest"] and new["agencies.DisclosureConsideration"]
    assert any(["action", "agency_request.drafted"] in row for row in new["audit.AuditEntry"])
    assert verify().problems == []


def test_synthetic_timelines_import_as_record_event_recorded_them() -> None:
    org, cases = generate(12, 3, AS_OF)
    load_organisation(org)
    timelines = [validate_document(json.loads(json.dumps(c.timeline)), c.ref) for c in cases]
    old, new, events = _both_ways(timelines)
    _assert_same(old, new)
    assert events > 200 and len(new["oversight.Obligation"]) > 50
    # answers used by a later assessment or review that names the agency (agencies.receivers.event_saved)
    assert any(["status", "used"] in row for row in new["agencies.AgencyRequest"])
    report = verify()
    assert report.problems == [] and report.events_checked == events


def test_a_bad_event_leaves_nothing(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"].append({"on": "2021-08-01", "type": "contact", "kind": "office", "outcome": "attended",
                                   "by": "NOBODY"})
    # The document names no staff NOBODY: validate_document refuses it. Skip that check to reach the import's.
    timeline = validate_document({**timeline_doc, "events": timeline_doc["events"][:-1]}, "t.json")
    broken = Timeline(case=timeline.case, staff=timeline.staff, events=[*timeline.events, timeline_doc["events"][-1]],
                      checkpoints=timeline.checkpoints, source="t.json")
    before = {m._meta.label: m._default_manager.count() for m in _models()}
    with pytest.raises(TimelineError, match="NOBODY"):
        import_timeline(broken)
    assert {m._meta.label: m._default_manager.count() for m in _models()} == before


def test_more_events_do_not_make_more_queries(timeline_doc: dict[str, Any]) -> None:
    """Queries are per case (and per check or partner event, whose receivers read the records), not per event."""
    from django.db import connection

    def queries_to_import(doc: dict[str, Any]) -> int:
        with CaptureQueriesContext(connection) as queries:
            import_timeline(validate_document(doc, "t.json"), as_of=AS_OF)
        return len(queries)

    import_timeline(validate_document(dict(timeline_doc, case=dict(timeline_doc["case"], ref="X900000")), "t.json"))
    longer = json.loads(json.dumps(timeline_doc))  # (the first import made the unit and the staff)
    longer["case"]["ref"] = "X900002"
    longer["events"] += [{"on": f"2021-09-{day:02d}", "type": "contact", "kind": "office", "outcome": "attended",
                          "by": "P1"} for day in range(1, 29) for _ in range(2)]
    # 56 more events: one more insert (the contacts' table), perhaps one more write of the evaluation
    assert queries_to_import(longer) <= queries_to_import(timeline_doc) + 2


def test_a_new_case_is_read_and_written_once(timeline_doc: dict[str, Any]) -> None:
    """The timeline's staff are read once (validation and the evaluation use those rows), the new case's stored
    obligations not at all (it has none), and the case's row is written once after its creation."""
    from django.db import connection

    import_timeline(validate_document(dict(timeline_doc, case=dict(timeline_doc["case"], ref="X900010")), "t.json"))
    doc = dict(timeline_doc, case=dict(timeline_doc["case"], ref="X900011"))
    with CaptureQueriesContext(connection) as queries:
        case = import_timeline(validate_document(doc, "t.json"), as_of=AS_OF)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "workforce_staff"' in s for s in sql) == len(timeline_doc["staff"]), "\n".join(sql)
    assert not any('FROM "oversight_obligation"' in s for s in sql)
    assert sum('UPDATE "cases_case"' in s for s in sql) == 1
    case.refresh_from_db()
    assert case.version == 1 + len(timeline_doc["events"]) and case.evaluated_on == AS_OF  # created as version 1
    assert case.obligations.exists()


def test_only_the_flushed_events_models_have_save_receivers() -> None:
    """FLUSH_AFTER lists the events whose receivers read the database: if another model the import writes gains a
    post_save receiver, the import must be looked at again (actions.bulk)."""
    listened = {m._meta.label for m in [*schema().values(), OutboxEvent] if post_save.has_listeners(m)}
    assert listened == {"cases.CaseEvent", "practice.AgencyCheck"}
    assert set(FLUSH_AFTER) == {"check_requested", "check_returned", "relationship_started", "transferred"}


def test_the_import_tells_the_request_receivers_what_they_would_read(timeline_doc: dict[str, Any]) -> None:
    """A check's request record takes the events that made and answered the check from the import (no read of
    the log), and an assessment or review looks for answers to mark used only where one may be waiting: the
    police's, for the first review naming them; none for a second review with no new answer, nor for one naming
    an agency that never answered."""
    review = {"type": "reviewed", "by": "P1", "rosh": "medium", "sara_partner": "medium", "sara_others": "low",
              "analysis": "Reviewed after the police answer."}
    events = [*timeline_doc["events"],
              dict(review, on="2021-06-20", sources=["police"]),
              dict(review, on="2021-07-20", sources=["police", "victim"]),
              dict(review, on="2021-08-20", sources=["childrens_services"])]
    import_timeline(validate_document(dict(timeline_doc, case=dict(timeline_doc["case"], ref="X900020")), "t.json"))
    doc = dict(timeline_doc, case=dict(timeline_doc["case"], ref="X900021"), events=events)
    with CaptureQueriesContext(connection) as queries:
        case = import_timeline(validate_document(doc, "t.json"), as_of=AS_OF)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any(s.startswith("SELECT") and 'FROM "cases_caseevent"' in s for s in sql), "\n".join(sql)
    links = [s for s in sql if "agencies_agencyrequest SET status = 'used'" in s]  # agencies.actions.link_uses
    assert len(links) == 1, "\n".join(sql)
    request = AgencyRequest.objects.get(case=case)
    seqs = {e.pk: e.seq for e in CaseEvent.objects.filter(case=case)}
    assert (request.status, seqs[request.sent_event_id], seqs[request.returned_event_id]) == ("used", 4, 5)
    assert request.used_in_id is not None and seqs[request.used_in_id] == 7


def test_known_records_keep_only_what_was_committed(django_capture_on_commit_callbacks: Any) -> None:
    """An import run reads each unit and member of staff once; a row read or made in a transaction that rolled
    back is not kept (it may not exist)."""
    from safeguard.actions.cases import KnownRecords

    known = KnownRecords()
    member = {"ref": "K1", "grade": "PO", "qualified_on": None, "da_trained": True}
    with django_capture_on_commit_callbacks(execute=False):  # rolled back: the callbacks never run
        known.unit("Rolled Back PDU")
        known.staff_member(member)
    assert known.units == {} and known.staff == {}
    with django_capture_on_commit_callbacks(execute=True):
        unit = known.unit("Kept PDU")
        staff = known.staff_member(member)
    with CaptureQueriesContext(connection) as queries:
        assert known.unit("Kept PDU") is unit and known.staff_member(member) is staff
    assert len(queries.captured_queries) == 0
