"""`safeguard synth` and `safeguard demo`. Django is set up inside each command (the demo picks its database
first), so nothing here imports models at module level."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from safeguard.demo.synth import LoadSummary
    from safeguard.demo.users import SignIn

EXIT_BAD_INPUT = 2
DEMO_SEED = 2024
DEMO_DATABASE = "demo.sqlite3"


def _as_of(value: str | None) -> date:
    from django.utils import timezone

    return date.fromisoformat(value) if value else timezone.localdate()


def _check_args(args: argparse.Namespace) -> str | None:
    if args.cases < 1:
        return "--cases must be at least 1"
    if getattr(args, "as_of", None):
        try:
            date.fromisoformat(args.as_of)
        except ValueError:
            return f"--as-of: expected a date (YYYY-MM-DD), got {args.as_of!r}"
    return None


def _build(cases: int, seed: int, as_of: date, quiet: bool) -> tuple[LoadSummary, str, float]:
    from safeguard.cli import Progress
    from safeguard.demo.synth import generate, load

    org, generated = generate(cases, seed, as_of)
    progress = Progress("Building synthetic cases", cases, quiet)
    summary = load(org, generated, as_of, on_case=progress.step)
    return summary, org.lead, progress.finish()


def _summary_line(summary: LoadSummary, seconds: float) -> str:
    concern = ", ".join(f"{level} {count}" for level, count in summary.concern.most_common())
    return (f"Built {len(summary.cases)} case(s), {summary.events} event(s) in {seconds:.1f}s; "
            f"{len(summary.errors)} error(s). Concern: {concern or 'none'}. "
            f"Open obligations: {sum(summary.open_obligations.values())} of "
            f"{len(summary.open_obligations)} kinds ({summary.overdue} overdue).")


def cmd_synth(args: argparse.Namespace) -> int:
    from safeguard.cli import _fail, _migrate_quietly, _setup_django

    problem = _check_args(args)
    if problem:
        return _fail(problem)
    if getattr(args, "database", None):  # a national-shaped dataset, bulk loaded (safeguard.scale)
        from safeguard.scale.commands import cmd_bulk_synth

        return cmd_bulk_synth(args)
    _setup_django()
    _migrate_quietly()
    as_of = _as_of(args.as_of)
    summary, _, seconds = _build(args.cases, args.seed, as_of, args.json)
    if args.json:
        print(json.dumps({**summary.as_dict(), "seed": args.seed, "as_of": as_of.isoformat(),
                          "seconds": round(seconds, 3)}))
    else:
        print(_summary_line(summary, seconds))
        for error in summary.errors[:20]:
            print(f"  {error}", file=sys.stderr)
    return EXIT_BAD_INPUT if summary.errors else 0


# -- the demo ---------------------------------------------------------------------------------------
def demo_database() -> Path:
    """The demo's own SQLite file in the data folder (as settings.DATA_DIR, which cannot be imported before
    the database is chosen)."""
    data_dir = Path(os.environ.get("SAFEGUARD_DATA_DIR", Path.cwd() / "var")).resolve()
    return data_dir / DEMO_DATABASE


def _remove_database(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _refresh(as_of: date) -> int:
    """Re-evaluate cases last evaluated before today: time has passed, so more may be overdue."""
    from safeguard.cases.models import Case
    from safeguard.cli import Progress
    from safeguard.oversight.service import evaluate_case

    stale = Case.objects.filter(archived_at=None, evaluated_on__lt=as_of)
    progress = Progress("Re-evaluating cases", stale.count(), False)
    count = 0
    for case in stale.iterator():
        evaluate_case(case, as_of=as_of)
        progress.step()
        count += 1
    progress.finish()
    return count


def print_sign_ins(sign_ins: list[SignIn], password: str, generated: bool, url: str) -> None:
    width = max(len(s.username) for s in sign_ins)
    label_width = max(len(s.label) for s in sign_ins)
    rule = "=" * 78
    print(rule)
    print(f"Safeguard demo sign-ins: {url}sign-in/")
    print(f"Password (all users): {password}" if generated else
          "Password (all users): the value of SAFEGUARD_DEMO_PASSWORD")
    print()
    for s in sign_ins:
        print(f"  {s.username:<{width}}  {s.label:<{label_width}}  {s.sees}")
    print()
    print("Synthetic data only: no real people. " + (
        "A new password is made at each start unless SAFEGUARD_DEMO_PASSWORD is set." if generated else ""))
    print(rule, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from safeguard.cli import _fail, _migrate_quietly, _setup_django

    problem = _check_args(args)
    if problem:
        return _fail(problem)
    database = demo_database()
    database.parent.mkdir(parents=True, exist_ok=True)
    if args.reset:
        _remove_database(database)
    # The demo always uses its own database, whatever DATABASE_URL says; it holds synthetic people only, so the
    # published development field-encryption key is allowed there (safeguard.victims.crypto).
    os.environ.setdefault("SAFEGUARD_DEV_FIELD_KEY", "1")
    # Synthetic data on a laptop: sign in with a password only (production has two-factor, docs/security.md).
    os.environ.setdefault("SAFEGUARD_TWO_FACTOR", "0")
    _setup_django(f"sqlite:///{database}")
    _migrate_quietly()
    from safeguard.cases.models import Case
    from safeguard.demo.users import create_demo_users, demo_password

    today = _as_of(None)
    lead: str | None = None
    if not Case.objects.exists():
        print(f"Building a synthetic delivery unit in {database}: {args.cases} cases, seed {args.seed} ...",
              flush=True)
        summary, lead, seconds = _build(args.cases, args.seed, today, False)
        print(_summary_line(summary, seconds), flush=True)
    else:
        refreshed = _refresh(today)
        print(f"Using the demo database {database} ({Case.objects.count()} cases; {refreshed} re-evaluated as of "
              f"{today.isoformat()}). Rebuild it with --reset.", flush=True)
    password, generated = demo_password()
    url = f"http://127.0.0.1:{args.port}/"
    print_sign_ins(create_demo_users(password, lead), password, generated, url)
    if args.no_serve:
        return 0
    from django.conf import settings
    from django.core.management import call_command

    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
    print(f"Serving {url} (press Ctrl-C to stop)", flush=True)
    call_command("runserver", f"127.0.0.1:{args.port}", use_reloader=False)
    return 0

