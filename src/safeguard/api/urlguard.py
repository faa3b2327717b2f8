"""Which webhook URLs Safeguard will call (a guard against server-side request forgery).

A subscription's URL must be https and its host must resolve only to public addresses: never loopback,
private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16, where cloud metadata services
live), carrier-grade NAT, multicast, reserved or unspecified. Checked when a subscription is added and again
before every delivery (a name can be pointed somewhere else later); deliveries never follow redirects.

SAFEGUARD_WEBHOOK_ALLOW_PRIVATE=1 (settings.SAFEGUARD_WEBHOOKS["allow_private"]) lifts both rules for the tests'
and the demo's local receivers only.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings

Resolver = Callable[[str, int], list[str]]


class UnsafeURL(ValueError):
    """A webhook URL Safeguard refuses to call; str() says why."""


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeURL(f"the host {host!r} does not resolve ({exc.strerror})") from None
    return sorted({str(info[4][0]) for info in found})


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local or ip.is_loopback
                                 or ip.is_private or ip.is_unspecified)


def allow_private() -> bool:
    return bool(settings.SAFEGUARD_WEBHOOKS.get("allow_private"))


def check_url(url: str, *, resolver: Resolver = resolve, allow: bool | None = None) -> None:
    """Raise UnsafeURL unless Safeguard may POST to `url`."""
    allow = allow_private() if allow is None else allow
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"not a valid URL: {exc}") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeURL("the URL must be https://host/path")
    if parts.username or parts.password:
        raise UnsafeURL("the URL must not carry a user name or password")
    if allow:
        return
    if parts.scheme != "https":
        raise UnsafeURL("the URL must use https")
    addresses = resolver(parts.hostname, port or 443)
    if not addresses:
        raise UnsafeURL(f"the host {parts.hostname!r} does not resolve")
    blocked = [a for a in addresses if not is_public(a)]
    if blocked:
        raise UnsafeURL(f"the host {parts.hostname!r} resolves to a private, loopback or link-local address "
                        f"({', '.join(blocked)}): webhooks go only to public https addresses")
