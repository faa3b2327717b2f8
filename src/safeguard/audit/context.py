"""Where a request came from, for the audit log.

AuditContextMiddleware keeps the current request in a context variable, so an audit entry written by
an action called from a view (record_event, create_case…) records the client's IP address without
every action having to pass the request down. A caller with the request at hand can also pass it to
write_audit(request=...) directly.

The address is REMOTE_ADDR. Behind a load balancer, set SAFEGUARD_PROXY_HOPS to the number of proxies
in front of the app: the address is then taken that many entries from the right of X-Forwarded-For,
the part of the header the client cannot forge. With 0 (the default) X-Forwarded-For is ignored.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_current: ContextVar[HttpRequest | None] = ContextVar("safeguard_audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _current.get()


def normalise_ip(text: str | None) -> str | None:
    """The canonical text of an IP address (IPv4-mapped IPv6 unpacked), or None when it is not one."""
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(address)


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", None) or {}
    hops = int(getattr(settings, "SAFEGUARD_PROXY_HOPS", 0) or 0)
    if hops > 0:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
        if len(forwarded) >= hops:
            return normalise_ip(forwarded[-hops])
    return normalise_ip(meta.get("REMOTE_ADDR"))


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(request)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
