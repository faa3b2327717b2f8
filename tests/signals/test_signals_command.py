"""`safeguard signals FILE --json`: JSON Lines in, JSON Lines out; bad lines exit 2 naming the line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard.cli import main


def write(tmp_path: Path, *lines: str, name: str = "notes.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_json_lines_in_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Police report he choked her. He denies any new relationship."
    path = write(tmp_path, json.dumps({"id": "c1", "text": text}), "",
                 json.dumps({"id": 2, "text": "Attended on time.", "source": "programme"}))
    assert main(["signals", str(path), "--json"]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert out == [
        {"id": "c1", "signals": [{"kind": "strangulation", "start": 17, "end": 23, "text": "choked"}]},
        {"id": 2, "signals": []},
    ]
    signal = out[0]["signals"][0]
    assert text[signal["start"]:signal["end"]] == signal["text"]


def test_non_ascii_text_keeps_character_offsets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "Zoë (PLW) says: “he’s been texting the victim”."
    path = write(tmp_path, json.dumps({"id": "u", "text": text}, ensure_ascii=False))
    assert main(["signals", str(path), "--json"]) == 0
    [signal] = json.loads(capsys.readouterr().out)["signals"]
    assert signal["kind"] == "contact_with_protected_person"
    assert text[signal["start"]:signal["end"]] == signal["text"]


def test_human_readable_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, json.dumps({"id": "c1", "text": "He was arrested."}),
                 json.dumps({"id": "c2", "text": "Nothing new."}))
    assert main(["signals", str(path)]) == 0
    out = capsys.readouterr().out
    assert "c1:" in out and "arrest" in out and "'arrested' (7-15)" in out
    assert "c2" not in out
    assert "2 note(s), 1 with signals." in out


def test_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.dumps({"id": "s", "text": "He has relapsed."}).encode() + b"\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["signals", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["signals"][0]["kind"] == "substance_relapse"


@pytest.mark.parametrize(("bad", "message"), [
    ('{"id": "x", "text": "unterminated', "line 2: not valid JSON"),
    ('["id", "text"]', "line 2: expected an object"),
    ('{"text": "no id"}', 'line 2: missing "id"'),
    ('{"id": "x"}', 'line 2: missing "text"'),
    ('{"id": "x", "text": 42}', 'line 2: "text" must be a string'),
    ('{"id": null, "text": "x"}', 'line 2: "id" must be a non-empty string or a whole number'),
    ('{"id": true, "text": "x"}', 'line 2: "id" must be a non-empty string or a whole number'),
])
def test_a_bad_line_exits_2_naming_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: str,
                                             message: str) -> None:
    path = write(tmp_path, json.dumps({"id": "ok", "text": "He was arrested."}), bad)
    assert main(["signals", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing printed for the good line before the bad one
    assert captured.err.startswith(f"safeguard: {path}: {message}")


def test_invalid_utf8_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"id": "a", "text": "ok"}\n{"id": "b", "text": "caf\xe9"}\n')
    assert main(["signals", str(path), "--json"]) == 2
    assert f"{path}: line 2: not UTF-8 text" in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["signals", str(tmp_path / "nope.jsonl"), "--json"]) == 2
    assert "nope.jsonl: cannot read" in capsys.readouterr().err


def test_the_command_needs_no_database(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"id": "a", "text": "He was arrested."}))
    code = ("import sys; from safeguard.cli import main; rc = main(['signals', sys.argv[1], '--json']); "
            "from django.conf import settings; sys.exit(rc or (3 if settings.configured else 0))")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False,
                            env={"PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["signals"][0]["kind"] == "arrest"
