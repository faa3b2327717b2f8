"""Backup and restore on the suite's own database (SQLite or PostgreSQL): what restore refuses, and a
forced restore that puts back exactly what was backed up, or nothing at all."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, connections

from safeguard.audit import guards
from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import verify
from safeguard.backup import BackupError, RestoreFailed, backed_up_models, backup, read_header, restore
from safeguard.cases.models import Case
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db(transaction=True)  # a backup is its own transaction


def rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every backed-up table's rows, as Django reads them."""
    result = {}
    for model in backed_up_models():
        names = [f.attname for f in model._meta.local_concrete_fields]
        result[model._meta.db_table] = list(model._base_manager.order_by(model._meta.pk.attname).values_list(*names))
    return result


@pytest.fixture
def data(timeline_doc: dict[str, Any]) -> None:
    import_timeline(validate_document(timeline_doc, "t.json"))
    write_audit("case.viewed", case_ref="X900001", object_type="case", object_id="1")


def rewrite(path: Path, change: Any) -> None:
    with gzip.open(path, "rb") as stream:
        header = json.loads(stream.readline())
        content = stream.read()
    header, content = change(header, content)
    path.unlink()
    with gzip.open(path, "wb") as out:
        out.write(json.dumps(header).encode() + b"\n" + content)


def test_the_header_describes_the_backup(data: None, tmp_path: Path) -> None:
    result = backup(tmp_path / "b.sgbk")
    header = read_header(tmp_path / "b.sgbk")
    assert header == result.header
    assert header["vendor"] == connection.vendor and header["created_at"].endswith("Z")
    assert header["tables"]["cases_case"] == {"model": "cases.case", "rows": 1}
    assert header["rows"] == sum(t["rows"] for t in header["tables"].values())
    assert header["audit"]["entries"] == 8 and header["audit"]["intact"]
    assert AuditEntry.objects.order_by("-seq").first().action == "backup.created"  # who took a copy of everything


def test_a_backup_does_not_overwrite_a_file(data: None, tmp_path: Path) -> None:
    (tmp_path / "b.sgbk").write_text("precious")
    with pytest.raises(BackupError, match="already exists"):
        backup(tmp_path / "b.sgbk")
    backup(tmp_path / "b.sgbk", overwrite=True)
    assert read_header(tmp_path / "b.sgbk")["format"] == "safeguard-backup/1"


def test_restore_refuses_a_database_that_holds_data(data: None, tmp_path: Path) -> None:
    backup(tmp_path / "b.sgbk")
    before = rows()
    with pytest.raises(BackupError, match="not empty"):
        restore(tmp_path / "b.sgbk")
    assert rows() == before


def test_restore_refuses_a_backup_from_another_migration_state(data: None, tmp_path: Path) -> None:
    backup(tmp_path / "b.sgbk")

    def newer(header: dict[str, Any], content: bytes) -> tuple[dict[str, Any], bytes]:
        header["migrations"]["cases"].append("0099_x")
        return header, content

    rewrite(tmp_path / "b.sgbk", newer)
    with pytest.raises(BackupError, match=r"migration state .*only in the backup: cases\.0099_x"):
        restore(tmp_path / "b.sgbk", force=True)


@pytest.mark.parametrize("content", [b"not gzip at all", gzip.compress(b'{"format": "something-else"}\n'),
                                     gzip.compress(b"no header\n")])
def test_restore_refuses_what_is_not_a_backup(content: bytes, tmp_path: Path) -> None:
    (tmp_path / "x.sgbk").write_bytes(content)
    with pytest.raises(BackupError, match="not a"):
        restore(tmp_path / "x.sgbk")


