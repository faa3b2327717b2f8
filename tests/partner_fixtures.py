"""Fixtures shared by tests/agencies and tests/victims (imported by their conftest files)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import time_machine

from partner_world import START, build_world


@pytest.fixture
def world(db: Any) -> Any:
    """The partner world, built on START (a Monday) with the clock stopped there for the test."""
    with time_machine.travel(START.isoformat() + " 10:00", tick=False):
        yield build_world()


@pytest.fixture(autouse=True)
def _quiet_not_found() -> Any:
    """The URL walks make thousands of refused requests; Django logs each one."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(autouse=True)
def _one_jinja_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """govuk-frontend-django builds (and compiles templates in) a new Jinja environment for every component it
    renders, about 150 ms a page; the walks render thousands. Share one: the output is the same."""
    from govuk_frontend_django.components import base

    real = base.Environment
    shared: dict[str, Any] = {}

    def environment(**kwargs: Any) -> Any:
        if "env" not in shared:
            shared["env"] = real(**kwargs)
        return shared["env"]

    monkeypatch.setattr(base, "Environment", environment)
