"""`safeguard backup FILE` and `safeguard restore FILE`: a logical backup of every table, online and
consistent, on SQLite and PostgreSQL, verified on the way in.

The file is gzip-compressed JSON lines. The first line is the header:

    {"format": "safeguard-backup/1", "created_at": ..., "vendor": "postgresql", "django": ..., "safeguard": ...,
     "migrations": {app: [applied migration names]}, "tables": {db_table: {"model": ..., "rows": n}},
     "rows": total, "audit": {"entries": n, "head": {"seq": s, "hash": h}, "intact": true, "problem_count": 0},
     "content_sha256": ...}

and the rest (the content, which content_sha256 covers) is, for each table in name order, a line
{"table": db_table, "model": label, "columns": [...]} followed by one JSON array per row, in primary key
order. Values are as Django's built-in fields read them (times in UTC ISO 8601 with microseconds, JSON
columns as their JSON text), so a backup from SQLite restores into PostgreSQL and the other way round, and
the audit chain's hashes (vendor-independent) stay valid. Custom fields are written as stored: encrypted
victims' details stay encrypted in the backup (keep the field keys, separately, for as long as the
backups made with them).

Backup reads everything in one transaction: REPEATABLE READ, READ ONLY on PostgreSQL (the snapshot
pg_dump uses), one read transaction on SQLite. The application keeps running. Sessions are not backed
up: after a restore everyone signs in again.

Restore checks the file (format, checksum, row counts) before touching the database, migrates a fresh
database, refuses unless the database's migration state is the backup's, refuses a database that holds
data unless --force (which first writes a backup of what it replaces), then loads every row with INSERTs
only, in one transaction, checks foreign keys, row counts and the audit chain (same head as at backup
time, intact if it was intact), and only then commits.

Backups hold everything Safeguard knows about victims: see docs/security.md for where to keep them. With
SAFEGUARD_BACKUP_KEY (or SAFEGUARD_BACKUP_KEY_FILE) set, the file is encrypted (safeguard.backup_crypto:
Fernet frames, rotatable keys) and restore decrypts it before any of the checks above.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import sys
import tempfile
from base64 import b64encode
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any
from uuid import UUID

from safeguard import backup_crypto

FORMAT = "safeguard-backup/1"
# Not backed up: sessions (a restored system makes everyone sign in again; a session is a credential).
EXCLUDED_TABLES = frozenset({"django_session"})
# Filled by `migrate` itself in a fresh database; restore replaces their rows without calling it "data".
SEEDED_TABLES = frozenset({"django_content_type", "auth_permission", "django_q_schedule"})
BATCH = 500

EXIT_FAILED = 1
EXIT_REFUSED = 2


class BackupError(Exception):
    """The backup or restore was refused before anything was written."""


class RestoreFailed(Exception):
    """The restored data did not verify; the restore was rolled back and nothing was written."""


# -- which tables, and how values are written ---------------------------------------------------------------
def backed_up_models(using: str = "default") -> list[Any]:
    """Every concrete table the installed apps define that exists in the database, by table name."""
    from django.apps import apps
    from django.db import connections

    existing = set(connections[using].introspection.table_names())
    chosen: dict[str, Any] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.db_table in EXCLUDED_TABLES:
            continue
        if meta.db_table in existing:
            chosen.setdefault(meta.db_table, model)
    return [chosen[name] for name in sorted(chosen)]


def _columns(model: Any) -> list[Any]:
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def storage_field(field_: Any) -> Any:
    """The built-in Django field that says how a column is stored. A custom field (an encrypted text field,
    a pickled object field) is backed up as the value stored in the database, never as what its Python side
    makes of it: encrypted values stay encrypted in the backup and go back byte for byte."""
    from django.db import models

    if type(field_).__module__.startswith("django."):
        return field_
    for klass in type(field_).__mro__[1:]:
        if klass.__module__.startswith("django.db.models.fields") and klass is not models.Field:
            try:
                return klass()
            except TypeError:
                break
    return models.Field()


def _is_json(field_: Any) -> bool:
    from django.db.models import JSONField

    return isinstance(field_, JSONField)


def _encode(field_: Any, value: Any) -> Any:
    if value is None:
        return None
    if _is_json(field_):
        return json.dumps(value, cls=field_.encoder, separators=(",", ":"))  # key order as stored
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, timedelta):
        from django.utils.duration import duration_string

        return duration_string(value)
    if isinstance(value, bytes | memoryview | bytearray):
        return b64encode(bytes(value)).decode("ascii")
    return field_.value_to_string(SimpleNamespace(**{field_.attname: value}))


def _decode(field_: Any, value: Any, connection: Any) -> Any:
    if value is None:
        return None
    if _is_json(field_):
        return connection.ops.adapt_json_value(json.loads(value, cls=field_.decoder), field_.encoder)
    return field_.get_db_prep_save(field_.to_python(value), connection)


def applied_migrations(using: str = "default") -> dict[str, list[str]]:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("safeguard")
    except PackageNotFoundError:
        return "unknown"


# -- backup --------------------------------------------------------------------------------------------------
@dataclass
class BackupResult:
    path: Path
    header: dict[str, Any]
    encrypted: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"file": str(self.path), "encrypted": self.encrypted,
                **{k: self.header[k] for k in ("created_at", "vendor", "rows",
                                                                        "content_sha256", "audit")},
                "tables": {t: v["rows"] for t, v in self.header["tables"].items()}}


@contextlib.contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """One consistent read of the whole database while the application keeps writing."""
    from django.db import connections, transaction

    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("a backup must run in its own transaction, not inside another one")
    connection.ensure_connection()
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _private_file(path: Path) -> IO[bytes]:
    """A new file only its owner can read (backups hold victims' details)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def _write_content(out: IO[bytes], models: list[Any], using: str) -> tuple[str, dict[str, dict[str, Any]]]:
    digest = hashlib.sha256()
    tables: dict[str, dict[str, Any]] = {}

    def emit(obj: Any) -> None:
        line = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8") + b"\n"
        digest.update(line)
        out.write(line)

    from django.db.models import ExpressionWrapper, F

    for model in models:
        columns = _columns(model)
        stored = [storage_field(f) for f in columns]
        raw = {f"_stored_{n}": ExpressionWrapper(F(f.attname), output_field=s)
               for n, (f, s) in enumerate(zip(columns, stored, strict=True)) if s is not f}
        names = [f.attname if s is f else f"_stored_{n}" for n, (f, s) in enumerate(zip(columns, stored, strict=True))]
        emit({"table": model._meta.db_table, "model": model._meta.label_lower, "columns": [f.column for f in columns]})
        count = 0
        rows = (model._base_manager.using(using).annotate(**raw).order_by(model._meta.pk.attname)
                .values_list(*names))
        for row in rows.iterator(chunk_size=2000):
            emit([_encode(f, v) for f, v in zip(stored, row, strict=True)])
            count += 1
        tables[model._meta.db_table] = {"model": model._meta.label_lower, "rows": count}
    return digest.hexdigest(), tables


def backup(path: str | Path, *, using: str = "default", overwrite: bool = False, record: bool = True,
           keys: list[bytes] | None = None) -> BackupResult:
    """Write a backup of the whole database to `path` (atomically: a partial file is never left there),
    encrypted with the newest backup key when keys are configured (`keys`, default from the environment)."""
    import django
    from django.db import connections

    from safeguard.audit.verify import verify

    target = Path(path)
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists (use --overwrite to replace it)")
    if not target.parent.is_dir():
        raise BackupError(f"no such directory: {target.parent}")
    connection = connections[using]
    try:
        keys = backup_crypto.configured_keys() if keys is None else keys
        if keys:
            backup_crypto.multifernet(keys)
    except backup_crypto.BackupKeyError as exc:
        raise BackupError(str(exc)) from None
    with tempfile.TemporaryDirectory(prefix=".safeguard-backup-", dir=target.parent) as scratch:
        os.chmod(scratch, 0o700)
        content_path = Path(scratch) / "content"
        with _snapshot(using):
            models = backed_up_models(using)
            with _private_file(content_path) as out:
                content_sha256, tables = _write_content(out, models, using)
            chain = verify(using, check_guards=False)
            migrations = applied_migrations(using)
        header = {
            "format": FORMAT, "created_at": _utc_now(), "vendor": connection.vendor, "django": django.get_version(),
            "safeguard": _version(), "migrations": migrations, "tables": tables,
            "rows": sum(t["rows"] for t in tables.values()),
            "audit": {"entries": chain.entries, "head": {"seq": chain.head_seq, "hash": chain.head_hash},
                      "intact": chain.intact, "problem_count": chain.problem_count},
            "content_sha256": content_sha256,
        }
        partial = Path(scratch) / "backup"
        with _private_file(partial) as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
            out.write(json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8") + b"\n")
            with open(content_path, "rb") as content:
                while chunk := content.read(1 << 20):
                    out.write(chunk)
        if keys:
            sealed = Path(scratch) / "backup.encrypted"
            with _private_file(sealed) as out_sealed:
                backup_crypto.encrypt_file(partial, out_sealed, keys)
            partial = sealed
        with open(partial, "rb") as done:
            os.fsync(done.fileno())
        os.replace(partial, target)
    if record:
        from safeguard.audit.log import write_audit

        write_audit("backup.created", object_type="backup", using=using,
                    detail={"format": FORMAT, "rows": header["rows"], "sha256": content_sha256,
                            "seq": chain.head_seq})
    return BackupResult(target, header, encrypted=bool(keys))


# -- reading a backup ----------------------------------------------------------------------------------------
@contextlib.contextmanager
def _plain(path: str | Path) -> Iterator[IO[bytes]]:
    """The backup's decompressed stream (decrypted first when the file is encrypted)."""
    try:
        raw = backup_crypto.open_plain(path, backup_crypto.configured_keys())
    except backup_crypto.BackupKeyError as exc:
        raise BackupError(str(exc)) from None
    with raw, gzip.GzipFile(filename="", mode="rb", fileobj=raw) as stream:
        yield stream  # type: ignore[misc]


def read_header(path: str | Path) -> dict[str, Any]:
    try:
        with _plain(path) as stream:
            first = stream.readline(1 << 22)
    except FileNotFoundError:
        raise BackupError(f"no such file: {path}") from None
    except backup_crypto.BackupKeyError as exc:
        raise BackupError(str(exc)) from None
    except (OSError, EOFError, ValueError) as exc:
        raise BackupError(f"{path} is not a Safeguard backup (not gzip: {exc})") from None
    try:
        header = json.loads(first)
    except ValueError:
        raise BackupError(f"{path} is not a Safeguard backup (no header)") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        found = header.get("format") if isinstance(header, dict) else None
        raise BackupError(f"{path} is not a {FORMAT} backup (format {found!r})")
    for key in ("vendor", "migrations", "tables", "rows", "audit", "content_sha256"):
        if key not in header:
            raise BackupError(f"{path}: the header has no {key!r}")
    return header


def _content_lines(path: str | Path) -> Iterator[bytes]:
    with _plain(path) as stream:
        stream.readline(1 << 22)
        yield from stream


def check_file(path: str | Path, header: dict[str, Any] | None = None) -> dict[str, Any]:
    """Check the content against the header's checksum and row counts, before anything is written."""
    header = header or read_header(path)
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    table = None
    try:
        for line in _content_lines(path):
            digest.update(line)
            item = json.loads(line)
            if isinstance(item, dict):
                table = item["table"]
                counts[table] = 0
            elif table is None:
                raise BackupError(f"{path}: rows before the first table")
            else:
                counts[table] += 1
    except backup_crypto.BackupKeyError as exc:
        raise BackupError(str(exc)) from None
    except (OSError, EOFError, ValueError, KeyError) as exc:
        raise BackupError(f"{path} is damaged: {exc}") from None
    if digest.hexdigest() != header["content_sha256"]:
        raise BackupError(f"{path} is damaged or was altered: its content does not match the checksum in its header")
    expected = {name: info["rows"] for name, info in header["tables"].items()}
    if counts != expected:
        raise BackupError(f"{path}: the row counts do not match its header")
    return header


def _rows_of(path: str | Path) -> Iterator[tuple[str, list[str], list[list[Any]]]]:
    """(table, columns, batch of rows) from a checked backup file."""
    table: str = ""
    columns: list[str] = []
    batch: list[list[Any]] = []
    for line in _content_lines(path):
        item = json.loads(line)
        if isinstance(item, dict):
            if table:
                yield table, columns, batch
            table, columns, batch = item["table"], item["columns"], []
        else:
            batch.append(item)
            if len(batch) >= BATCH:
                yield table, columns, batch
                batch = []
    if table:
        yield table, columns, batch


# -- restore -------------------------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    header: dict[str, Any]
    counts: dict[str, int]
    audit: Any
    replaced: Path | None = None
    migrated: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.audit.intact

    def as_dict(self) -> dict[str, Any]:
        return {"restored": True, "ok": self.ok, "rows": sum(self.counts.values()), "tables": self.counts,
                "from": {"created_at": self.header["created_at"], "vendor": self.header["vendor"]},
                "audit": self.audit.as_dict(), "replaced_backup": str(self.replaced) if self.replaced else None,
                "migrated": self.migrated, "warnings": self.warnings}


def _data_tables(using: str, models: list[Any]) -> list[str]:
    """Tables that hold rows other than what `migrate` puts in a fresh database."""
    from django.db import connections

    nonempty = []
    with connections[using].cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if table in SEEDED_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connections[using].ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone() is not None:
                nonempty.append(table)
    return nonempty


def _count(using: str, table: str) -> int:
    from django.db import connections

    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return int(cursor.fetchone()[0])


def _migration_difference(ours: dict[str, list[str]], theirs: dict[str, list[str]]) -> str:
    mine = {(a, n) for a, names in ours.items() for n in names}
    other = {(a, n) for a, names in theirs.items() for n in names}
    parts = []
    if other - mine:
        parts.append("only in the backup: " + ", ".join(f"{a}.{n}" for a, n in sorted(other - mine)[:8]))
    if mine - other:
        parts.append("only in this database: " + ", ".join(f"{a}.{n}" for a, n in sorted(mine - other)[:8]))
    return "; ".join(parts)


def _ensure_sqlite_directory(using: str) -> None:
    from django.db import connections

    connection = connections[using]
    name = str(connection.settings_dict.get("NAME") or "")
    if connection.vendor == "sqlite" and name and not name.startswith(("file:", ":memory:")):
        Path(name).parent.mkdir(parents=True, exist_ok=True)


def restore(path: str | Path, *, using: str = "default", force: bool = False, migrate: bool = True,
            replaced_dir: str | Path | None = None) -> RestoreResult:
    """Restore a backup into the database `using`. Raises BackupError (refused, nothing written) or
    RestoreFailed (loaded but did not verify: rolled back, nothing written)."""
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import DatabaseError, connections, transaction

    from safeguard.audit import guards
    from safeguard.audit.log import write_audit
    from safeguard.audit.verify import verify

    header = check_file(path)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("a restore must run in its own transaction, not inside another one")
    _ensure_sqlite_directory(using)
    migrated = False
    if migrate and not applied_migrations(using):
        call_command("migrate", database=using, verbosity=0, interactive=False)
        migrated = True
    state = applied_migrations(using)
    if state != header["migrations"]:
        raise BackupError("the database's migration state is not the backup's ("
                          f"{_migration_difference(state, header['migrations'])}): restore with the version of "
                          "Safeguard that made the backup, into a database migrated to the same point, then migrate")
    models = backed_up_models(using)
    by_table = {m._meta.db_table: m for m in models}
    if set(by_table) != set(header["tables"]):
        raise BackupError("the backup's tables are not this database's: "
                          f"{sorted(set(by_table) ^ set(header['tables']))}")
    occupied = _data_tables(using, models)
    replaced = None
    if occupied and not force:
        raise BackupError(f"the database is not empty ({', '.join(occupied[:5])}"
                          f"{'…' if len(occupied) > 5 else ''} hold data): restore into a new, empty database, "
                          "or use --force to replace everything in it (a backup of it is written first)")
    if occupied:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        replaced = Path(replaced_dir or Path(path).parent) / f"safeguard-before-restore-{stamp}.sgbk"
        backup(replaced, using=using, record=False)

    warnings: list[str] = []
    counts: dict[str, int] = {}
    try:
        with transaction.atomic(using=using):
            wipe = guards.suspended(connection) if occupied else contextlib.nullcontext()
            with wipe, connection.cursor() as cursor:
                for model in reversed(models):
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
            # The guards are back: the append-only tables are loaded with INSERTs only.
            _load(path, by_table, connection)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    for sql in connection.ops.sequence_reset_sql(no_style(), models):
                        cursor.execute(sql)
            connection.check_constraints(table_names=list(by_table))
            counts = {table: _count(using, table) for table in by_table}
            expected = {table: info["rows"] for table, info in header["tables"].items()}
            if counts != expected:
                wrong = sorted(t for t in counts if counts[t] != expected[t])
                raise RestoreFailed(f"row counts differ after loading: {', '.join(wrong)}")
            report = verify(using)
            before = header["audit"]
            if (report.head_seq, report.head_hash) != (before["head"]["seq"], before["head"]["hash"]):
                raise RestoreFailed(f"the restored audit chain ends at seq {report.head_seq}, not at seq "
                                    f"{before['head']['seq']} as when the backup was made")
            if before["intact"] and not report.intact:
                first = report.first
                raise RestoreFailed("the restored audit chain does not verify: "
                                    f"{first.label if first else ''}: {first.message if first else ''}")
            if not report.intact:
                warnings.append(f"the audit chain was already broken when the backup was made "
                                f"({before['problem_count']} problem(s)); it is restored as it was")
            write_audit("backup.restored", object_type="backup", using=using,
                        detail={"format": FORMAT, "rows": sum(counts.values()), "sha256": header["content_sha256"],
                                "seq": report.head_seq})
    except DatabaseError as exc:
        raise RestoreFailed(f"the database refused the data: {exc}") from exc
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return RestoreResult(header, counts, report, replaced, migrated, warnings)


def _load(path: str | Path, by_table: dict[str, Any], connection: Any) -> None:
    quote = connection.ops.quote_name
    for table, columns, batch in _rows_of(path):
        model = by_table[table]
        fields_by_column = {f.column: f for f in _columns(model)}
        if set(columns) != set(fields_by_column):
            raise RestoreFailed(f"{table}: the backup's columns are not this database's")
        fields = [storage_field(fields_by_column[c]) for c in columns]
        if not batch:
            continue
        _check_column_lengths(table, columns, fields, batch)
        sql = (f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        params = [[_decode(f, v, connection) for f, v in zip(fields, row, strict=True)] for row in batch]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)


def _check_column_lengths(table: str, columns: list[str], fields: list[Any], batch: list[list[Any]]) -> None:
    """Refuse a value longer than its column, naming the table, the row's id and the column, on SQLite (which
    would take it) as on PostgreSQL (whose own refusal names neither): a backup made before every save was
    checked (safeguard.limits) may hold one."""
    limited = [(n, c, f.max_length) for n, (c, f) in enumerate(zip(columns, fields, strict=True))
               if f.max_length and f.get_internal_type() in {"CharField", "SlugField"}]
    for row in batch:
        for n, column, limit in limited:
            value = row[n]
            if isinstance(value, str) and len(value) > limit:
                row_id = row[columns.index("id")] if "id" in columns else "?"
                raise RestoreFailed(f"{table} id {row_id}: column '{column}' holds {len(value)} characters, more "
                                    f"than its {limit}: correct it in the source database (docs/operations.md)")


# -- the commands --------------------------------------------------------------------------------------------
def add_parsers(sub: Any) -> None:
    p = sub.add_parser("backup", help="write a consistent backup of the whole database to one file (online); "
                                      "encrypted when SAFEGUARD_BACKUP_KEY or SAFEGUARD_BACKUP_KEY_FILE is set")
    p.add_argument("file", nargs="?")
    p.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    p.add_argument("--rekey", action="store_true",
                   help="re-encrypt the existing backup FILE with the newest backup key (key rotation)")
    p.add_argument("--new-key", action="store_true", help="print a new backup key and exit")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(fn=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup into an empty database, and verify it")
    p.add_argument("file")
    p.add_argument("--force", action="store_true",
                   help="replace the data of a database that is not empty (a backup of it is written first)")
    p.add_argument("--json", action="store_true", help="print a JSON summary")
    p.set_defaults(fn=cmd_restore)


def _fail(message: str, code: int) -> int:
    print(f"safeguard: {message}", file=sys.stderr)
    return code


def rekey_file(path: str | Path, keys: list[bytes] | None = None) -> None:
    """Re-encrypt an encrypted backup with the newest key, in place (atomically)."""
    target = Path(path)
    keys = backup_crypto.configured_keys() if keys is None else keys
    if not target.is_file():
        raise BackupError(f"no such file: {target}")
    if not backup_crypto.is_encrypted(target):
        raise BackupError(f"{target} is not encrypted: nothing to re-key (back up again with a key set)")
    if not keys:
        raise BackupError("no backup key is set (SAFEGUARD_BACKUP_KEY or SAFEGUARD_BACKUP_KEY_FILE)")
    check_file(target)  # every frame decrypts and the content verifies before the file is replaced
    with tempfile.TemporaryDirectory(prefix=".safeguard-backup-", dir=target.parent) as scratch:
        fresh = Path(scratch) / "rekeyed"
        try:
            with _private_file(fresh) as out:
                backup_crypto.rekey(target, out, keys)
        except backup_crypto.BackupKeyError as exc:
            raise BackupError(str(exc)) from None
        with open(fresh, "rb") as done:
            os.fsync(done.fileno())
        os.replace(fresh, target)


def cmd_backup(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    if args.new_key:
        print(backup_crypto.new_key())
        return 0
    if not args.file:
        return _fail("name the backup FILE", EXIT_REFUSED)
    _setup_django()
    if args.rekey:
        try:
            rekey_file(args.file)
        except BackupError as exc:
            return _fail(f"re-key refused, the file is unchanged: {exc}", EXIT_REFUSED)
        print(f"Re-encrypted {args.file} with the newest backup key.")
        return 0
    try:
        result = backup(args.file, overwrite=args.overwrite)
    except BackupError as exc:
        return _fail(str(exc), EXIT_REFUSED)
    except OSError as exc:
        return _fail(f"the backup could not be written: {exc}", EXIT_FAILED)
    header, audit = result.header, result.header["audit"]
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        print(f"Backed up {header['rows']} row(s) from {len(header['tables'])} table(s) to {result.path} "
              f"(sha256 {header['content_sha256']}).")
        print(f"Audit chain at backup: {audit['entries']} entries, head seq {audit['head']['seq']} "
              f"hash {audit['head']['hash']}.")
        print("Encrypted with the newest backup key." if result.encrypted else
              "Not encrypted: no SAFEGUARD_BACKUP_KEY is set.")
    if not result.encrypted:
        print("safeguard: WARNING: the backup is not encrypted (set SAFEGUARD_BACKUP_KEY or "
              "SAFEGUARD_BACKUP_KEY_FILE); keep it only on encrypted storage", file=sys.stderr)
    if not audit["intact"]:
        print(f"safeguard: WARNING: the audit chain is not intact ({audit['problem_count']} problem(s)): run "
              "`safeguard audit verify`. The backup keeps the evidence as it is.", file=sys.stderr)
        return EXIT_FAILED
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from safeguard.cli import _setup_django

    _setup_django()
    try:
        result = restore(args.file, force=args.force)
    except BackupError as exc:
        return _fail(f"restore refused, nothing was written: {exc}", EXIT_REFUSED)
    except RestoreFailed as exc:
        return _fail(f"restore failed verification and was rolled back, nothing was written: {exc}", EXIT_FAILED)
    except OSError as exc:
        return _fail(f"restore refused, nothing was written: {exc}", EXIT_REFUSED)
    if args.json:
        print(json.dumps(result.as_dict(), indent=2))
    else:
        if result.replaced:
            print(f"The data that was replaced is backed up in {result.replaced}.")
        print(f"Restored {sum(result.counts.values())} row(s) into {len(result.counts)} table(s) from a backup made "
              f"{result.header['created_at']} on {result.header['vendor']}; row counts match.")
        audit = result.audit
        print(f"Audit chain: {audit.entries} entries, head seq {audit.head_seq} hash {audit.head_hash}: "
              f"{'intact' if audit.intact else 'NOT INTACT'}.")
    for warning in result.warnings:
        print(f"safeguard: WARNING: {warning}", file=sys.stderr)
    return 0 if result.ok else EXIT_FAILED
