"""Fixtures for the workforce tests. The organisation and cases are the interventions tests' (iv_scenarios)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "interventions"))

from iv_scenarios import Org, make_org  # noqa: E402


@pytest.fixture
def org(db: None) -> Org:
    return make_org()
