"""Import goes through the actions; export gives back the same events; re-import is refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import verify
from safeguard.cases.models import Case, LinkedPerson
from safeguard.cli import main
from safeguard.oversight.models import Obligation
from safeguard.practice.models import AgencyCheck
from safeguard.timeline.exporter import export_case
from safeguard.timeline.importer import ImportRefused, import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db

CORPUS = sorted(Path(__file__).parents[1].joinpath("replay").glob("*.json"))


def test_import_writes_the_records_and_the_event_log(timeline_doc: dict[str, Any]) -> None:
    case = import_timeline(validate_document(timeline_doc, "t.json"))
    assert case.events.count() == 6
    assert list(case.events.values_list("seq", flat=True)) == [1, 2, 3, 4, 5, 6]
    victim = LinkedPerson.objects.get(case=case, ref="V1")
    assert victim.victim and victim.relationship == "ex_partner"
    check = AgencyCheck.objects.get(case=case, agency="police")
    assert (check.requested_on.isoformat(), check.returned_on.isoformat(), check.callouts) == (
        "2021-06-03", "2021-06-14", 3)
    assert case.registrations.get().code == "ADVP"
    case.refresh_from_db()
    assert case.practitioner is not None and case.practitioner.code == "P1"
    assert case.da_since is not None and case.da_since.isoformat() == "2021-05-28"
    assert Obligation.objects.filter(case=case, rule="police-check-at-start", status="done").exists()


def test_round_trip_export_of_import_has_the_same_events(timeline_doc: dict[str, Any]) -> None:
    case = import_timeline(validate_document(timeline_doc, "t.json"))
    exported = export_case(case)
    assert exported["events"] == timeline_doc["events"]
    assert exported["case"] == timeline_doc["case"]
    assert exported["staff"] == [s for s in timeline_doc["staff"] if s["ref"] == "P1"]
    validate_document(exported, "exported.json")


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_round_trip_of_every_corpus_timeline(path: Path) -> None:
    doc = json.loads(path.read_text())
    case = import_timeline(validate_document(doc, str(path)))
    exported = export_case(case)
    assert exported["events"] == doc["events"]
    reimported = import_timeline(validate_document(dict(exported, case=dict(exported["case"], ref="Y1")), "again"))
    assert export_case(reimported)["events"] == doc["events"]


def test_reimport_of_the_same_case_is_refused_unless_replace(timeline_doc: dict[str, Any]) -> None:
    timeline = validate_document(timeline_doc, "t.json")
    first = import_timeline(timeline)
    with pytest.raises(ImportRefused, match="case X900001 already exists; use --replace"):
        import_timeline(timeline)
    assert Case.objects.filter(ref="X900001").count() == 1
    second = import_timeline(timeline, replace=True)
    first.refresh_from_db()
    assert first.archived_at is not None and first.ref.startswith("X900001~")
    assert second.ref == "X900001" and second.events.count() == 6


def test_cli_import_and_export(tmp_path: Path, timeline_doc: dict[str, Any],
                               capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "case.json"
    source.write_text(json.dumps(timeline_doc))
    assert main(["import", str(source), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["imported"] == ["X900001"] and summary["events"] == 6 and summary["errors"] == []
    assert main(["import", str(source), "--json"]) == 2
    assert "already exists" in json.loads(capsys.readouterr().out)["errors"][0]
    out = tmp_path / "out.json"
    assert main(["export", "X900001", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["events"] == timeline_doc["events"]


def test_cli_import_refuses_the_same_case_twice_in_one_run(tmp_path: Path, timeline_doc: dict[str, Any],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.json").write_text(json.dumps(timeline_doc))
    (tmp_path / "b.json").write_text(json.dumps(timeline_doc))
    assert main(["import", str(tmp_path / "a.json"), str(tmp_path / "b.json")]) == 2
    assert f"b.json: case X900001 is also in {tmp_path / 'a.json'}" in capsys.readouterr().err
    assert not Case.objects.exists()  # nothing written
    assert main(["import", str(tmp_path / "a.json"), "--jobs", "0"]) == 2
    assert "--jobs must be 1 or more" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="import processes need a server database")
def test_cli_import_in_two_processes(capsys: pytest.CaptureFixture[str]) -> None:
    """--jobs 2: each process imports its share, one case per transaction; the records and the audit chain are
    as one process leaves them."""
    assert main(["import", *map(str, CORPUS), "--jobs", "2", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    docs = [json.loads(path.read_text()) for path in CORPUS]
    refs = {doc["case"]["ref"] for doc in docs}
    assert set(summary["imported"]) == refs and summary["errors"] == []
    assert summary["events"] == sum(len(doc["events"]) for doc in docs)
    assert set(Case.objects.values_list("ref", flat=True)) == refs
    assert Obligation.objects.filter(case__ref__in=refs).exists()
    report = verify()
    assert report.intact and report.problems == [] and report.events_checked == summary["events"]
    created = AuditEntry.objects.filter(action="case.created").values_list("case_ref", flat=True)
    assert sorted(created) == sorted(refs)
