"""Security headers and cookies: CSP with a fresh nonce per response, no-sniff, referrer policy, framing,
HttpOnly and SameSite cookies; secure cookies and HSTS when SAFEGUARD_HTTPS=1."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from account_helpers import sign_in
from cryptography.fernet import Fernet
from django.test import Client
from web_scenarios import Org

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def csp(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else "" for part in
            (p.strip() for p in header.split(";")) if part}


def test_pages_carry_a_strict_csp_whose_nonce_is_on_the_pages_scripts(org: Org) -> None:
    client = Client()
    sign_in(client, "priya")
    first = client.get("/caseload/")
    policy = csp(first)
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    nonce = re.search(r"'nonce-([^']+)'", policy["script-src"])
    assert nonce is not None
    scripts = re.findall(r"<script[^>]*>", first.content.decode())
    assert scripts and all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)
    second = csp(client.get("/caseload/"))["script-src"]
    assert nonce.group(1) not in second  # a fresh nonce for every response


def test_the_sign_in_page_carries_the_security_headers_and_cookie_flags(org: Org) -> None:
    client = Client()
    page = client.get("/sign-in/")
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in page
    response = sign_in(client, "priya")
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    assert not session["secure"]  # plain http here: SAFEGUARD_HTTPS is off
    assert "Strict-Transport-Security" not in client.get("/caseload/")


def test_https_turns_on_secure_cookies_and_hsts(org: Org, settings: Any) -> None:
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()
    response = sign_in(client, "priya", secure=True)
    assert response.cookies["sessionid"]["secure"]
    page = client.get("/caseload/", secure=True)
    assert page["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_https_setting_drives_the_cookie_and_hsts_settings() -> None:
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS]))")

    def read(https: str) -> list[Any]:
        # Production (SAFEGUARD_HTTPS=1) needs keys of its own to start (tests/security/test_production_keys.py).
        keys = {"SAFEGUARD_SECRET_KEY": "t" + secrets.token_urlsafe(50), "SAFEGUARD_FIELD_KEYS": Fernet.generate_key()
                .decode()}
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safeguard.settings", "SAFEGUARD_HTTPS": https, **keys}
        out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True,
                             check=True)
        result: list[Any] = json.loads(out.stdout.strip().splitlines()[-1])
        return result

    assert read("1") == [True, True, 31536000]
    assert read("") == [False, False, 0]
