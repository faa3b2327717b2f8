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

from browser import AXE, Pages  # noqa: E402
from web_scenarios import Org, make_org  # noqa: E402

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse the
# fixtures' database work from that thread. The app itself runs in the live server's own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ASSETS = ROOT / "src" / "safeguard" / "web" / "assets" / "frontend" / "app.css"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    for needed, how in ((CHROMIUM, "make system-deps"), (AXE, "make assets"), (ASSETS, "make assets")):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: run `{how}` (make test does both)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB",
            "timezone_id": "Europe/London"}


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Real hashers are slow on purpose; tests sign in dozens of times."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
