"""Production refuses to start with the published development secret key or without field-encryption keys of its
own, saying which variable to set; `check --deploy` reports the secret key too (issue 33, finding 6). The demo and
the tests, which are not production (SAFEGUARD_HTTPS unset), keep working with the development keys."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from safeguard.ops.deploy import DEV_FIELD_KEY, DEV_SECRET_KEY

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3Jd9-vQ2mZ8pLx4Rt7bWc1nYs6hGf0aEu5iOk2jHq8dVz3-Tp6Lw"  # synthetic, 53 characters
SETTINGS = "import django; django.setup(); from django.conf import settings; print(len(settings.SECRET_KEY))"


def _start(**env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items()
               if k not in ("SAFEGUARD_SECRET_KEY", "SAFEGUARD_FIELD_KEYS", "SAFEGUARD_HTTPS")}
    environ.update({"DJANGO_SETTINGS_MODULE": "safeguard.settings", **env})
    return subprocess.run([sys.executable, "-c", SETTINGS], env=environ, cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_production_without_a_secret_key_refuses_to_start_naming_the_variable() -> None:
    run = _start(SAFEGUARD_HTTPS="1", SAFEGUARD_FIELD_KEYS=Fernet.generate_key().decode())
    assert run.returncode != 0
    assert "Safeguard will not start in production" in run.stderr
    assert "SAFEGUARD_SECRET_KEY is not set" in run.stderr
    assert "SAFEGUARD_FIELD_KEYS" not in run.stderr


def test_production_with_the_published_or_a_short_secret_key_refuses_to_start() -> None:
    field = Fernet.generate_key().decode()
    published = _start(SAFEGUARD_HTTPS="1", SAFEGUARD_SECRET_KEY=DEV_SECRET_KEY, SAFEGUARD_FIELD_KEYS=field)
    assert published.returncode != 0 and "SAFEGUARD_SECRET_KEY is not set" in published.stderr
    short = _start(SAFEGUARD_HTTPS="1", SAFEGUARD_SECRET_KEY="changeme", SAFEGUARD_FIELD_KEYS=field)
    assert short.returncode != 0 and "SAFEGUARD_SECRET_KEY is too short" in short.stderr


def test_production_without_field_keys_or_with_the_development_one_refuses_to_start() -> None:
    missing = _start(SAFEGUARD_HTTPS="1", SAFEGUARD_SECRET_KEY=REAL_SECRET)
    assert missing.returncode != 0 and "SAFEGUARD_FIELD_KEYS is not set" in missing.stderr
    published = _start(SAFEGUARD_HTTPS="1", SAFEGUARD_SECRET_KEY=REAL_SECRET, SAFEGUARD_FIELD_KEYS=DEV_FIELD_KEY)
    assert published.returncode != 0 and "published development key" in published.stderr


def test_production_with_its_own_keys_starts_and_development_starts_without() -> None:
    field = Fernet.generate_key().decode()
    ok = _start(SAFEGUARD_HTTPS="1", SAFEGUARD_SECRET_KEY=REAL_SECRET, SAFEGUARD_FIELD_KEYS=field)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == str(len(REAL_SECRET))
    demo = _start()
    assert demo.returncode == 0, demo.stderr


def test_check_deploy_reports_the_published_secret_key(settings: Any) -> None:
    from safeguard.victims.checks import secret_key_configured

    settings.SECRET_KEY = DEV_SECRET_KEY
    messages = secret_key_configured()
    assert [m.id for m in messages] == ["safeguard.E103"]
    assert "SAFEGUARD_SECRET_KEY" in messages[0].msg
    settings.SECRET_KEY = REAL_SECRET
    assert secret_key_configured() == []


def test_check_deploy_command_names_the_secret_key() -> None:
    environ = {k: v for k, v in os.environ.items() if k not in ("SAFEGUARD_SECRET_KEY", "SAFEGUARD_HTTPS")}
    environ["SAFEGUARD_FIELD_KEYS"] = Fernet.generate_key().decode()
    run = subprocess.run([sys.executable, "-m", "safeguard.cli", "manage", "check", "--deploy"], env=environ,
                         cwd=ROOT, capture_output=True, text=True, check=False)
    assert run.returncode != 0
    assert "safeguard.E103" in run.stderr and "SAFEGUARD_SECRET_KEY is not set" in run.stderr
