"""`safeguard metrics`: every measure for a scope and period, as a table or JSON; `--definitions` writes
docs/measures.md. Django is set up inside the command, so importing this module imports no models."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

EXIT_BAD_INPUT = 2


def add_metrics_parser(sub: Any) -> None:
    """Register `safeguard metrics` on the CLI's subparsers."""
    p = sub.add_parser("metrics", help="the inspection measures for a region, unit, team or practitioner")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--region", help="a region, by name")
    where.add_argument("--pdu", help="a probation delivery unit, by name")
    where.add_argument("--team", help="a team, by name (or 'Unit/Team')")
    where.add_argument("--practitioner", help="a practitioner, by staff code")
    p.add_argument("--from", dest="start", help="the first day of the period, YYYY-MM-DD")
    p.add_argument("--to", dest="end", help="the last day of the period, YYYY-MM-DD")
    p.add_argument("--as-of", help="the day the record is read on (default today), YYYY-MM-DD")
    p.add_argument("--json", action="store_true",
                   help='print {id: {"numerator": n, "denominator": d, "value": v}}')
    p.add_argument("--definitions", action="store_true",
                   help="print the definitions (docs/measures.md) instead of the numbers")
    p.add_argument("-o", "--output", help="with --definitions: the file to write (default: standard output)")
    p.set_defaults(fn=cmd_metrics)


def _date(value: str | None, option: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{option}: expected a date (YYYY-MM-DD), got {value!r}") from None


def _fail(message: str) -> int:
    print(f"safeguard: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_metrics(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    _setup_django()
    if args.definitions:
        from safeguard.insights.docs import measures_markdown

        text = measures_markdown()
        if args.output:
            Path(args.output).write_text(text)
        else:
            print(text, end="")
        return 0

    from safeguard.insights.measures import MEASURES, compute_all, today
    from safeguard.insights.scope import Period, ScopeError, resolve_scope

    try:
        period = Period(_date(args.start, "--from"), _date(args.end, "--to"))
        as_of = _date(args.as_of, "--as-of") or today()
        scope = resolve_scope(region=args.region, pdu=args.pdu, team=args.team, practitioner=args.practitioner)
    except (ValueError, ScopeError) as exc:
        return _fail(str(exc))
    results = compute_all(scope, period, as_of)
    if args.json:
        print(json.dumps({key: result.as_dict() for key, result in results.items()}, indent=2))
        return 0
    span = f"{period.start or 'the beginning'} to {period.end or as_of}"
    print(f"{scope.label}: {span}, as of {as_of}")
    print(f"{'measure':<48} {'numerator':>10} {'denominator':>12} {'value':>8}  national reference")
    group = None
    for m in MEASURES:
        if m.group != group:
            group = m.group
            print(f"\n{group}")
        result = results[m.id]
        value = result.value
        if value is None:
            shown = "-"
        elif m.value_is == "average":
            shown = f"{value:.1f}"
        else:
            shown = f"{value:.0%}"
        reference = f"{m.reference.value:.0%} ({m.reference.year})" if m.reference else ""
        print(f"  {m.title:<46} {result.numerator:>10} {result.denominator:>12} {shown:>8}  {reference}")
    return 0
