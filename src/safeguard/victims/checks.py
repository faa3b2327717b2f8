"""System check: a deployment must configure its own field-encryption keys."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def field_keys_configured(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from safeguard.victims.crypto import DEV_FIELD_KEY

    keys = list(getattr(settings, "SAFEGUARD_FIELD_KEYS", []))
    if not keys:
        return [checks.Error("SAFEGUARD_FIELD_KEYS is not set", hint="Generate one with `safeguard keys generate`",
                             id="safeguard.E101")]
    if DEV_FIELD_KEY in keys:
        return [checks.Error("SAFEGUARD_FIELD_KEYS holds the published development key", id="safeguard.E102")]
    return []
