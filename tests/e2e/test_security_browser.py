"""In a real browser, the Content-Security-Policy lets the app's own scripts and styles run and refuses
anything else; the sign-in, two-factor, account and user-management pages pass axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from browser import Pages
from django.contrib.auth.models import User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from web_scenarios import Org, countersign_case, settled_case

from sign_ins import make_user

pytestmark = pytest.mark.e2e

# Recorded in the page before any of its own scripts run (an init script is not subject to the page's CSP).
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"""


@pytest.fixture
def watched(pages: Pages) -> Pages:
    pages.page.set_default_timeout(45_000)  # the first page of a live server can be slow on a busy machine
    pages.page.add_init_script(WATCH)
    return pages


def app_state(pages: Pages) -> dict[str, Any]:
    """What the app's own files did: htmx loaded, app.js ran (GOV.UK Frontend initialised), app.css applied."""
    result: dict[str, Any] = pages.page.evaluate("""() => ({
        violations: window.__violations,
        htmx: typeof window.htmx === 'object',
        appJs: document.body.classList.contains('govuk-frontend-supported'),
        css: getComputedStyle(document.querySelector('.govuk-footer')).borderTopStyle !== 'none'
             || getComputedStyle(document.body).margin === '0px',
    })""")
    return result


def test_the_apps_own_scripts_and_styles_run_and_nothing_is_refused(watched: Pages, org: Org) -> None:
    settled_case()
    countersign_case()
    watched.sign_in("priya")
    seen = {}
    for path in ("/caseload/", "/cases/X100002/", "/cases/X100002/record/contact/", "/account/"):
        watched.open(path)
        seen[path] = app_state(watched)
    assert seen == {path: {"violations": [], "htmx": True, "appJs": True, "css": True} for path in seen}
    # htmx still works under the CSP: the caseload filter swaps results in without a page load.
    watched.open("/caseload/")
    assert watched.page.evaluate("() => !!document.querySelector('[hx-get]')")


def test_an_injected_inline_script_is_refused(watched: Pages, org: Org) -> None:
    watched.open("/sign-in/")
    ran = watched.page.evaluate("""() => new Promise(resolve => {
        window.__ran = false;
        const s = document.createElement('script');
        s.textContent = 'window.__ran = true';
        document.head.appendChild(s);
        setTimeout(() => resolve(window.__ran), 200);
    })""")
    assert ran is False
    assert any(v.startswith("script-src") for v in watched.page.evaluate("() => window.__violations"))


def test_two_factor_and_admin_pages_in_the_browser(pages: Pages, org: Org, settings: Any) -> None:
    settings.SAFEGUARD_TWO_FACTOR = True
    make_user("ada", "admin", None, None)
    pages.page.set_default_timeout(45_000)
    pages.page.add_init_script(WATCH)
    pages.open("/sign-in/")
    pages.page.get_by_label("Username").fill("ada")
    pages.page.get_by_label("Password").fill("correct-horse-battery-staple")
    pages.page.get_by_role("button", name="Sign in").click()
    pages.page.wait_for_url("**/account/two-factor/set-up/**")
    assert pages.page.locator("[data-testid=qr-code] svg").is_visible()
    problems = {"set up": pages.serious_accessibility_problems()}
    device = TOTPDevice.objects.get(user__username="ada", confirmed=False)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    pages.page.get_by_label("Code from your authenticator app").fill(code)
    pages.page.get_by_role("button", name="Confirm").click()
    assert pages.page.locator("[data-testid=recovery-codes] li").count() == 10
    problems["recovery codes"] = pages.serious_accessibility_problems()
    pages.page.get_by_role("link", name="continue").click()
    pages.page.wait_for_url("**/users/")
    problems["users"] = pages.serious_accessibility_problems()
    pages.open("/users/new/")
    pages.page.get_by_role("button", name="Add user").click()
    assert pages.page.get_by_text("There is a problem").is_visible()
    problems["new user with errors"] = pages.serious_accessibility_problems()
    pages.open(f"/users/{User.objects.get(username='priya').pk}/")
    problems["user"] = pages.serious_accessibility_problems()
    # A victim-facing worker added by another administrator: waiting for ada's approval (issue 33, finding 7).
    from safeguard.accounts.actions import create_user
    from safeguard.workforce.models import DeliveryUnit

    waiting = create_user(make_user("bea", "admin", None, None), username="v.worker", first_name="Val",
                          last_name="Worker", email="", role="victim_worker",
                          unit=DeliveryUnit.objects.get(name="North City"), staff=None, password=None)
    pages.open(f"/users/{waiting.pk}/")
    assert pages.page.get_by_role("button", name="Approve the role").is_visible()
    problems["user waiting for approval"] = pages.serious_accessibility_problems()
    pages.page.get_by_role("button", name="Approve the role").click()
    assert pages.page.locator("[data-testid=temporary-password]").is_visible()
    problems["role approved"] = pages.serious_accessibility_problems()
    pages.open("/account/")
    problems["account"] = pages.serious_accessibility_problems()
    assert problems == {name: [] for name in problems}
    assert pages.page.evaluate("() => window.__violations") == []
