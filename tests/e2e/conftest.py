"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) against a live server."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# The shared test data lives beside the page tests.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from browser import Pages, browser_context_args, browser_type_launch_args  # noqa: E402, F401
from web_scenarios import Org, make_org  # noqa: E402

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse the
# fixtures' database work from that thread. The app itself runs in the live server's own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def org(transactional_db: None) -> Org:
    return make_org()


@pytest.fixture
def site(live_server: Any) -> str:
    return str(live_server.url)


@pytest.fixture
def pages(page: Any, site: str) -> Iterator[Pages]:
    page.set_default_timeout(15_000)
    yield Pages(page, site)
