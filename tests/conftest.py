"""Shared fixtures. Tests run on a real database: SQLite by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from owndb import templates  # noqa: F401  (session fixture: migrated databases to copy, tests/owndb.py)

BASE_TIMELINE: dict[str, Any] = {
    "format": "safeguard-timeline/1",
    "case": {"ref": "X900001", "born": "1988-04-02", "gender": "male", "pdu": "North City"},
    "staff": [
        {"ref": "P1", "grade": "PSO", "qualified_on": None, "da_trained": False},
        {"ref": "S1", "grade": "SPO", "qualified_on": "2009-09-01", "da_trained": True},
    ],
    "events": [
        {"on": "2021-05-28", "type": "person_added", "ref": "V1", "relationship": "ex_partner", "victim": True,
         "born": "1990-01-01"},
        {"on": "2021-06-01", "type": "sentenced", "order": "community_order", "months": 24,
         "requirements": [{"type": "rar", "days": 20}],
         "offence": {"description": "assault by beating", "victims": ["V1"], "domestic": True}},
        {"on": "2021-06-02", "type": "allocated", "practitioner": "P1"},
        {"on": "2021-06-03T10:15:00", "type": "check_requested", "agency": "police"},
        {"on": "2021-06-14", "type": "check_returned", "agency": "police", "callouts": 3,
         "known_to_childrens_services": False, "summary": "Three domestic call-outs 2019-2020"},
        {"on": "2021-06-15", "type": "registered", "code": "ADVP"},
    ],
    "checkpoints": ["2021-06-04", "2021-06-20"],
}


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its lowest cost for the whole run (tests/cheap_hashing.py)."""
    from cheap_hashing import HASHERS

    with override_settings(PASSWORD_HASHERS=HASHERS):
        yield


@pytest.fixture(autouse=True)
def two_factor_off(settings: Any) -> None:
    """Two-factor sign-in is on by default (SAFEGUARD_TWO_FACTOR); the suite signs in with passwords only,
    except tests/accounts, whose two-factor tests turn it back on."""
    settings.SAFEGUARD_TWO_FACTOR = False


@pytest.fixture
def timeline_doc() -> dict[str, Any]:
    """A small valid timeline document, fresh for each test."""
    return copy.deepcopy(BASE_TIMELINE)
