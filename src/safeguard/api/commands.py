"""`safeguard token …`, `safeguard webhook …` and `safeguard deliver`: added to the CLI by register()."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from datetime import timedelta
from typing import Any

from safeguard.api.names import EVENT_TYPES, SCOPE_HELP


def _django() -> None:
    from safeguard.cli import _setup_django

    _setup_django()


def _fail(message: str) -> int:
    print(f"safeguard: {message}", file=sys.stderr)
    return 2


def _scopes(values: list[str]) -> list[str]:
    return sorted({s.strip() for value in values for s in value.split(",") if s.strip()})


def cmd_token_create(args: argparse.Namespace) -> int:
    _django()
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from safeguard.api.tokens import TokenError, create_token

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None:
        return _fail(f"no user {args.user!r}")
    expires = timezone.now() + timedelta(days=args.expires_days) if args.expires_days else None
    try:
        token, secret = create_token(user, _scopes(args.scope), name=args.name or "", expires_at=expires)
    except TokenError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps({"id": token.pk, "token": secret, "scopes": token.scopes, "user": args.user}))
    else:
        print(f"Token {token.pk} for {args.user} ({', '.join(token.scopes)}). Copy it now: it is not shown again.")
        print(secret)
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.models import ApiToken
    from safeguard.api.tokens import revoke_token

    token = ApiToken.objects.filter(pk=args.id).first()
    if token is None:
        return _fail(f"no token {args.id}")
    revoke_token(token)
    print(f"Token {token.pk} ({token.prefix}…) revoked.")
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.models import ApiToken

    rows = [{"id": t.pk, "user": t.user.get_username(), "name": t.name, "prefix": t.prefix, "scopes": t.scopes,
             "created_at": t.created_at.isoformat(), "last_used_at": _iso(t.last_used_at),
             "expires_at": _iso(t.expires_at), "revoked_at": _iso(t.revoked_at)}
            for t in ApiToken.objects.select_related("user").order_by("id")]
    if args.json:
        print(json.dumps(rows))
        return 0
    for r in rows:
        state = "revoked" if r["revoked_at"] else "active"
        print(f"{r['id']:>4}  {r['prefix']}…  {r['user']:<16} {','.join(r['scopes']):<32} {state:<8} "
              f"last used {r['last_used_at'] or 'never'}  {r['name']}")
    return 0


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def cmd_webhook_add(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.models import WebhookSubscription

    types = _scopes(args.event_type or [])
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        return _fail(f"unknown event type {unknown[0]!r} (known: {', '.join(EVENT_TYPES)})")
    from safeguard.api.urlguard import UnsafeURL, check_url

    try:
        check_url(args.url)
    except UnsafeURL as exc:
        return _fail(f"--url {args.url}: {exc}")
    secret = args.secret or secrets.token_urlsafe(32)
    sub = WebhookSubscription.objects.create(name=args.name or "", url=args.url, secret=secret, event_types=types)
    print(f"Subscription {sub.pk} to {sub.url} ({', '.join(types) or 'all event types'}). Signing secret:")
    print(secret)
    return 0


def cmd_webhook_list(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.models import WebhookSubscription

    for sub in WebhookSubscription.objects.order_by("id"):
        print(f"{sub.pk:>4}  {'active' if sub.active else 'off':<6} {sub.url}  {', '.join(sub.event_types) or 'all'}"
              f"  {sub.name}")
    return 0


def cmd_webhook_remove(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.models import WebhookSubscription

    changed = WebhookSubscription.objects.filter(pk=args.id).update(active=False)
    if not changed:
        return _fail(f"no subscription {args.id}")
    print(f"Subscription {args.id} switched off (its delivery log is kept).")
    return 0


def cmd_outbox_prune(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.outbox import prune

    try:
        removed = prune(args.days)
    except ValueError as exc:
        return _fail(f"--days: {exc}")
    if args.json:
        print(json.dumps({"pruned": removed}))
    else:
        print(f"Removed {removed} delivered outbox event(s) and their delivery logs.")
    return 0


def cmd_deliver(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.delivery import deliver

    run = deliver()
    if args.json:
        print(json.dumps(run.as_dict()))
    else:
        print(f"Dispatched {run.dispatched} delivery(ies); delivered {run.delivered}, retrying {run.retrying}, "
              f"failed {run.failed}.")
        for error in run.errors:
            print(f"  {error}", file=sys.stderr)
    return 1 if run.failed else 0


def cmd_import_extract(args: argparse.Namespace) -> int:
    _django()
    from safeguard.api.extract import ExtractError, import_extract

    try:
        report = import_extract(args.path, dry_run=args.dry_run, skip_bad_rows=args.skip_bad_rows)
    except ExtractError as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps(report.as_dict()))
    else:
        summary = report.as_dict()
        verb = "Would import" if report.dry_run else ("Imported" if report.written else "Imported nothing from")
        print(f"{verb} {summary['rows']} row(s): {summary['events']} event(s), "
              f"{len(report.created)} new case(s); {len(report.errors)} row(s) with errors.")
        for row in report.errors:
            print(f"  {row.sheet} row {row.row} ({row.case_ref or 'no case'}): {row.message}", file=sys.stderr)
        if report.errors and not report.dry_run and not report.written:
            print("Nothing was written: fix the rows above, or use --skip-bad-rows.", file=sys.stderr)
    return 2 if report.errors else 0


def register(sub: Any) -> None:
    """Add the API's commands to the `safeguard` parser's subcommands."""
    scopes = "; ".join(f"{name}: {text}" for name, text in SCOPE_HELP.items())
    p = sub.add_parser("token", help="API tokens for other systems (stored hashed, shown once)")
    token_sub = p.add_subparsers(dest="token_command", required=True)
    create = token_sub.add_parser("create", help="create a token and print it (once)")
    create.add_argument("--user", required=True, help="the user the token acts as")
    create.add_argument("--scope", action="append", required=True,
                        help=f"repeat or separate with commas. {scopes}")
    create.add_argument("--name", help="what the token is for")
    create.add_argument("--expires-days", type=int, help="expire after this many days (default: never)")
    create.add_argument("--json", action="store_true")
    create.set_defaults(fn=cmd_token_create)
    revoke = token_sub.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(fn=cmd_token_revoke)
    listing = token_sub.add_parser("list", help="list tokens (never their secrets)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(fn=cmd_token_list)

    p = sub.add_parser("webhook", help="webhook subscriptions for outbound domain events")
    hook_sub = p.add_subparsers(dest="webhook_command", required=True)
    add = hook_sub.add_parser("add", help="subscribe a URL")
    add.add_argument("--url", required=True)
    add.add_argument("--event-type", action="append", help=f"repeat or separate with commas (default: all): "
                     f"{', '.join(EVENT_TYPES)}")
    add.add_argument("--secret", help="the signing secret (default: a new random one, printed)")
    add.add_argument("--name")
    add.set_defaults(fn=cmd_webhook_add)
    hook_sub.add_parser("list", help="list subscriptions").set_defaults(fn=cmd_webhook_list)
    remove = hook_sub.add_parser("remove", help="switch a subscription off")
    remove.add_argument("id", type=int)
    remove.set_defaults(fn=cmd_webhook_remove)

    p = sub.add_parser("import-extract", help="import a spreadsheet extract from another case-management system "
                       "(cases, sentences, registers, contacts)")
    p.add_argument("path", help="an .xlsx workbook, or a folder of cases.csv, sentences.csv, registers.csv, "
                   "contacts.csv")
    p.add_argument("--dry-run", action="store_true", help="preview: check every row, write nothing")
    p.add_argument("--skip-bad-rows", action="store_true", help="import the good rows even if some are bad")
    p.add_argument("--json", action="store_true", help="print a JSON report")
    p.set_defaults(fn=cmd_import_extract)

    p = sub.add_parser("deliver", help="send pending domain events to webhook subscribers (with retries)")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(fn=cmd_deliver)

    p = sub.add_parser("outbox", help="the outbox of domain events")
    outbox_sub = p.add_subparsers(dest="outbox_command", required=True)
    prune = outbox_sub.add_parser("prune", help="remove delivered events older than N days (also run daily)")
    prune.add_argument("--days", type=int, help="keep this many days (default SAFEGUARD_OUTBOX_RETENTION_DAYS, 30)")
    prune.add_argument("--json", action="store_true")
    prune.set_defaults(fn=cmd_outbox_prune)

