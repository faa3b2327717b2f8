"""`safeguard bench --scale tiny --json`: every figure runs and reports its numbers (no timed assertions)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard.scale.sql import obligation_measures_by_hand, obligation_measures_orm


def test_bench_tiny_prints_each_figure_as_a_json_line_and_writes_the_report(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    output = tmp_path / "benchmarks.md"
    done = subprocess.run([sys.executable, "-m", "safeguard.cli", "bench", "--scale", "tiny", "--json",
                           "--database", f"sqlite:///{tmp_path / 'bench.sqlite3'}", "--output", str(output)],
                          env=env, capture_output=True, text=True, timeout=900, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    figures = {line["figure"]: line for line in lines}
    assert list(figures) == ["synth", "escalation_backlog", "sweep", "daily_sweep", "reevaluate", "pages", "pages_busy",
                             "measures", "dashboard", "import", "import_jobs", "scaleout", "calibration"]
    assert all(line["scale"] == "tiny" for line in lines)
    assert figures["synth"]["cases"] == 30 and figures["synth"]["events"] > 0
    assert figures["sweep"]["cases"] == 30 and "cases_per_second" in figures["sweep"]
    # The synthetic dataset's escalations are made before the sweep, so the sweep (the same day) has none left.
    assert figures["escalation_backlog"]["escalated"] > 0 and figures["sweep"]["escalated"] == 0
    assert {"p50_ms", "p95_ms", "samples", "peak_rss_mb"} <= set(figures["reevaluate"])
    # The day after a full sweep, only cases whose wake_on has come are evaluated again.
    assert 0 <= figures["daily_sweep"]["woken"] <= 30 and figures["daily_sweep"]["errors"] == 0
    for run in ("pages", "pages_busy"):
        for page in ("caseload", "case", "server_caseload", "server_case"):
            assert {"p50_ms", "p95_ms", "requests"} <= set(figures[run][page]), (run, page)
    assert figures["pages"]["think_s"] == "2,8" and figures["pages_busy"]["think_s"] == "0.5,1.5"
    assert figures["measures"]["same_numbers"] is True and figures["measures"]["measures"] == 22
    # The dashboards as served from the daily cache: the country's and the largest region's page (a 200).
    dashboard = figures["dashboard"]
    assert "error" not in dashboard and dashboard["cached_sets"] > 0 and dashboard["region_cases"] > 0
    assert dashboard["country_ms"] > 0 and dashboard["region_page_ms"] > 0
    assert figures["import"]["events"] > 0 and "events_per_second" in figures["import"]
    # The command itself, in two processes, committed every case into a copy of the dataset, then dropped it.
    assert figures["import_jobs"]["jobs"] == 2 and figures["import_jobs"]["errors"] == 0
    assert figures["import_jobs"]["committed"] == figures["import_jobs"]["cases"] == 4
    assert figures["import_jobs"]["events"] > 0 and "events_per_second" in figures["import_jobs"]
    assert not (tmp_path / "bench.sqlite3.scratch").exists()
    assert {"one_process_rps", "two_processes_rps", "speedup"} <= set(figures["scaleout"])
    # The engine's speed on the same synthetic cases before and after the figures.
    assert figures["calibration"]["cases"] == 300
    assert figures["calibration"]["engine_cases_per_cpu_second_at_start"] > 0
    assert figures["calibration"]["engine_cases_per_cpu_second_at_end"] > 0
    report = output.read_text()
    assert "# Benchmarks" in report and "## Tiny scale" in report and "How to reproduce" in report


@pytest.mark.django_db
def test_the_hand_written_sql_gives_the_dashboards_obligation_numbers(timeline_doc: dict) -> None:
    from datetime import date

    from safeguard.timeline.importer import import_timeline
    from safeguard.timeline.validate import validate_document

    import_timeline(validate_document(timeline_doc, "test"), as_of=date(2021, 7, 30))
    orm = obligation_measures_orm(date(2021, 7, 30))
    assert obligation_measures_by_hand(date(2021, 7, 30)) == orm
    assert sum(denominator for _, denominator in orm.values()) > 0


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_the_import_figure_writes_into_a_copy_of_the_dataset_that_is_dropped_afterwards(vendor: str,
                                                                                      tmp_path: Path) -> None:
    from scaledb import own_database, postgres_available

    from safeguard.scale.bench import drop_database, scratch_copy

    if vendor == "postgresql" and not postgres_available():
        pytest.skip("no PostgreSQL server answers")
    with own_database(vendor, tmp_path, "dataset") as url:
        if vendor == "sqlite":
            import sqlite3

            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                db.execute("CREATE TABLE marker (n INTEGER)")
                db.execute("INSERT INTO marker VALUES (7)")
            copy = scratch_copy(url)
            with sqlite3.connect(copy.removeprefix("sqlite:///")) as db:
                assert db.execute("SELECT n FROM marker").fetchall() == [(7,)]
            drop_database(copy)
            assert not Path(copy.removeprefix("sqlite:///")).exists()
            return
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute("CREATE TABLE marker (n integer)")
            db.execute("INSERT INTO marker VALUES (7)")
            # PostgreSQL copies no database another session is connected to: the bench reports it as the
            # figure's error and goes on.
            with pytest.raises(psycopg.errors.ObjectInUse):
                scratch_copy(url)
        copy = scratch_copy(url)
        try:
            with psycopg.connect(copy) as db:
                assert db.execute("SELECT n FROM marker").fetchall() == [(7,)]
        finally:
            drop_database(copy)
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres") as admin:
            name = copy.rsplit("/", 1)[1]
            assert admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None


def test_the_bench_drops_and_copies_only_its_own_databases() -> None:
    from safeguard.scale.bench import drop_database, scratch_copy

    for refused in (drop_database, scratch_copy):
        with pytest.raises(SystemExit, match="only safeguard_bench"):
            refused("postgres://postgres@127.0.0.1:5432/safeguard")
