"""`safeguard retention` (list or anonymise cases past retention; set and lift legal holds) and
`safeguard subject-access` (the export for a person on probation). Exit 0 done, 1 some cases refused,
2 bad input (nothing written)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any


def add_parsers(sub: Any) -> None:
    p = sub.add_parser("retention", help="list (--dry-run) or anonymise (--apply) closed cases past retention, "
                                         "never those on legal hold; or set/lift a legal hold")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="list what is due and what is held; change nothing")
    mode.add_argument("--apply", action="store_true", help="anonymise every case due (one transaction per case)")
    mode.add_argument("--hold", metavar="CASE_REF", help="set a legal hold on a case (needs --reason and --by)")
    mode.add_argument("--lift", metavar="HOLD_ID", type=int, help="lift a legal hold (needs --reason and --by)")
    p.add_argument("--reason", default="", help="why the hold is set or lifted")
    p.add_argument("--by", default="", help="the username of the head of unit setting or lifting the hold")
    p.add_argument("--today", type=date.fromisoformat, help="the day to count from (YYYY-MM-DD; default today)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(fn=cmd_retention)

    p = sub.add_parser("subject-access", help="export the data held about a person on probation (third "
                                              "parties' data removed) as a zip with a manifest")
    p.add_argument("case_ref")
    p.add_argument("--out", required=True, help="the zip file to write")
    p.set_defaults(fn=cmd_subject_access)


def _fail(message: str, code: int = 2) -> int:
    print(f"safeguard: {message}", file=sys.stderr)
    return code


def _hold_command(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User

    from safeguard.cases.models import Case
    from safeguard.retention import service
    from safeguard.retention.models import LegalHold

    user = User.objects.filter(username=args.by, is_active=True).first()
    if user is None:
        return _fail(f"--by: no active user {args.by!r}")
    try:
        if args.hold:
            case = Case.objects.filter(ref=args.hold, archived_at=None).first()
            if case is None:
                return _fail(f"no such case: {args.hold}")
            hold = service.set_hold(case, reason=args.reason, user=user)
            print(f"Legal hold {hold.pk} set on {case.ref}.")
        else:
            found = LegalHold.objects.filter(pk=args.lift).first()
            if found is None:
                return _fail(f"no such legal hold: {args.lift}")
            hold = service.lift_hold(found, reason=args.reason, user=user)
            print(f"Legal hold {hold.pk} on {hold.case.ref} lifted.")
    except service.RetentionError as exc:
        return _fail(str(exc))
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    _setup_django()
    if args.hold or args.lift:
        return _hold_command(args)
    from safeguard.oversight.service import today
    from safeguard.retention import service

    result = service.run(args.today or today(), apply=args.apply)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        verb = "Anonymised" if args.apply else "Due (dry run, nothing changed)"
        print(f"Retention: {result['years']} years after supervision ended, counted from {result['today']}.")
        print(f"{verb}: {len(result['anonymised'] if args.apply else result['due'])} case(s).")
        for item in result["due"]:
            print(f"  {item['ref']} (supervision ended {item['ended_on']})")
        print(f"Kept on legal hold: {len(result['on_hold'])} case(s){': ' if result['on_hold'] else '.'}"
              f"{', '.join(result['on_hold'])}")
        for refused in result["refused"]:
            print(f"  refused: {refused}", file=sys.stderr)
    return 1 if result["refused"] else 0


def cmd_subject_access(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    _setup_django()
    from safeguard.cases.models import Case
    from safeguard.retention.subject_access import export

    case = Case.objects.filter(ref=args.case_ref, archived_at=None).first()
    if case is None:
        return _fail(f"no such case: {args.case_ref}")
    try:
        manifest = export(case, args.out)
    except OSError as exc:
        return _fail(f"the export could not be written: {exc}")
    rows = sum(f["rows"] for f in manifest["files"].values())
    print(f"Wrote {args.out}: {rows} record(s) about {case.ref} in {len(manifest['files'])} file(s), with a manifest.")
    return 0
