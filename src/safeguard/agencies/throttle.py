"""Reporting a breach by case reference must not become a way to find out which references exist: attempts
by reference are limited per user (Django's cache, a fixed window), every attempt is audited, and a reference
that does not exist gets the same answer as one the user may not report on."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache

from safeguard.audit.log import write_audit

WINDOW_SECONDS = 3600


def limit() -> int:
    """Attempts by case reference allowed per user per hour (SAFEGUARD_BREACH_LOOKUPS_PER_HOUR, default 10)."""
    return int(getattr(settings, "SAFEGUARD_BREACH_LOOKUPS_PER_HOUR", 10))


def _key(user: Any) -> str:
    window = int(time.time()) // WINDOW_SECONDS
    return f"safeguard:breach-lookups:{user.pk}:{window}"


def take(user: Any) -> bool:
    """Count one attempt by reference for `user`; False once the hour's allowance is used up."""
    key = _key(user)
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        used = 1
    return used <= limit()


def audit_attempt(user: Any, case_ref: str, outcome: str) -> None:
    """Every attempt by reference, found or not: a digest of what was typed (not the reference itself, which
    may not exist or may not be theirs to know) and the outcome: reported, not_found or rate_limited."""
    digest = hashlib.sha256(case_ref.strip().upper().encode()).hexdigest()[:16]
    write_audit("breach.lookup", user=user, object_type="case_reference",
                detail={"sha256": digest, "outcome": outcome})
