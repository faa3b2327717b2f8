"""Fixtures for the security tests: the security world (secworld.py) on the partner world's day, quiet logs,
one Jinja environment and no throttling (the walks make thousands of requests)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import time_machine
from secworld import SecurityWorld, build_security_world

from partner_fixtures import _no_throttling, _quiet_not_found  # noqa: F401
from partner_world import START


@pytest.fixture
def sworld(db: Any) -> Any:
    with time_machine.travel(START.isoformat() + " 10:00", tick=False):
        yield build_security_world()


@pytest.fixture(autouse=True)
def _quiet_request_log() -> Any:
    """One log line per request would bury a failure under thousands."""
    logger = logging.getLogger("safeguard.request")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


__all__ = ["SecurityWorld"]
