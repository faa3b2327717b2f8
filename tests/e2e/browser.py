"""Helpers over a Playwright page: signing in, and the axe-core accessibility scan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from web_scenarios import PASSWORD

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


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
        self.page.add_script_tag(path=str(AXE))
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"] if v["impact"] in {"serious", "critical"}]
