"""Fixtures for the interventions tests: the organisation and signed-in clients."""

from __future__ import annotations

from typing import Any

import pytest
from iv_scenarios import Org, make_org


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db: None) -> Org:
    return make_org()
