"""System checks (`check --deploy`): a deployment must configure its own secret key and field-encryption keys
(the questions are safeguard.ops.deploy's, which settings.py also asks before starting in production)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from safeguard.ops.deploy import DEV_FIELD_KEY, secret_key_problem


@checks.register(checks.Tags.security, deploy=True)
def field_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    keys = list(getattr(settings, "SAFEGUARD_FIELD_KEYS", []))
    if not keys:
        return [checks.Error("SAFEGUARD_FIELD_KEYS is not set", hint="Generate one with `safeguard keys generate`",
                             id="safeguard.E101")]
    if DEV_FIELD_KEY in keys:
        return [checks.Error("SAFEGUARD_FIELD_KEYS holds the published development key", id="safeguard.E102")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def secret_key_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    problem = secret_key_problem(settings.SECRET_KEY)
    return [checks.Error(problem, id="safeguard.E103")] if problem else []
