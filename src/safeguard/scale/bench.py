"""`safeguard bench`: the national-scale benchmark (issue 11), figure by figure, each in its own process.

Figures: synth (bulk load), sweep (every case), reevaluate (one event), pages (caseload and case page under
concurrent signed-in users: gunicorn on loopback, locust headless), measures (the country's dashboard
measures counted live, and the obligation measure set by the ORM and by one hand-written SQL query), dashboard
(the country's and the largest region's dashboards from the daily cache), import (timeline
import through record_event), scaleout (one web process against two). Each figure prints one JSON line;
the results are kept in docs/bench/<scale>.json and docs/benchmarks.md is written from them.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from safeguard.scale.commands import BENCH_URL, database_url, ensure_database

SCALES: dict[str, dict[str, Any]] = {
    # tiny is for the tests: every figure runs, on a few cases, in seconds.
    "tiny": {"cases": 30, "users": 3, "seconds": 20, "samples": 10, "import_cases": 3, "import_jobs_cases": 4,
             "max_requests": 200},
    "small": {"cases": 5_000, "users": 50, "seconds": 60, "samples": 200, "import_cases": 100,
              "import_jobs_cases": 1_000, "max_requests": 20_000},
    "national": {"cases": 250_000, "users": 50, "seconds": 60, "samples": 200, "import_cases": 200,
                 "import_jobs_cases": 1_000, "max_requests": 20_000},
}
FIGURES = ("synth", "sweep", "daily_sweep", "reevaluate", "pages", "measures", "dashboard", "import", "import_jobs",
           "scaleout")
IMPORT_JOBS = 2  # processes for import_jobs: one per core of the target machine
SEED = 1
# Seconds each simulated practitioner spends on a page before opening the next: reading a case takes a person
# longer than this, so "pages" is a brisk working morning; "pages_busy" is everyone clicking about once a second.
THINK = "2,8"
BUSY_THINK = "0.5,1.5"
RAMP = 10  # seconds over which the load test's users start, before its statistics begin
TARGETS = {
    "sweep": "≤ 60 s for 250,000 cases (≥ 4,167 cases/s)",
    "escalation_backlog": "(none: the synthetic dataset's one-off catch-up, before the sweep)",
    "reevaluate": "p95 ≤ 20 ms",
    "pages": "caseload p95 ≤ 150 ms, case page p95 ≤ 200 ms (server time, 50 users)",
    "pages_busy": "(no target: 50 users at 0.5–1.5 s a page, beyond what the service sees)",
    "measures": "within 2× of hand-written SQL (counted live: the dashboards read the daily cache)",
    "dashboard": "national dashboard ≤ 1 s",
    "import": "(one process, rolled back: see import_jobs)",
    "import_jobs": "≥ 2,000 events/s",
    "calibration": "(none: the machine's speed, for reading the others)",
}


def bench_database(choice: str, scale: str) -> str | None:
    if choice == "postgres" and not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return BENCH_URL if scale == "national" else f"{BENCH_URL}_{scale}"
    return database_url(choice)


# A national bulk load on a busy two-core machine took more than an hour; six hours bounds a stuck figure.
def _run_figure(name: str, url: str | None, arguments: dict[str, Any], timeout: int = 6 * 3600,
                **env_extra: str) -> dict[str, Any]:
    env = _env(url, **env_extra)
    done = subprocess.run([sys.executable, "-m", "safeguard.scale.figures", name, json.dumps(arguments)], env=env,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _env(url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if url:
        env["DATABASE_URL"] = url
    env.setdefault("SAFEGUARD_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    env["SAFEGUARD_REQUEST_LOG"] = "0"  # one log line per request would be measured too
    env.update(extra)
    return env


def _case_count(url: str | None) -> int:
    code = ("import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'safeguard.settings'); django.setup()\n"
            "from safeguard.cases.models import Case\ntry:\n print(Case.objects.count())\nexcept Exception:\n print(0)")
    done = subprocess.run([sys.executable, "-c", code], env=_env(url), capture_output=True, text=True, timeout=120)
    try:
        return int(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return 0


def _own_database(url: str) -> tuple[str, str]:
    """(server, name) of a PostgreSQL database the benchmark may drop: only its own (safeguard_bench…,
    safeguard_h13_…)."""
    server, name = url.rsplit("/", 1)
    if not name.startswith(("safeguard_bench", "safeguard_h13_")):
        raise SystemExit(f"safeguard bench: will not drop {name!r} (only safeguard_bench… databases)")
    return server, name


def recreate_database(url: str | None) -> None:
    """Start the benchmark's dataset afresh: only its own databases or a SQLite file."""
    if url is None:
        raise SystemExit("safeguard bench: give --database (a SQLite URL, or 'postgres') to build a dataset")
    drop_database(url)
    ensure_database(url)  # (nothing to create for SQLite: the file is made when first opened)


