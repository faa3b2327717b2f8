"""`safeguard audit verify`: walk the audit chain and say where it was tampered with.

Exit status 0 when the chain, the case event log and the guards are intact, 1 when anything was
tampered with (the first problem is named: entry id, seq and what is wrong), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_parser(sub: Any) -> None:
    p = sub.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    v = audit_sub.add_parser("verify", help="walk the audit hash chain and report the first broken entry")
    v.add_argument("--json", action="store_true", help="print the report as JSON")
    v.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                   help="a (seq, hash) from an earlier verify or a backup header that must still be in the chain "
                        "(finds entries removed from the end); may be repeated")
    v.add_argument("--no-events", action="store_true", help="skip checking the case event log against the chain")
    v.set_defaults(fn=cmd_audit_verify)
    a = audit_sub.add_parser("anchor", help="verify the chain against the anchors kept off the database "
                                            "(SAFEGUARD_AUDIT_ANCHOR_DIR) and, if intact, write a new one")
    a.add_argument("--dir", help="the anchor directory (default: SAFEGUARD_AUDIT_ANCHOR_DIR)")
    a.add_argument("--check-only", action="store_true", help="check against earlier anchors; write none")
    a.add_argument("--json", action="store_true", help="print the result as JSON")
    a.set_defaults(fn=cmd_audit_anchor)


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    _setup_django()
    from safeguard.audit.anchors import AnchorError, anchor_dir, check_and_anchor

    try:
        run = check_and_anchor(anchor_dir(args.dir), write=not args.check_only)
    except AnchorError as exc:
        print(f"safeguard: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"safeguard: the anchor could not be written: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(run.as_dict(), indent=2))
    else:
        for problem in run.problems:
            print(f"ANCHOR PROBLEM: {problem}")
        print(describe(run.report))
        print(f"Checked against {len(run.earlier)} earlier anchor(s)"
              + (f"; wrote {run.written.name}." if run.written else "; no new anchor written."))
    return 0 if run.intact else 1


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from safeguard.audit.verify import parse_anchor

    try:
        anchors = [parse_anchor(text) for text in args.anchor]
    except ValueError as exc:
        print(f"safeguard: {exc}", file=sys.stderr)
        return 2
    from safeguard.cli import _setup_django

    _setup_django()
    from safeguard.audit.verify import verify

    report = verify(anchors=anchors, events=not args.no_events)
    if args.json:
        print(json.dumps(report.as_dict(), indent=2))
    else:
        print(describe(report))
    return 0 if report.intact else 1


def describe(report: Any) -> str:
    head = f"head seq {report.head_seq} hash {report.head_hash}"
    if report.intact:
        return (f"Audit chain intact: {report.entries} entries, {head}; {report.events_checked} case events match "
                "their audit entries; append-only guards in place.\n"
                f"Keep this anchor to check later that nothing was removed from the end: "
                f"--anchor {report.head_seq}:{report.head_hash}")
    first = report.first
    lines = [f"AUDIT LOG TAMPERED: {report.problem_count} problem(s) found ({report.entries} entries, {head}).",
             f"First: {first.label}: {first.message}"]
    for problem in report.problems[1:20]:
        lines.append(f"  then {problem.label}: {problem.message}")
    if report.problem_count > 20:
        lines.append(f"  … and {report.problem_count - 20} more (see --json)")
    return "\n".join(lines)
