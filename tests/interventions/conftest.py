"""Fixtures for the interventions tests: the organisation and signed-in clients."""

from __future__ import annotations

import pytest
from iv_scenarios import Org, make_org


@pytest.fixture
def org(db: None) -> Org:
    return make_org()
