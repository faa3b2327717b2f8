"""`safeguard synth` and `safeguard demo --no-serve` (its own SQLite file in the data folder, demo users, sign-ins
printed)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password

from safeguard.cases.models import CaseEvent
from safeguard.cli import main

USERS = ("pp.demo", "spo.demo", "head.demo", "police.demo", "csc.demo", "qa.demo", "admin.demo", "victim.demo")


def _demo(tmp_path: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SAFEGUARD_DEMO_PASSWORD", "DJANGO_SETTINGS_MODULE"}}
    # The demo ignores DATABASE_URL: it always uses var/demo.sqlite3 in the data folder.
    env.update(SAFEGUARD_DATA_DIR=str(tmp_path / "data"), DATABASE_URL="postgres://nobody@127.0.0.1:1/not-this")
    if password:
        env["SAFEGUARD_DEMO_PASSWORD"] = password
    return subprocess.run([sys.executable, "-m", "safeguard.cli", "demo", "--no-serve", *args], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=300)


def _users(database: Path) -> dict[str, tuple[str, str]]:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT u.username, u.password, p.role FROM auth_user u "
                          "JOIN accounts_profile p ON p.user_id = u.id").fetchall()
    return {username: (encoded, role) for username, encoded, role in rows}


def test_demo_builds_its_own_database_creates_the_users_and_prints_the_sign_ins(tmp_path: Path) -> None:
    result = _demo(tmp_path, "--cases", "12")
    assert result.returncode == 0, result.stderr
    database = tmp_path / "data" / "demo.sqlite3"
    assert database.exists()
    password = next(line.split(": ", 1)[1] for line in result.stdout.splitlines()
                    if line.startswith("Password (all users): "))
    for username in USERS:
        assert username in result.stdout
    users = _users(database)
    assert sorted(users) == sorted(USERS)
    assert all(check_password(password, encoded) for encoded, _ in users.values())
    assert users["pp.demo"][1] == "practitioner" and users["police.demo"][1] == "police"
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM cases_case").fetchone() == (12,)

    again = _demo(tmp_path, password="chosen-demo-password")
    assert again.returncode == 0, again.stderr
    assert "Using the demo database" in again.stdout and "chosen-demo-password" not in again.stdout
    assert "SAFEGUARD_DEMO_PASSWORD" in again.stdout
    assert check_password("chosen-demo-password", _users(database)["qa.demo"][0])


@pytest.mark.django_db
def test_synth_command_prints_a_json_summary_and_refuses_to_load_twice(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["synth", "--cases", "4", "--seed", "99", "--as-of", "2025-01-15", "--json"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["cases"], summary["errors"], summary["as_of"]) == (4, [], "2025-01-15")
    assert summary["events"] == CaseEvent.objects.filter(source="synth").count()
    assert main(argv) == 2
    again = json.loads(capsys.readouterr().out)
    assert again["cases"] == 0 and len(again["errors"]) == 4 and "already exists" in again["errors"][0]


def test_synth_command_refuses_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synth", "--cases", "4", "--as-of", "June"]) == 2
    assert "--as-of" in capsys.readouterr().err
