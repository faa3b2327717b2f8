"""Backup and restore round trips on SQLite and PostgreSQL, with the real `safeguard` command, between
databases of the test's own (throwaway: a file on SQLite, safeguard_bk_<random> on PostgreSQL)."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from owndb import VENDORS, Templates, dbtool, postgres_available, safeguard, skip_unless_available, throwaway_database
from safeguard.limits import CASE_REF_MAX, LOCAL_REF_MAX, NAME_MAX, TEXT_MAX


def header_of(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rb") as stream:
        return json.loads(stream.readline())


def assert_same_rows(before: dict[str, Any], after: dict[str, Any], *, restored_entry: bool = True) -> None:
    """Every table holds the same rows, except that the restored database's audit log ends with the
    entry recording the restore."""
    assert set(before) == set(after)
    for table in sorted(before):
        if table == "audit_auditentry" and restored_entry:
            assert after[table][:-1] == before[table], table
            continue
        assert after[table] == before[table], table


@pytest.mark.parametrize("vendor", VENDORS)
def test_backup_and_restore_round_trip(vendor: str, tmp_path: Path, templates: Templates) -> None:
    skip_unless_available(vendor)
    backup_file = tmp_path / "safeguard.sgbk"
    with templates.copy(vendor, "built", tmp_path, "source") as source, \
            throwaway_database(vendor, tmp_path, "target") as target:  # new and empty: restore migrates it
        before = dbtool(source, tmp_path, "dump", "raw")
        assert len(before["cases_caseevent"]) > 20 and before["cases_residence_occupants"]  # M2M tables too
        assert any("2001:db8::7" in row for row in before["audit_auditentry"])  # the ip column

        done = safeguard(source, tmp_path, "backup", str(backup_file), "--json")
        assert done.returncode == 0, done.stderr
        assert oct(backup_file.stat().st_mode & 0o777) == "0o600"
        header = header_of(backup_file)
        assert header["format"] == "safeguard-backup/1" and header["vendor"] == vendor
        assert header["audit"]["intact"] and header["audit"]["entries"] == len(before["audit_auditentry"])
        assert header["tables"]["cases_caseevent"]["rows"] == len(before["cases_caseevent"])
        assert "audit" in header["migrations"] and "django_session" not in header["tables"]
        with gzip.open(backup_file, "rb") as stream:
            stream.readline()
            assert hashlib.sha256(stream.read()).hexdigest() == header["content_sha256"]

        done = safeguard(target, tmp_path, "restore", str(backup_file), "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        result = json.loads(done.stdout)
        assert result["ok"] and result["migrated"] and result["audit"]["intact"]
        assert_same_rows(before, dbtool(target, tmp_path, "dump", "raw"))

        anchor = f"{header['audit']['head']['seq']}:{header['audit']['head']['hash']}"
        done = safeguard(target, tmp_path, "audit", "verify", "--json", "--anchor", anchor)
        assert done.returncode == 0, done.stdout
        report = json.loads(done.stdout)
        assert report["intact"] and report["entries"] == header["audit"]["entries"] + 1
        assert report["events_checked"] == len(before["cases_caseevent"]) and report["guards"] == []

        # Restoring over data is refused, and nothing changes…
        done = safeguard(target, tmp_path, "restore", str(backup_file))
        assert done.returncode == 2 and "not empty" in done.stderr
        # …unless forced, which keeps a backup of what it replaced.
        done = safeguard(target, tmp_path, "restore", str(backup_file), "--force", "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        replaced = Path(json.loads(done.stdout)["replaced_backup"])
        assert replaced.exists() and header_of(replaced)["audit"]["entries"] == header["audit"]["entries"] + 1
        assert json.loads(done.stdout)["audit"]["intact"]
        assert_same_rows(before, dbtool(target, tmp_path, "dump", "raw"))


def tampered_copy(original: Path, copy: Path, *, fix_checksum: bool) -> None:
    """The backup with one audit entry's action changed (and, if asked, its checksum recomputed)."""
    edited_copy(original, copy, "audit_auditentry", "action", "case.nothing_to_see", fix_checksum=fix_checksum)