def test_a_truncated_backup_is_refused(data: None, tmp_path: Path) -> None:
    backup(tmp_path / "b.sgbk")
    rewrite(tmp_path / "b.sgbk", lambda h, c: (h, c[: len(c) // 2]))
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "b.sgbk", force=True)


def test_a_forced_restore_puts_back_exactly_what_was_backed_up(data: None, tmp_path: Path) -> None:
    backup(tmp_path / "b.sgbk")
    snapshot = rows()
    snapshot["audit_auditentry"] = snapshot["audit_auditentry"][:-1]  # without the backup's own entry
    Case.objects.filter(pk=Case.objects.get().pk).update(concern="immediate")  # changes after the backup
    write_audit("case.viewed", case_ref="X900001")
    result = restore(tmp_path / "b.sgbk", force=True, replaced_dir=tmp_path)
    assert result.ok and result.replaced is not None and result.replaced.exists()
    after = rows()
    assert after["audit_auditentry"][-1][after_index("action")] == "backup.restored"
    after["audit_auditentry"] = after["audit_auditentry"][:-1]
    assert after == snapshot
    assert verify().intact and guards.problems(connection) == []
    write_audit("case.viewed", case_ref="X900001")  # and the application carries on the restored chain
    assert verify().intact


def after_index(name: str) -> int:
    return [f.attname for f in AuditEntry._meta.local_concrete_fields].index(name)


def test_a_doctored_backup_with_a_fixed_checksum_is_rolled_back(data: None, tmp_path: Path) -> None:
    backup(tmp_path / "b.sgbk")
    before = rows()

    def doctor(header: dict[str, Any], content: bytes) -> tuple[dict[str, Any], bytes]:
        doctored = content.replace(b'"case.viewed"', b'"case.nothing"', 1)
        assert doctored != content
        return {**header, "content_sha256": hashlib.sha256(doctored).hexdigest()}, doctored

    rewrite(tmp_path / "b.sgbk", doctor)
    with pytest.raises(RestoreFailed, match="content altered"):
        restore(tmp_path / "b.sgbk", force=True, replaced_dir=tmp_path)
    assert rows() == before  # the forced wipe was rolled back with everything else
    assert guards.problems(connection) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (a server database)")
def test_a_backup_is_one_consistent_snapshot_while_others_write(data: None, timeline_doc: dict[str, Any],
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import safeguard.backup as module

    timeline_doc["case"]["ref"] = "X900002"
    written = threading.Event()
    original = module._write_content

    def other_user() -> None:
        try:
            write_audit("case.viewed", case_ref="X900001")  # commits while the backup is reading
            import_timeline(validate_document(timeline_doc, "t.json"))
            written.set()
        finally:
            connections.close_all()

    def write_content_while_others_write(*args: Any) -> Any:
        thread = threading.Thread(target=other_user)
        thread.start()
        thread.join(60)
        assert written.is_set()
        return original(*args)

    monkeypatch.setattr(module, "_write_content", write_content_while_others_write)
    entries_before = AuditEntry.objects.count()
    header = backup(tmp_path / "b.sgbk").header
    assert Case.objects.count() == 2  # the other user's work is committed…
    assert header["tables"]["cases_case"]["rows"] == 1  # …but after the backup's snapshot was taken
    assert header["audit"]["entries"] == entries_before and header["audit"]["intact"]


def test_every_table_is_backed_up_but_sessions() -> None:
    tables = {m._meta.db_table for m in backed_up_models()}
    assert {"audit_auditentry", "cases_caseevent", "auth_user", "cases_residence_occupants"} <= tables
    assert "django_session" not in tables
    expected = {m._meta.db_table for m in apps.get_models(include_auto_created=True)
                if not m._meta.proxy and m._meta.managed} - {"django_session"}
    assert tables == expected & set(connection.introspection.table_names())


def test_encrypted_details_stay_encrypted_in_the_backup_and_come_back_as_stored(data: None, tmp_path: Path) -> None:
    if not apps.is_installed("safeguard.victims"):
        pytest.skip("no field encryption in this build")
    from safeguard.cases.models import LinkedPerson
    from safeguard.victims.models import ContactDetail, VictimRecord

    person = LinkedPerson.objects.get(ref="V1")
    record = VictimRecord.objects.create(case=person.case, person=person)
    ContactDetail.objects.create(record=record, kind="address", value="Flat 2, 14 Refuge Road", never_disclose=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM victims_contactdetail")
        (ciphertext,) = cursor.fetchone()
    assert ciphertext.startswith("enc1:")
    backup(tmp_path / "b.sgbk")
    with gzip.open(tmp_path / "b.sgbk", "rb") as stream:
        content = stream.read()
    assert b"Refuge Road" not in content and ciphertext.encode() in content
    restore(tmp_path / "b.sgbk", force=True, replaced_dir=tmp_path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM victims_contactdetail")
        assert cursor.fetchone() == (ciphertext,)  # byte for byte, not encrypted twice
