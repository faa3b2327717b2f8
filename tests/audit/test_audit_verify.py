"""`safeguard audit verify` finds tampering done behind the application's back, and says where.

Tampering needs the triggers out of the way first: see the `tamper` fixture in conftest.py.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from safeguard.audit.chain import HASHED_FIELDS, entry_hash
from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import parse_anchor, verify
from safeguard.cases.models import CaseEvent
from safeguard.cli import main
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db


def run_verify(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict[str, Any]]:
    code = main(["audit", "verify", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_an_untouched_chain_verifies(chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_verify(capsys)
    assert code == 0
    assert report["intact"] and report["entries"] == 5 and report["first_problem"] is None
    assert report["head"] == {"seq": 5, "hash": chain[-1].hash}
    assert main(["audit", "verify"]) == 0
    assert "Audit chain intact: 5 entries" in capsys.readouterr().out


def test_an_entry_altered_behind_the_apps_back_is_found(chain: list[AuditEntry], capsys: pytest.CaptureFixture[str],
                                                        tamper: Callable[..., None]) -> None:
    target = chain[2]
    tamper("UPDATE audit_auditentry SET case_ref = %s WHERE id = %s", ["X999999", target.pk])
    assert AuditEntry.objects.get(pk=target.pk).case_ref == "X999999"  # the change really happened
    code, report = run_verify(capsys)
    assert code == 1 and not report["intact"]
    first = report["first_problem"]
    assert (first["kind"], first["label"], first["id"], first["seq"]) == ("content_altered", "content altered",
                                                                          target.pk, 3)
    assert report["problem_count"] == 1  # the entries after it still chain to its stored hash
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "AUDIT LOG TAMPERED" in out and f"entry id {target.pk} (seq 3)" in out


def test_each_field_of_an_entry_is_covered(chain: list[AuditEntry], tamper: Callable[..., None]) -> None:
    changes = {"at": "'2020-01-01 00:00:00'", "user_id": "NULL", "action": "'case.edited'", "case_ref": "'X1'",
               "object_type": "'person'", "object_id": "'99'", "detail": "'{}'", "ip": "'192.0.2.99'"}
    assert set(changes) | {"seq", "prev_hash"} == set(HASHED_FIELDS)
    tamper("UPDATE audit_auditentry SET user_id = NULL")  # no user to point at yet
    assert verify().intact  # user_id was already NULL: nothing changed
    for column, value in changes.items():
        entry = chain[1]
        tamper(f"UPDATE audit_auditentry SET {column} = {value} WHERE id = %s", [entry.pk])
        report = verify()
        assert report.first is not None and report.first.kind == "content_altered" and report.first.id == entry.pk, \
            column


def test_a_deleted_entry_is_found_as_a_gap(chain: list[AuditEntry], capsys: pytest.CaptureFixture[str],
                                           tamper: Callable[..., None]) -> None:
    tamper("DELETE FROM audit_auditentry WHERE seq = 3")
    code, report = run_verify(capsys)
    first = report["first_problem"]
    assert code == 1
    assert (first["kind"], first["seq"], first["id"]) == ("entry_missing", 4, chain[3].pk)
    assert "seq 3 missing" in first["message"]


def test_a_rewritten_entry_with_a_recomputed_hash_breaks_the_link_to_the_next(chain: list[AuditEntry],
                                                                              tamper: Callable[..., None]) -> None:
    entry = AuditEntry.objects.get(seq=2)
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    values["case_ref"] = "X000000"
    forged = entry_hash(values)  # the insider knows the format and recomputes this entry's hash
    tamper("UPDATE audit_auditentry SET case_ref = %s, hash = %s WHERE seq = 2", ["X000000", forged])
    report = verify()
    assert report.first is not None
    assert (report.first.kind, report.first.seq) == ("chain_broken", 3)


def test_a_forged_entry_needs_no_bypass_but_does_not_chain(chain: list[AuditEntry]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # INSERT is allowed: the chain is what catches this
        cursor.execute("INSERT INTO audit_auditentry (seq, at, action, case_ref, object_type, object_id, detail, "
                       "prev_hash, hash) VALUES (6, %s, 'case.viewed', 'X1', 'case', '1', '{}', %s, %s)",
                       [connection.ops.adapt_datetimefield_value(chain[0].at), "1" * 64, "2" * 64])
    report = verify()
    assert report.first is not None and (report.first.kind, report.first.seq) == ("content_altered", 6)


def test_entries_removed_from_the_end_are_found_with_an_anchor(chain: list[AuditEntry],
                                                               capsys: pytest.CaptureFixture[str],
                                                               tamper: Callable[..., None]) -> None:
    anchor = f"5:{chain[-1].hash}"
    tamper("DELETE FROM audit_auditentry WHERE seq >= 4")
    code, report = run_verify(capsys)
    assert code == 0  # what is left is a perfectly good chain…
    code, report = run_verify(capsys, "--anchor", anchor)
    assert code == 1  # …but it no longer reaches the anchor taken earlier
    assert report["first_problem"]["kind"] == "anchor_mismatch" and report["first_problem"]["seq"] == 5


def test_a_recomputed_chain_is_found_with_an_anchor(chain: list[AuditEntry],
                                                    tamper: Callable[..., None]) -> None:
    anchors = [(3, chain[2].hash)]
    tamper("UPDATE audit_auditentry SET detail = '{}' WHERE seq = 3")
    prev = chain[1].hash
    for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):  # rewrite the rest of the chain
        values = {name: getattr(entry, name) for name in HASHED_FIELDS} | {"prev_hash": prev}
        prev = entry_hash(values)
        tamper("UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
                             [values["prev_hash"], prev, entry.pk])
    assert verify().intact  # consistent again without the anchor
    report = verify(anchors=anchors)
    assert report.first is not None and (report.first.kind, report.first.seq) == ("anchor_mismatch", 3)


def test_bad_anchors_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError):
        parse_anchor("5:abc")
    assert main(["audit", "verify", "--anchor", "five"]) == 2


def referenced(event: CaseEvent) -> bool:
    relations = [f for f in CaseEvent._meta.get_fields(include_hidden=True)
                 if f.auto_created and not f.concrete and (f.one_to_many or f.one_to_one)]
    return any(rel.related_model._base_manager.filter(**{rel.field.name: event}).exists()  # type: ignore[union-attr]
               for rel in relations)


@pytest.fixture
def recorded(timeline_doc: dict[str, Any]) -> list[CaseEvent]:
    import_timeline(validate_document(timeline_doc, "t.json"))
    return list(CaseEvent.objects.order_by("id"))


def test_a_case_event_altered_behind_the_apps_back_is_found(recorded: list[CaseEvent],
                                                            tamper: Callable[..., None]) -> None:
    assert verify().intact and verify().events_checked == 6
    event = recorded[1]  # sentenced: make the order shorter
    tamper("UPDATE cases_caseevent SET payload = %s WHERE id = %s",
                         ['{"on": "2021-06-01", "type": "sentenced", "order": "community_order", "months": 6}',
                          event.pk], table="cases_caseevent")
    report = verify()
    assert report.first is not None
    assert (report.first.kind, report.first.id, report.first.table) == ("event_altered", event.pk, "cases_caseevent")


def test_a_deleted_case_event_is_found(recorded: list[CaseEvent], tamper: Callable[..., None]) -> None:
    event = next(e for e in reversed(recorded) if not referenced(e))  # the database keeps foreign keys
    tamper("DELETE FROM cases_caseevent WHERE id = %s", [event.pk], table="cases_caseevent")
    report = verify()
    assert report.first is not None and (report.first.kind, report.first.id) == ("event_missing", event.pk)


def test_a_case_event_written_around_record_event_is_found(recorded: list[CaseEvent]) -> None:
    from django.db import connection

    last = recorded[-1]
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO cases_caseevent (case_id, seq, \"on\", type, payload, recorded_at, source) "
                       "VALUES (%s, 99, %s, 'note', '{}', %s, 'web')",
                       [last.case_id, connection.ops.adapt_datefield_value(last.on),
                        connection.ops.adapt_datetimefield_value(last.recorded_at)])
    report = verify()
    assert report.first is not None and report.first.kind == "event_unaudited"


def test_a_missing_guard_is_reported(chain: list[AuditEntry], capsys: pytest.CaptureFixture[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute('DROP TRIGGER "cases_caseevent_no_update"')
        else:
            cursor.execute('DROP TRIGGER "cases_caseevent_append_only" ON cases_caseevent')
    code, report = run_verify(capsys)
    assert code == 1 and report["first_problem"]["kind"] == "guard_missing"
    assert "cases_caseevent" in report["first_problem"]["message"]
