"""Fixtures for the workforce tests. The organisation and cases are the interventions tests' (iv_scenarios)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interventions"))

from iv_scenarios import Org, make_org  # noqa: E402


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db: None) -> Org:
    return make_org()
