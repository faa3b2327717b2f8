"""`safeguard synth --database …` (bulk), `safeguard serve` and `safeguard bench`."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

BENCH_URL = "postgres://postgres@127.0.0.1:5432/safeguard_bench"


def database_url(choice: str) -> str | None:
    """--database: 'postgres' is DATABASE_URL when it names PostgreSQL, else the local safeguard_bench;
    'sqlite' is DATABASE_URL or the default SQLite file (None); anything else is a URL."""
    env = os.environ.get("DATABASE_URL", "")
    if choice == "postgres":
        return env if env.startswith(("postgres://", "postgresql://")) else BENCH_URL
    if choice == "sqlite":
        return env or None
    return choice


def ensure_database(url: str | None) -> None:
    """Create the PostgreSQL database named by `url` if the server does not have it yet."""
    if not url or not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    server, name = url.rsplit("/", 1)
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=5) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(f'CREATE DATABASE "{name}"')


def cmd_bulk_synth(args: argparse.Namespace) -> int:
    from safeguard.cli import Progress, _fail, _migrate_quietly, _setup_django
    from safeguard.demo.commands import _as_of

    url = database_url(args.database)
    try:
        ensure_database(url)
    except Exception as exc:  # no server: say so plainly
        return _fail(f"cannot reach the database: {type(exc).__name__}: {exc}")
    _setup_django(url)
    _migrate_quietly()
    from safeguard.demo.synth import generate_national
    from safeguard.scale.bulk import bulk_load

    as_of = _as_of(args.as_of)
    org, cases = generate_national(args.cases, args.seed, as_of)
    progress = Progress("Bulk loading synthetic cases", args.cases, args.json)
    summary = bulk_load(org, cases, as_of, batch=args.batch, on_batch=progress.step)
    seconds = progress.finish()
    result: dict[str, Any] = {**summary.as_dict(), "seed": args.seed, "as_of": as_of.isoformat(),
                              "seconds": round(seconds, 3), "events_per_second": round(summary.events / seconds),
                              "regions": len(set(dict(org.unit_regions).values())), "units": len(org.units),
                              "staff": len(org.staff)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"Bulk loaded {len(summary.cases)} case(s), {summary.events} event(s) in {seconds:.1f}s "
              f"({result['events_per_second']} events/s): {result['regions']} region(s), {result['units']} "
              f"delivery unit(s), {result['staff']} staff; {len(summary.errors)} error(s).")
        for error in summary.errors[:20]:
            print(f"  {error}", file=sys.stderr)
    return 2 if summary.errors else 0


# -- serve ---------------------------------------------------------------------------------------------
def default_workers() -> int:
    """Gunicorn's rule of thumb, (2 × cores) + 1, capped: requests wait on the database as much as the CPU."""
    return min(2 * (os.cpu_count() or 1) + 1, 9)


def gunicorn_argv(args: argparse.Namespace) -> list[str]:
    return [
        "gunicorn", "safeguard.wsgi:application",
        "--bind", args.bind,
        "--workers", str(args.workers),
        "--worker-class", "gthread", "--threads", str(args.threads),
        "--timeout", "30", "--graceful-timeout", "30", "--keep-alive", "5",
        # Recycle workers now and then (a leak cannot grow without bound); jitter so they do not all restart.
        "--max-requests", "5000", "--max-requests-jitter", "500",
        "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
        # Requests are logged by safeguard.scale.logs (JSON, no query strings); gunicorn's own errors too.
        "--error-logfile", "-", "--log-level", "warning",
        *(["--preload"] if args.preload else []),
    ]


def cmd_serve(args: argparse.Namespace) -> int:
    import tempfile

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    # Metrics from every worker process are aggregated through files here (safeguard.ops.metrics).
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="safeguard-metrics-")
    if args.migrate:
        from safeguard.cli import _migrate_quietly, _setup_django

        _setup_django()
        _migrate_quietly()
    from gunicorn.app.wsgiapp import run

    sys.argv = gunicorn_argv(args)
    run()
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from safeguard.scale.bench import run_bench

    started = time.monotonic()
    code = run_bench(args)
    if not args.json:
        print(f"Benchmark finished in {time.monotonic() - started:.0f}s.", file=sys.stderr)
    return code


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("serve", help="run the web app under gunicorn (the production server)")
    p.add_argument("--bind", default=os.environ.get("SAFEGUARD_BIND", "127.0.0.1:8000"))
    p.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", default_workers())),
                   help="worker processes (default WEB_CONCURRENCY, else 2 × cores + 1, at most 9)")
    p.add_argument("--threads", type=int, default=int(os.environ.get("SAFEGUARD_THREADS", "2")),
                   help="threads per worker (default 2)")
    p.add_argument("--preload", action="store_true", help="import the app before forking the workers")
    p.add_argument("--migrate", action="store_true", help="apply migrations first")
    p.set_defaults(fn=cmd_serve)

    p = sub.add_parser("bench", help="benchmark sweep, re-evaluation, pages, measures and import on PostgreSQL")
    p.add_argument("--scale", choices=("tiny", "small", "national"), default="small",
                   help="tiny (tests only), small (5,000 cases) or national (250,000)")
    p.add_argument("--database", default="postgres", help="'postgres' (default), 'sqlite' or a URL")
    p.add_argument("--json", action="store_true", help="print each figure as a JSON line, no progress")
    p.add_argument("--only", help="comma-separated figures to run (synth,sweep,daily_sweep,reevaluate,pages,"
                   "measures,import,import_jobs,scaleout)")
    p.add_argument("--reuse", action="store_true", help="reuse the dataset if the database already has it")
    p.add_argument("--users", type=int, default=50, help="concurrent users for the page figures (default 50)")
    p.add_argument("--seconds", type=int, default=60, help="how long each page load test runs (default 60)")
    p.add_argument("--workers", type=int, default=0, help="web worker processes for the page figures "
                   "(default as `safeguard serve`)")
    p.add_argument("--output", default="docs/benchmarks.md",
                   help="where to write the report (default docs/benchmarks.md; '-' for none)")
    p.set_defaults(fn=cmd_bench)