def edited_copy(original: Path, copy: Path, table: str, column: str, value: Any, *, fix_checksum: bool) -> None:
    """The backup with `column` of the first row of `table` set to `value` (and, if asked, its checksum
    recomputed)."""
    with gzip.open(original, "rb") as stream:
        header = json.loads(stream.readline())
        lines = stream.read().split(b"\n")
    current, index = None, 0
    for n, line in enumerate(lines):
        item = json.loads(line) if line else None
        if isinstance(item, dict):
            current = item["table"]
            index = item["columns"].index(column) if current == table else 0
        elif current == table and item:
            item[index] = value
            lines[n] = json.dumps(item, separators=(",", ":")).encode()
            break
    else:
        raise AssertionError(f"no row of {table} in the backup")
    content = b"\n".join(lines)
    if fix_checksum:
        header["content_sha256"] = hashlib.sha256(content).hexdigest()
    with gzip.open(copy, "wb") as out:
        out.write(json.dumps(header).encode() + b"\n" + content)


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_damaged_or_doctored_backup_is_refused(vendor: str, tmp_path: Path, templates: Templates) -> None:
    skip_unless_available(vendor)
    good, bad = tmp_path / "good.sgbk", tmp_path / "bad.sgbk"
    with templates.copy(vendor, "built", tmp_path, "source") as source, \
            templates.copy(vendor, "migrated", tmp_path, "target") as target:
        assert safeguard(source, tmp_path, "backup", str(good)).returncode == 0
        empty = dbtool(target, tmp_path, "dump", "raw")

        tampered_copy(good, bad, fix_checksum=False)
        done = safeguard(target, tmp_path, "restore", str(bad))
        assert done.returncode == 2 and "does not match the checksum" in done.stderr

        # Someone who also fixes the checksum is caught by the audit chain; the restore is rolled back.
        bad.unlink()
        tampered_copy(good, bad, fix_checksum=True)
        done = safeguard(target, tmp_path, "restore", str(bad))
        assert done.returncode == 1 and "content altered" in done.stderr and "rolled back" in done.stderr
        assert dbtool(target, tmp_path, "dump", "raw") == empty  # nothing was written

        # A value longer than its column (a backup from before every save was checked may hold one): the restore
        # says where on both databases (SQLite would take it; PostgreSQL's own refusal names no table).
        bad.unlink()
        edited_copy(good, bad, "workforce_deliveryunit", "name", "U" * 138, fix_checksum=True)
        done = safeguard(target, tmp_path, "restore", str(bad))
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert "workforce_deliveryunit id " in done.stderr
        assert "column 'name' holds 138 characters, more than its 100" in done.stderr
        assert dbtool(target, tmp_path, "dump", "raw") == empty


@pytest.mark.skipif(not postgres_available(), reason="no PostgreSQL server answers at 127.0.0.1:5432")
@pytest.mark.parametrize(("source_vendor", "target_vendor"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_a_backup_restores_into_the_other_database(source_vendor: str, target_vendor: str, tmp_path: Path,
                                                   templates: Templates) -> None:
    """Moving from a laptop's SQLite to PostgreSQL, and back (a training copy, an investigation): the chain's
    hashes do not depend on the database."""
    backup_file = tmp_path / "moving.sgbk"
    with templates.copy(source_vendor, "built", tmp_path, "source") as source, \
            templates.copy(target_vendor, "migrated", tmp_path, "target") as target:
        before = dbtool(source, tmp_path, "dump", "orm")
        assert safeguard(source, tmp_path, "backup", str(backup_file)).returncode == 0
        done = safeguard(target, tmp_path, "restore", str(backup_file))
        assert done.returncode == 0, done.stdout + done.stderr
        assert_same_rows(before, dbtool(target, tmp_path, "dump", "orm"))
        assert safeguard(target, tmp_path, "audit", "verify").returncode == 0


def longest_timeline() -> dict[str, Any]:
    """A case whose every text is as long as its column or limit allows, in letters of more than one byte
    (PostgreSQL counts characters, not bytes)."""
    staff = "S" + "t" * (LOCAL_REF_MAX - 1)  # a ref: letters and digits (ASCII) only
    return {
        "format": "safeguard-timeline/1",
        "case": {"ref": "M" + "9" * (CASE_REF_MAX - 1), "born": "1980-01-01", "gender": "é" * 40,
                 "pdu": "Ünit " + "ø" * (NAME_MAX - 5)},
        "staff": [{"ref": staff, "grade": "PO", "qualified_on": "2010-01-01", "da_trained": True}],
        "events": [
            {"on": "2024-01-02", "type": "person_added", "ref": "V" * LOCAL_REF_MAX, "relationship": "partner",
             "gender": "ß" * 40, "victim": True},
            {"on": "2024-01-03", "type": "moved", "address": "Å" * 80, "occupants": ["V" * LOCAL_REF_MAX]},
            {"on": "2024-01-04", "type": "allocated", "practitioner": staff},
            {"on": "2024-01-05", "type": "note", "by": staff, "text": "ň" * TEXT_MAX},
            {"on": "2024-01-06", "type": "check_returned", "agency": "police", "summary": "ü" * TEXT_MAX},
        ],
        "checkpoints": [],
    }


@pytest.mark.skipif(not postgres_available(), reason="no PostgreSQL server answers at 127.0.0.1:5432")
@pytest.mark.parametrize(("source_vendor", "target_vendor"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_values_at_their_columns_maximum_round_trip_between_databases(
        source_vendor: str, target_vendor: str, tmp_path: Path, templates: Templates) -> None:
    timeline = tmp_path / "longest.json"
    timeline.write_text(json.dumps(longest_timeline()), encoding="utf-8")
    backup_file = tmp_path / "longest.sgbk"
    with templates.copy(source_vendor, "built", tmp_path, "source") as source, \
            templates.copy(target_vendor, "migrated", tmp_path, "target") as target:
        done = safeguard(source, tmp_path, "import", str(timeline))
        assert done.returncode == 0, done.stdout + done.stderr
        before = dbtool(source, tmp_path, "dump", "orm")
        assert safeguard(source, tmp_path, "backup", str(backup_file)).returncode == 0
        done = safeguard(target, tmp_path, "restore", str(backup_file))
        assert done.returncode == 0, done.stdout + done.stderr
        after = dbtool(target, tmp_path, "dump", "orm")
        assert_same_rows(before, after)
        restored = json.dumps(after, ensure_ascii=False)
        for value in ("M" + "9" * (CASE_REF_MAX - 1), "Ünit " + "ø" * (NAME_MAX - 5), "Å" * 80, "ň" * TEXT_MAX):
            assert value in restored

