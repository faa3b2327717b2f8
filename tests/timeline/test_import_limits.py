"""`safeguard import` (and the `signals` command) on bad files (issue 33, findings 8 and 9): exit code 2 and a
message naming the file, the place and the field, never a traceback; the one case-ref rule and the name rule;
free text held to limits.TEXT_MAX. Run as the real command, in its own process, on files made here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from safeguard.limits import TEXT_MAX

SAFEGUARD = Path(sys.executable).with_name("safeguard")


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}", "SAFEGUARD_DATA_DIR": str(tmp_path)}
    env.pop("SAFEGUARD_DEBUG", None)
    return subprocess.run([str(SAFEGUARD), *args], capture_output=True, text=True, env=env, timeout=120, check=False)


def refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for text in expected:
        assert text in result.stderr


def write(tmp_path: Path, doc: Any, name: str = "case.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("ref", ["Y1/../../x", "../etc", "X 1", "<b>X1</b>", "X1\n", "", "x" * 61])
def test_a_case_ref_outside_the_rule_is_refused(tmp_path: Path, timeline_doc: dict[str, Any], ref: str) -> None:
    timeline_doc["case"]["ref"] = ref
    refused(run("import", str(write(tmp_path, timeline_doc)), tmp_path=tmp_path),
            "case.json: case: field 'ref': expected a case ref")


@pytest.mark.parametrize("pdu", ["<script>alert(1)</script>", "North\x00City", "North\u202eCity", "N" * 101])
def test_a_unit_name_with_markup_or_control_characters_is_refused(tmp_path: Path, timeline_doc: dict[str, Any],
                                                                   pdu: str) -> None:
    timeline_doc["case"]["pdu"] = pdu
    refused(run("import", str(write(tmp_path, timeline_doc)), tmp_path=tmp_path), "case: field 'pdu': expected a name")


def test_free_text_over_the_limit_is_refused_naming_the_event_and_field(tmp_path: Path,
                                                                         timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][4]["summary"] = "x" * (TEXT_MAX + 1)
    refused(run("import", str(write(tmp_path, timeline_doc)), tmp_path=tmp_path),
            "events[4] (check_returned): field 'summary': expected text of at most 10,000 characters")


def test_a_person_ref_longer_than_its_column_is_refused(tmp_path: Path, timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][0]["ref"] = "V" * 41
    refused(run("import", str(write(tmp_path, timeline_doc)), tmp_path=tmp_path),
            "events[0] (person_added): field 'ref': expected a ref")


def test_deeply_nested_json_is_refused_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 5000 + "]" * 5000)
    refused(run("import", str(path), tmp_path=tmp_path), "deep.json: not a timeline: arrays and objects nested")


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"case": "Zoë"}'.encode("latin-1"))
    refused(run("import", str(path), tmp_path=tmp_path), "latin1.json: byte 12: not UTF-8 text")


def test_signals_refuses_deeply_nested_json_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.jsonl"
    path.write_text('{"id": 1, "text": "fine"}\n' + "[" * 5000 + "]" * 5000 + "\n")
    refused(run("signals", str(path), "--json", tmp_path=tmp_path), "notes.jsonl: line 2: not a note")


def test_the_web_the_api_and_the_importer_share_one_case_ref_rule() -> None:
    from safeguard import limits
    from safeguard.api import views
    from safeguard.web import eventforms

    assert not hasattr(views, "CASE_REF") and not hasattr(eventforms, "REF_PATTERN")
    assert limits.case_ref_problem("X123.45-6_7") is None
    assert limits.case_ref_problem("Y1/../../x") is not None
