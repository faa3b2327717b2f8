"""Browser tests of the interventions and workforce pages: Playwright driving Debian's Chromium against a live
server, as tests/e2e does (its helpers and launch settings are reused, not copied)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[2]
for folder in (TESTS / "e2e", TESTS / "web", TESTS / "interventions"):
    sys.path.insert(0, str(folder))

from browser import Pages, browser_context_args, browser_type_launch_args  # noqa: E402, F401
from iv_scenarios import Org, make_org  # noqa: E402

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in the test's thread


@pytest.fixture
def org(transactional_db: None) -> Org:
    return make_org()


@pytest.fixture
def pages(page: Any, live_server: Any) -> Iterator[Pages]:
    page.set_default_timeout(15_000)
    yield Pages(page, str(live_server.url))
