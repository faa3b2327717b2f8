"""Helpers over a Playwright page: signing in, and the axe-core accessibility scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from web_scenarios import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Debian's Chromium, never a downloaded browser; each browser-test folder's conftest imports these fixtures.
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




class Pages:
    """Small helpers over a Playwright page: signing in and the axe-core scan."""

    def __init__(self, page: Any, site: str):
        self.page = page
        self.site = site

    def open(self, path: str) -> None:
        self.page.goto(self.site + path)

    def sign_in(self, username: str) -> None:
        self.open("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url("**/caseload/**")

    def serious_accessibility_problems(self) -> list[str]:
        """axe-core's serious and critical violations on the page as it is now."""
        # Evaluated through the DevTools protocol, not added as a <script>: the app's CSP refuses inline scripts
        # without its nonce, as it should.
        self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"] if v["impact"] in {"serious", "critical"}]
