"""Rate limits (DRF throttles): per user, per anonymous client, and a tighter one for writes.

Rates are read from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] on each request (DRF binds them once at
import). The counters live in Django's cache: per process with the default local-memory cache; a deployment
with several web processes configures a shared cache (database or Redis) so the limits hold across them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import throttling
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request


def _rate(scope: str | None) -> str | None:
    rates: dict[str, str | None] = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
    return rates.get(scope or "")


class AnonThrottle(throttling.AnonRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class UserThrottle(throttling.UserRateThrottle):
    def get_rate(self) -> str | None:
        return _rate(self.scope)


class WriteThrottle(throttling.UserRateThrottle):
    scope = "write"

    def get_rate(self) -> str | None:
        return _rate(self.scope)

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
