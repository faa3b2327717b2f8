"""Encrypted backups: written with the newest key, restored and verified with the key list (rotation),
re-keyed, and refused — before the database is touched — without the key or when a frame is altered,
dropped or cut off. On SQLite and PostgreSQL, with the real `safeguard` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from owndb import VENDORS, Templates, dbtool, safeguard, skip_unless_available, throwaway_database
from safeguard import backup_crypto

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.mark.parametrize("vendor", VENDORS)
def test_an_encrypted_backup_round_trips_and_survives_key_rotation(
        vendor: str, tmp_path: Path, templates: Templates, monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_available(vendor)
    backup_file = tmp_path / "safeguard.sgbk"
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", OLD)
    with templates.copy(vendor, "built", tmp_path, "source") as source:
        before = dbtool(source, tmp_path, "dump", "raw")
        done = safeguard(source, tmp_path, "backup", str(backup_file), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["encrypted"] is True
        raw = backup_file.read_bytes()
        assert raw.startswith(backup_crypto.MAGIC) and oct(backup_file.stat().st_mode & 0o777) == "0o600"
        assert b"safeguard-backup/1" not in raw and b"cases_caseevent" not in raw  # nothing readable

    # Without the key, or with only a wrong one, restore refuses before touching the database.
    for env in ("", Fernet.generate_key().decode()):
        monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", env)
        with throwaway_database(vendor, tmp_path, "nokey") as target:
            done = safeguard(target, tmp_path, "restore", str(backup_file))
            assert done.returncode == 2, done.stderr
            assert "SAFEGUARD_BACKUP_KEY" in done.stderr or "cannot be decrypted" in done.stderr

    # Rotation: the new key first, the old one still listed: the old backup restores and verifies.
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", f"{NEW},{OLD}")
    with throwaway_database(vendor, tmp_path, "target") as target:
        done = safeguard(target, tmp_path, "restore", str(backup_file), "--json")
        assert done.returncode == 0, done.stdout + done.stderr
        assert json.loads(done.stdout)["audit"]["intact"]
        after = dbtool(target, tmp_path, "dump", "raw")
        assert after["cases_caseevent"] == before["cases_caseevent"]

    # Re-key with the new key; then the old key can go.
    assert safeguard(target, tmp_path, "backup", "--rekey", str(backup_file)).returncode == 0
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", NEW)
    with throwaway_database(vendor, tmp_path, "rekeyed") as target:
        done = safeguard(target, tmp_path, "restore", str(backup_file), "--json")
        assert done.returncode == 0, done.stdout + done.stderr


def _small_backup(tmp_path: Path, templates: Templates, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", OLD)
    path = tmp_path / "small.sgbk"
    with templates.copy("sqlite", "migrated", tmp_path, "small") as source:
        done = safeguard(source, tmp_path, "backup", str(path))
        assert done.returncode == 0, done.stderr
    return path


def test_a_key_file_works_like_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = tmp_path / "backup.keys"
    key_file.write_text(f"# newest first\n{NEW}\n{OLD}\n")
    monkeypatch.delenv("SAFEGUARD_BACKUP_KEY", raising=False)
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY_FILE", str(key_file))
    assert backup_crypto.configured_keys() == [NEW.encode(), OLD.encode()]
    monkeypatch.setenv("SAFEGUARD_BACKUP_KEY", "not-a-key")
    with pytest.raises(backup_crypto.BackupKeyError, match="not a Fernet key"):
        backup_crypto.multifernet(backup_crypto.configured_keys())


@pytest.mark.parametrize("damage", ["altered frame", "dropped frame", "cut short", "reordered"])
def test_a_damaged_encrypted_backup_is_refused_before_anything_is_written(
        damage: str, tmp_path: Path, templates: Templates, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _small_backup(tmp_path, templates, monkeypatch)
    lines = path.read_bytes().split(b"\n")
    magic, frames = lines[0], [f for f in lines[1:] if f]
    if len(frames) < 2:  # make more frames from the same plain content, so each damage applies
        plain = tmp_path / "plain.gz"
        plain.write_bytes(b"".join(backup_crypto.decrypted_frames(path, [OLD.encode()])))
        monkeypatch.setattr(backup_crypto, "FRAME", 4096)
        with open(path, "wb") as out:
            backup_crypto.encrypt_file(plain, out, [OLD.encode()])
        lines = path.read_bytes().split(b"\n")
        magic, frames = lines[0], [f for f in lines[1:] if f]
    assert len(frames) >= 2
    if damage == "altered frame":
        token = bytearray(frames[1])
        token[40] = ord("A") if token[40] != ord("A") else ord("B")
        frames[1] = bytes(token)
    elif damage == "dropped frame":
        del frames[1]
    elif damage == "cut short":
        frames = frames[:-1]
    else:
        frames[0], frames[1] = frames[1], frames[0]
    path.write_bytes(magic + b"\n" + b"\n".join(frames) + b"\n")
    with throwaway_database("sqlite", tmp_path, "target") as target:
        done = safeguard(target, tmp_path, "restore", str(path))
        assert done.returncode == 2, done.stdout + done.stderr
        assert "nothing was written" in done.stderr
        assert not (tmp_path / "target.sqlite3").exists() or dbtool(target, tmp_path, "dump", "raw").get(
            "cases_case", []) == []
