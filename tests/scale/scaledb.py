"""Throwaway databases of tests/scale's own (safeguard_h13_<random> on PostgreSQL), created and dropped here."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from owndb import PG_SERVER, postgres_available

__all__ = ["PG_SERVER", "postgres_available", "own_database"]


@contextmanager
def own_database(vendor: str, directory: Path, label: str) -> Iterator[str]:
    """A new, empty database; yields its DATABASE_URL and drops it afterwards."""
    if vendor == "sqlite":
        yield f"sqlite:///{directory / f'{label}.sqlite3'}"
        return
    import psycopg

    name = f"safeguard_h13_{secrets.token_hex(5)}_{label}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
