"""`safeguard keys`: field-encryption keys. `generate` prints a new key; `rotate` re-encrypts every encrypted
value with the newest key (the first in SAFEGUARD_FIELD_KEYS), after which older keys can be removed."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from django.db import connection, transaction


def rotate_all() -> dict[str, int]:
    """Re-encrypt every stored value with the newest key. All or nothing: a value no key opens stops it."""
    from safeguard.audit.log import write_audit
    from safeguard.victims import crypto
    from safeguard.victims.fields import encrypted_fields

    counts: dict[str, int] = {}
    with transaction.atomic():
        for model, name in encrypted_fields():
            table = connection.ops.quote_name(model._meta.db_table)
            column = connection.ops.quote_name(model._meta.get_field(name).column or name)  # type: ignore[union-attr]
            pk = connection.ops.quote_name(model._meta.pk.column or "id")  # type: ignore[union-attr]
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
                rows = cursor.fetchall()
                for key, stored in rows:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                                   [crypto.rotate(stored), key])
            counts[f"{model._meta.label}.{name}"] = len(rows)
        write_audit("keys.rotated", detail={"count": sum(counts.values()), "tables": sorted(counts)})
    return counts


def cmd_generate(args: argparse.Namespace) -> int:
    from safeguard.victims.crypto import generate_key

    print(generate_key())
    return 0


def cmd_rotate(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    _setup_django()
    from django.core.exceptions import ImproperlyConfigured

    from safeguard.victims.crypto import DecryptionError

    try:
        counts = rotate_all()
    except (DecryptionError, ImproperlyConfigured) as exc:
        print(f"safeguard: keys rotate: {exc}. Nothing was changed.", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"rotated": counts, "total": sum(counts.values())}))
    else:
        print(f"Re-encrypted {sum(counts.values())} value(s) with the newest key. Older keys may now be removed "
              "from SAFEGUARD_FIELD_KEYS.")
    return 0


def add_parser(sub: Any) -> None:
    p = sub.add_parser("keys", help="field-encryption keys for victims' contact details")
    keys_sub = p.add_subparsers(dest="keys_command", required=True)
    g = keys_sub.add_parser("generate", help="print a new key (put it first in SAFEGUARD_FIELD_KEYS)")
    g.set_defaults(fn=cmd_generate)
    r = keys_sub.add_parser("rotate", help="re-encrypt every value with the newest key (the first configured)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(fn=cmd_rotate)
