"""The `safeguard` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from safeguard.api.commands import register as add_api_parsers
from safeguard.audit.commands import add_parser as add_audit_parser
from safeguard.backup import add_parsers as add_backup_parsers
from safeguard.demo.commands import DEMO_SEED, cmd_demo, cmd_synth
from safeguard.insights.commands import add_metrics_parser
from safeguard.limits import Refused
from safeguard.retention.commands import add_parsers as add_retention_parsers
from safeguard.scale.commands import add_parsers as add_scale_parsers
from safeguard.signals.command import cmd_signals
from safeguard.victims.keys import add_parser as add_keys_parser

EXIT_BAD_INPUT = 2


def _setup_django(database_url: str | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safeguard.settings")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def _migrate_quietly() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class Progress:
    """Progress on a terminal, silence otherwise (and always with --json)."""

    def __init__(self, label: str, total: int, quiet: bool):
        self.label, self.total = label, total
        self.enabled = not quiet and sys.stderr.isatty()
        self.done = 0
        self.started = time.monotonic()

    def step(self, n: int = 1) -> None:
        self.done += n
        if self.enabled:
            sys.stderr.write(f"\r{self.label}: {self.done}/{self.total}")
            sys.stderr.flush()

    def finish(self) -> float:
        if self.enabled:
            sys.stderr.write("\n")
        return time.monotonic() - self.started


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"safeguard: {message}", file=sys.stderr)
    return code


# -- commands ---------------------------------------------------------------------------------------
def cmd_import(args: argparse.Namespace) -> int:
    from safeguard.timeline.validate import TimelineError, load_file

    _setup_django()  # for the service's today, which no event may be dated after
    from safeguard.oversight.service import today

    day = today()
    try:
        # Validate everything before writing anything.
        timelines = [load_file(path, today=day) for path in args.files]
    except TimelineError as exc:
        return _fail(str(exc))
    if args.jobs < 1:
        return _fail(f"--jobs must be 1 or more, not {args.jobs}")
    seen: dict[str, str] = {}
    for timeline in timelines:
        ref = timeline.case["ref"]
        if ref in seen:
            return _fail(f"{timeline.source}: case {ref} is also in {seen[ref]}; import each case once")
        seen[ref] = timeline.source
    progress = Progress("Importing", len(timelines), args.json)
    jobs = min(args.jobs, len(timelines))
    if jobs == 1:
        imported, errors, events = _import_share(timelines, args.replace, progress)
    else:
        # Processes, each with its own connection (closed here so none inherits it): a case is one transaction
        # either way, and the import holds the audit chain's lock only at the end of each (actions.bulk).
        import multiprocessing

        from django.db import connections

        connections.close_all()
        imported, errors, events = [], [], 0
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for share in pool.starmap(_import_in_worker, [(timelines[i::jobs], args.replace) for i in range(jobs)]):
                imported += share[0]
                errors += share[1]
                events += share[2]
                progress.step(len(share[0]) + len(share[1]))
    seconds = progress.finish()
    summary = {"imported": imported, "events": events, "errors": errors, "seconds": round(seconds, 3)}
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"Imported {len(imported)} case(s), {events} event(s) in {seconds:.1f}s; {len(errors)} error(s).")
        for error in errors:
            print(f"  {error}", file=sys.stderr)
    return EXIT_BAD_INPUT if errors else 0


def _import_share(timelines: list[Any], replace: bool, progress: Progress | None = None
                  ) -> tuple[list[str], list[str], int]:
    """Import `timelines` one case per transaction: the refs imported, the refusals, the events recorded."""
    from safeguard.actions.cases import KnownRecords
    from safeguard.timeline.importer import ImportRefused, import_timeline

    imported, errors, events = [], [], 0
    known = KnownRecords()  # the units and staff the cases name, read once a run
    for timeline in timelines:
        try:
            case = import_timeline(timeline, replace=replace, known=known)
            imported.append(case.ref)
            events += len(timeline.events)
        except ImportRefused as exc:
            errors.append(str(exc))
        except Refused as exc:  # a value a model refused to store (the validator should have stopped it first)
            errors.append(f"{timeline.source}: {exc}")
        if progress is not None:
            progress.step()
    return imported, errors, events


def _import_in_worker(timelines: list[Any], replace: bool) -> tuple[list[str], list[str], int]:
    """_import_share in a worker process of `--jobs`, which closes its connection when its share is done."""
    from django.db import connections

    try:
        return _import_share(timelines, replace)
    finally:
        connections.close_all()


def cmd_export(args: argparse.Namespace) -> int:
    _setup_django()
    from safeguard.cases.models import Case
    from safeguard.timeline.exporter import export_case

    case = Case.objects.filter(ref=args.case_ref, archived_at=None).first()
    if case is None:
        return _fail(f"no case with ref {args.case_ref!r}")
    text = json.dumps(export_case(case), indent=2)
    if args.output:
        Path(args.output).write_text(text + "\n")
    else:
        print(text)
    return 0


def cmd_replay(args: argparse.Namespace) -> int:
    from safeguard.policy.policyfile import PolicyError, load_policy
    from safeguard.timeline.validate import TimelineError, load_file

    try:
        timelines = [load_file(path) for path in args.files]
        policy = load_policy(args.policy) if args.policy else None
    except (TimelineError, PolicyError) as exc:
        return _fail(str(exc))
    with tempfile.TemporaryDirectory(prefix="safeguard-replay-") as scratch:
        # A throwaway database: replay never touches the real one.
        _setup_django(f"sqlite:///{Path(scratch) / 'replay.sqlite3'}")
        _migrate_quietly()
        from safeguard.timeline.replay import replay_timeline

        for timeline in timelines:
            result = replay_timeline(timeline, policy)
            if args.json:
                print(json.dumps(result, indent=2))
            else:
                _print_replay(result)
    return 0


def _print_replay(result: dict[str, Any]) -> None:
    print(f"Case {result['case']}")
    for checkpoint in result["checkpoints"]:
        print(f"  {checkpoint['on']}  concern: {checkpoint['concern']}")
        for o in checkpoint["obligations"]:
            print(f"    {o['status']:<8} {o['kind']:<26} due {o['due']}  ({o['rule']})")
            print(f"             {o['reason']}")


def cmd_policy_show(args: argparse.Namespace) -> int:
    from safeguard.policy.catalogue import policy_document
    from safeguard.policy.policyfile import PolicyError, load_policy

    try:
        policy = load_policy(args.policy)
    except PolicyError as exc:
        return _fail(str(exc))
    document = policy_document(policy)
    if args.json:
        print(json.dumps(document, indent=2, default=str))
        return 0
    print(f"{document['name']} (version {document['version']})")
    for item in document["rules"]:
        print(f"\n{item['number']:>2}. {item['id']}  [{', '.join(item['kinds'])}]")
        print(f"    trigger:   {item['trigger']}")
        print(f"    deadline:  {item['deadline']}")
        print(f"    discharge: {item['discharge']}")
        print(f"    settings:  {', '.join(f'{k}={v}' for k, v in item['settings'].items()) or 'none'}")
        print(f"    source:    {item['source']}")
    return 0


def cmd_policy_docs(args: argparse.Namespace) -> int:
    from safeguard.policy.catalogue import policy_markdown
    from safeguard.policy.policyfile import load_policy

    text = policy_markdown(load_policy())
    if args.output:
        Path(args.output).write_text(text)
    else:
        print(text, end="")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    from datetime import date

    _setup_django()
    from safeguard.oversight.sweep import sweep

    progress = Progress("Sweeping", 0, args.json)

    def report(done: int, total: int) -> None:
        progress.total = total
        progress.step(done - progress.done)

    result = sweep(date.fromisoformat(args.as_of) if args.as_of else None, full=args.full, progress=report)
    progress.finish()
    if args.json:
        print(json.dumps(result.as_dict()))
    else:
        print(f"Swept {result.evaluated} case(s) as of {result.as_of:%d %B %Y} in {result.seconds:.1f}s: "
              f"{result.escalated} obligation(s) escalated, {result.emails} email(s) sent, "
              f"{len(result.errors)} error(s).")
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
    return 1 if result.errors else 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["safeguard manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="safeguard", description="Safeguard: domestic-abuse case supervision.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("import", help="import timeline files (all are validated before anything is written)")
    p.add_argument("files", nargs="+")
    p.add_argument("--replace", action="store_true", help="replace a case that already exists (the old is archived)")
    p.add_argument("--json", action="store_true", help="print a JSON summary, no progress")
    p.add_argument("--jobs", type=int, default=1,
                   help="import in this many processes at once (default 1; about one per core helps)")
    p.set_defaults(fn=cmd_import)

    p = sub.add_parser("export", help="export a case as a timeline")
    p.add_argument("case_ref")
    p.add_argument("-o", "--output", help="write to this file instead of standard output")
    p.set_defaults(fn=cmd_export)

    p = sub.add_parser("replay", help="replay timelines on a throwaway database and report obligations")
    p.add_argument("files", nargs="+")
    p.add_argument("--json", action="store_true", help="print one JSON document per file")
    p.add_argument("--policy", help="a policy file (TOML) to replay under instead of the default")
    p.set_defaults(fn=cmd_replay)

    p = sub.add_parser("policy", help="the safeguarding policy")
    policy_sub = p.add_subparsers(dest="policy_command", required=True)
    show = policy_sub.add_parser("show", help="print every rule with its settings and source")
    show.add_argument("--policy", help="a regional policy file layered over the default")
    show.add_argument("--json", action="store_true")
    show.set_defaults(fn=cmd_policy_show)
    docs = policy_sub.add_parser("docs", help="write docs/policy.md from the rule catalogue")
    docs.add_argument("-o", "--output", help="the file to write (default: standard output)")
    docs.set_defaults(fn=cmd_policy_docs)

    p = sub.add_parser("sweep", help="re-evaluate cases where time has made something due or overdue, and escalate")
    p.add_argument("--as-of", help="the day to sweep as of (default today)")
    p.add_argument("--full", action="store_true", help="every case, not only those with something changing")
    p.add_argument("--json", action="store_true", help="print a JSON summary, no progress")
    p.set_defaults(fn=cmd_sweep)

    p = sub.add_parser("synth", help="build a deterministic synthetic delivery unit (same seed, same data)")
    p.add_argument("--cases", type=int, default=300, help="how many cases (default 300)")
    p.add_argument("--seed", type=int, default=DEMO_SEED, help=f"random seed (default {DEMO_SEED})")
    p.add_argument("--as-of", help="the date the data leads up to and is evaluated at, YYYY-MM-DD (default today)")
    p.add_argument("--json", action="store_true", help="print a JSON summary, no progress")
    p.add_argument("--database", help="bulk load a national-shaped dataset (COPY on PostgreSQL): 'postgres' "
                   "(DATABASE_URL, else the local safeguard_bench), 'sqlite' (DATABASE_URL or the default) or a URL")
    p.add_argument("--batch", type=int, default=2000, help="cases per bulk batch (with --database)")
    p.set_defaults(fn=cmd_synth)

    p = sub.add_parser("demo", help="build the demo database (when new), print the sign-ins and serve the app")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--cases", type=int, default=300, help="cases in a new demo database (default 300)")
    p.add_argument("--seed", type=int, default=DEMO_SEED, help=f"random seed (default {DEMO_SEED})")
    p.add_argument("--reset", action="store_true", help="delete the demo database and build it again")
    p.add_argument("--no-serve", action="store_true", help="build and print the sign-ins, but do not serve")
    p.set_defaults(fn=cmd_demo)

    add_audit_parser(sub)
    add_backup_parsers(sub)
    add_api_parsers(sub)
    add_metrics_parser(sub)
    add_keys_parser(sub)
    add_scale_parsers(sub)
    add_retention_parsers(sub)

    p = sub.add_parser("signals", help="find risk signals in notes (JSON Lines of {id, text}); no database needed")
    p.add_argument("file", help='a JSON Lines file of {"id", "text"} ("-" for standard input)')
    p.add_argument("--json", action="store_true", help='print JSON Lines of {"id", "signals": [...]}')
    p.set_defaults(fn=cmd_signals)

    p = sub.add_parser("manage", help="run a Django management command", add_help=False)
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(fn=cmd_manage)

    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. No traceback reaches the user: a value refused on its way to the database exits 2 with
    what and where; anything unexpected exits 1 naming only the kind of error (its message could hold case
    data). SAFEGUARD_DEBUG=1 lets the traceback through, for a developer."""
    args = build_parser().parse_args(argv)
    try:
        result: int = args.fn(args)
    except Refused as exc:
        return _fail(str(exc))
    except Exception as exc:
        if os.environ.get("SAFEGUARD_DEBUG") == "1":
            raise
        return _fail(f"{args.command}: stopped by an unexpected error ({type(exc).__name__}); what it had not "
                     "committed was not written. SAFEGUARD_DEBUG=1 shows the details.", code=1)
    return result


if __name__ == "__main__":
    sys.exit(main())
