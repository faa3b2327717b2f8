"""Fixtures shared by tests/agencies and tests/victims (imported by their conftest files)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from partner_world import START, build_world


@pytest.fixture
def world(db: Any) -> Any:
    """The partner world, built on START (a Monday) with the clock stopped there for the test."""
    with time_machine.travel(START.isoformat() + " 10:00", tick=False):
        yield build_world()


@pytest.fixture(autouse=True)
def _no_throttling(settings: Any) -> None:
    """The URL walks make thousands of API requests: no rate limits, and each test starts with an empty cache."""
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"anon": "100000/hour", "user": "100000/hour",
                                                          "write": "100000/hour"}}


@pytest.fixture(autouse=True)
def _quiet_not_found() -> Any:
    """The URL walks make thousands of refused requests; Django logs each one."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)