def drop_database(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    import psycopg

    server, name = _own_database(url)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_copy(url: str) -> str:
    """A copy of the dataset for a figure that commits (its writes to the append-only event and audit logs
    cannot be taken out again): PostgreSQL's CREATE DATABASE … TEMPLATE, file by file, or a copy of the SQLite
    file. The caller drops it (drop_database)."""
    if url.startswith("sqlite:///"):
        import shutil

        copy = url + ".scratch"
        shutil.copyfile(url.removeprefix("sqlite:///"), copy.removeprefix("sqlite:///"))
        return copy
    import psycopg

    server, name = _own_database(url)
    copy = f"{server}/{name}_scratch"
    drop_database(copy)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}_scratch" TEMPLATE "{name}" STRATEGY FILE_COPY')
    return copy


# -- pages ---------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children_peak_mb(pid: int) -> float:
    """The largest VmHWM (peak resident memory) among the gunicorn master's worker processes."""
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(pid) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
    return round(peak, 1)


def load_test(url: str | None, users_file: str, *, workers: int, users: int, seconds: int, max_requests: int,
              pages: str = "caseload,case", think: str = THINK) -> dict[str, Any]:
    port = _free_port()
    # The users' sessions are made signed in (prepare_users) without a second factor: the load test measures
    # pages, not signing in, so the server it starts runs without two-factor sign-in.
    env = _env(url, SAFEGUARD_ALLOWED_HOSTS="127.0.0.1,localhost", SAFEGUARD_TWO_FACTOR="0")
    server = subprocess.Popen([sys.executable, "-m", "safeguard.cli", "serve", "--bind", f"127.0.0.1:{port}",
                               "--workers", str(workers), "--threads", "2"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 180  # a busy machine can take a minute to start the workers
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    return {"error": "gunicorn did not start"}
                time.sleep(0.5)
        with tempfile.TemporaryDirectory(prefix="safeguard-locust-") as scratch:
            prefix = str(Path(scratch) / "run")
            locust_env = _env(url, BENCH_USERS_FILE=users_file, BENCH_MAX_REQUESTS=str(max_requests),
                              BENCH_PAGES=pages, BENCH_THINK=think)
            locustfile = str(Path(__file__).with_name("locustfile.py"))
            # The users start over RAMP seconds, which are not counted (--reset-stats): fifty people do not all
            # open their caseload in the same second, nor just after every web worker has started.
            ramp = min(RAMP, max(1, seconds // 6))
            done = subprocess.run([sys.executable, "-m", "locust", "-f", locustfile, "--headless", "-u", str(users),
                                   "-r", f"{users / ramp:g}", "--reset-stats", "-t", f"{seconds + ramp}s", "--host",
                                   f"http://127.0.0.1:{port}", "--csv", prefix, "--only-summary",
                                   "--stop-timeout", "5", "--exit-code-on-error", "0", "--loglevel", "ERROR"],
                                  env=locust_env, capture_output=True, text=True, timeout=seconds + ramp + 180)
            stats_file = Path(f"{prefix}_stats.csv")
            if not stats_file.exists():
                return {"error": f"locust wrote no statistics: {done.stderr.strip()[-300:]}"}
            rows = list(csv.DictReader(stats_file.open()))
            failures_file = Path(f"{prefix}_failures.csv")
            failed = list(csv.DictReader(failures_file.open())) if failures_file.exists() else []
        result: dict[str, Any] = {"workers": workers, "users": users, "seconds": seconds, "ramp_s": ramp,
                                  "think_s": think}
        for row in rows:
            name = row["Name"]
            entry = {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                     "p50_ms": _number(row["50%"]), "p95_ms": _number(row["95%"]),
                     "rps": round(_number(row["Requests/s"]) or 0.0, 1)}
            if name == "Aggregated":
                continue
            result[name.replace(" ", "_")] = entry
        pages_rows = [r for r in rows if r["Type"] == "GET" and r["Name"] in ("caseload", "case")]
        result["throughput_rps"] = round(sum(_number(r["Requests/s"]) or 0.0 for r in pages_rows), 1)
        if failed:  # what went wrong, by page: a status, a timeout, a refused connection
            result["failure_reasons"] = {f"{row['Name']}: {row['Error']}"[:200]: int(row["Occurrences"])
                                         for row in failed}
        result["peak_rss_mb_per_worker"] = _children_peak_mb(server.pid)
        return result
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)


def _number(text: str | None) -> float | None:
    """A locust statistic ("N/A" when there was no request)."""
    try:
        return float(text) if text else None
    except ValueError:
        return None


# -- the run -------------------------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cores": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform(), "load_average_at_start": os.getloadavg()}
    try:
        mem = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
        info["memory_gb"] = round(int(mem["MemTotal"].split()[0]) / 1024 / 1024, 1)
        cpu = [line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
               if line.startswith("model name")]
        info["cpu"] = cpu[0] if cpu else platform.processor()
    except (OSError, KeyError):
        pass
    return info


def run_bench(args: argparse.Namespace) -> int:
    scale = SCALES[args.scale]
    url = bench_database(args.database, args.scale)
    wanted = [f.strip() for f in args.only.split(",")] if args.only else list(FIGURES)
    users = args.users if args.scale != "tiny" else scale["users"]
    seconds = args.seconds if args.scale != "tiny" else scale["seconds"]
    today = date.today().isoformat()
    results: dict[str, Any] = {"scale": args.scale, "cases": scale["cases"], "seed": SEED,
                               "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
                               "database": "postgresql" if url and url.startswith("postgres") else "sqlite",
                               "machine": machine(), "figures": {}}

    def emit(name: str, value: dict[str, Any]) -> None:
        results["figures"][name] = {**value, "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
                                    "load_average": [round(x, 1) for x in os.getloadavg()]}
        line = {"figure": name, "scale": args.scale, **value}
        print(json.dumps(line, default=str), flush=True)

    if url and url.startswith("postgres"):
        ensure_database(url)
    # The machine's speed for plain Python before and after the figures (it varies: shared virtual machines).
    calibrated = [_run_figure("calibration", url, {"as_of": today})]
    if "synth" in wanted and not (args.reuse and _case_count(url) >= scale["cases"]):
        recreate_database(url)
        emit("synth", _run_figure("synth", url, {"cases": scale["cases"], "seed": SEED, "as_of": today}))
    else:  # a reused dataset keeps its synth figure, and gets the schema's later migrations (indexes)
        _run_figure("migrate", url, {})
    if "sweep" in wanted:  # the synthetic dataset's one-off backlog first, so the sweep is the service's
        emit("escalation_backlog", _run_figure("escalation_backlog", url, {"as_of": today}))
        emit("sweep", _run_figure("sweep", url, {"as_of": today}))
    if "daily_sweep" in wanted:
        emit("daily_sweep", _run_figure("daily_sweep", url, {"as_of": today}))
    if "reevaluate" in wanted:
        emit("reevaluate", _run_figure("reevaluate", url, {"as_of": today, "samples": scale["samples"]}))
    users_file = str(Path(tempfile.gettempdir()) / f"safeguard-bench-users-{os.getpid()}.json")
    if "pages" in wanted or "scaleout" in wanted:
        prepared = _run_figure("prepare_users", url, {"users": users, "users_file": users_file,
                                                      "password": secrets.token_urlsafe(18)})
        if "error" in prepared:
            emit("pages", prepared)
            wanted = [w for w in wanted if w not in ("pages", "scaleout")]
    if "pages" in wanted:
        for name, think in (("pages", THINK), ("pages_busy", BUSY_THINK)):
            emit(name, load_test(url, users_file, workers=args.workers or _default_workers(), users=users,
                                 seconds=seconds, max_requests=scale["max_requests"], think=think))
    if "measures" in wanted:
        emit("measures", _run_figure("measures", url, {"as_of": today}))
    if "dashboard" in wanted:  # its user is signed in without a second factor, as the load test's are
        emit("dashboard", _run_figure("dashboard", url, {"as_of": today}, SAFEGUARD_TWO_FACTOR="0"))
    if "import" in wanted:
        emit("import", _run_figure("timeline_import", url, {"as_of": today, "cases": scale["import_cases"]}))
    if "import_jobs" in wanted and url:
        try:
            copy = scratch_copy(url)
        except Exception as exc:  # PostgreSQL copies no database another session is connected to: say so, go on
            emit("import_jobs", {"error": f"could not copy the dataset: {type(exc).__name__}: {exc}".strip()})
        else:
            try:
                emit("import_jobs", _run_figure("import_jobs", copy, {"as_of": today, "jobs": IMPORT_JOBS,
                                                                     "cases": scale["import_jobs_cases"]}))
            finally:
                drop_database(copy)
    if "scaleout" in wanted:
        runs = {}
        for workers in (1, 2):
            runs[workers] = load_test(url, users_file, workers=workers, users=max(2, users // 2),
                                      seconds=max(5, seconds // 2), max_requests=scale["max_requests"],
                                      pages="caseload", think="0")
        one, two = runs[1].get("throughput_rps", 0), runs[2].get("throughput_rps", 0)
        emit("scaleout", {"one_process_rps": one, "two_processes_rps": two,
                          "speedup": round(two / one, 2) if one else None,
                          "one": runs[1], "two": runs[2]})
    Path(users_file).unlink(missing_ok=True)
    calibrated.append(_run_figure("calibration", url, {"as_of": today}))
    emit("calibration", {"cases": calibrated[0].get("cases"), "engine_cases_per_cpu_second_at_start":
                         calibrated[0].get("engine_cases_per_cpu_second"), "engine_cases_per_cpu_second_at_end":
                         calibrated[1].get("engine_cases_per_cpu_second")})
    results["machine"]["load_average_at_end"] = os.getloadavg()
    if args.output != "-":
        from safeguard.scale.report import write_report

        write_report(results, Path(args.output))
    return 0


def _default_workers() -> int:
    from safeguard.scale.commands import default_workers

    return default_workers()
