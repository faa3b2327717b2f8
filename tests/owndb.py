"""Throwaway databases of a test's own, on SQLite and (when a server answers) PostgreSQL, and running
Safeguard against them in a separate process, as an operator would.

PostgreSQL databases are created as safeguard_bk_<random> on 127.0.0.1:5432 (user postgres) and dropped
afterwards; the databases other people and CI use (safeguard, test_safeguard, …) are never touched.
Imported by tests/audit and tests/backup (tests/ is on sys.path because of tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

PG_SERVER = os.environ.get("SAFEGUARD_TEST_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
DBTOOL = Path(__file__).with_name("dbtool.py")
VENDORS = ["sqlite", "postgresql"]


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def skip_unless_available(vendor: str) -> None:
    if vendor == "postgresql" and not postgres_available():
        pytest.skip(f"no PostgreSQL server answers at {PG_SERVER.rsplit('@', 1)[-1]}")


@contextmanager
def throwaway_database(vendor: str, directory: Path, label: str = "db") -> Iterator[str]:
    """A new, empty database; yields its DATABASE_URL and drops it afterwards."""
    if vendor == "sqlite":
        yield f"sqlite:///{directory / f'{label}.sqlite3'}"
        return
    name = f"safeguard_bk_{secrets.token_hex(6)}"
    _admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Templates:
    """Databases migrated (and, for "built", filled by `dbtool build`) once per test session, copied for each
    test that needs one: migrating and building in a fresh process takes a while, copying does not."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[tuple[str, str], str] = {}
        self.pg_names: list[str] = []

    def _make(self, vendor: str, kind: str) -> str:
        if (vendor, kind) not in self.made:
            if vendor == "sqlite":
                url = f"sqlite:///{self.root / f'template-{kind}.sqlite3'}"
            else:
                name = f"safeguard_bk_{secrets.token_hex(6)}"
                _admin(f'CREATE DATABASE "{name}"')
                self.pg_names.append(name)
                url = f"{PG_SERVER}/{name}"
            dbtool(url, self.root, *(["migrate"] if kind == "migrated" else ["migrate", "+", "build"]))
            self.made[vendor, kind] = url
        return self.made[vendor, kind]

    @contextmanager
    def copy(self, vendor: str, kind: str, directory: Path, label: str = "db") -> Iterator[str]:
        """A database of the test's own holding what the template holds; dropped afterwards."""
        template = self._make(vendor, kind)
        if vendor == "sqlite":
            target = directory / f"{label}.sqlite3"
            shutil.copyfile(template.removeprefix("sqlite:///"), target)
            yield f"sqlite:///{target}"
            return
        name = f"safeguard_bk_{secrets.token_hex(6)}"
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{template.rsplit("/", 1)[-1]}"')
        try:
            yield f"{PG_SERVER}/{name}"
        finally:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for name in self.pg_names:
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.pg_names.clear()
        self.made.clear()


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql)


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    made = Templates(tmp_path_factory.mktemp("templates"))
    yield made
    made.close()


def environment(url: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(DATABASE_URL=url, SAFEGUARD_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="safeguard.settings")
    env.pop("SAFEGUARD_ALLOW_FLUSH", None)
    return env


def safeguard(url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the `safeguard` command against the database at `url`."""
    return subprocess.run([sys.executable, "-m", "safeguard.cli", *args], env=environment(url, data_dir), cwd=data_dir,
                          capture_output=True, text=True, timeout=600)


def dbtool(url: str, data_dir: Path, *args: str) -> Any:
    """Run tests/dbtool.py against the database at `url`; its standard output is JSON."""
    done = subprocess.run([sys.executable, str(DBTOOL), *args], env=environment(url, data_dir), cwd=data_dir,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"dbtool {args} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else None
