"""Field encryption for victims' and children's contact details and other sensitive text.

Keys: Fernet keys of their own (never SECRET_KEY), in SAFEGUARD_FIELD_KEYS, comma-separated, NEWEST FIRST.
Values are encrypted with the first key and decrypted with any of them (MultiFernet), so a key is rotated by
putting a new one first, running `safeguard keys rotate` (which re-encrypts every value with it), then
removing the old one.

With no keys configured, a published development key is used, but only where nothing real is held: DEBUG,
the test suite (pytest sets PYTEST_VERSION) and the demo (SAFEGUARD_DEV_FIELD_KEY=1). Anywhere else the first
encryption or decryption raises ImproperlyConfigured, and `manage.py check --deploy` reports it.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safeguard.ops.deploy import DEV_FIELD_KEY  # public on purpose: it protects nothing

PREFIX = "enc1:"


class DecryptionError(ValueError):
    """A stored value no configured key opens (a key was removed before `safeguard keys rotate` ran)."""


def configured_keys() -> list[str]:
    keys = [k for k in getattr(settings, "SAFEGUARD_FIELD_KEYS", []) if k]
    if keys:
        return keys
    if getattr(settings, "SAFEGUARD_DEV_FIELD_KEY", False):
        return [DEV_FIELD_KEY]
    raise ImproperlyConfigured(
        "SAFEGUARD_FIELD_KEYS is not set: victims' contact details cannot be encrypted. Generate a key with "
        "`safeguard keys generate` and set SAFEGUARD_FIELD_KEYS (newest key first, comma-separated).")


@lru_cache(maxsize=8)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"SAFEGUARD_FIELD_KEYS holds a value that is not a Fernet key: {exc}") from None


def fernet() -> MultiFernet:
    return _fernet(tuple(configured_keys()))


def encrypt(plain: str) -> str:
    return PREFIX + fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    if not stored.startswith(PREFIX):
        raise DecryptionError("the stored value is not an encrypted value")
    try:
        return fernet().decrypt(stored[len(PREFIX):].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise DecryptionError("no configured field key opens this value (SAFEGUARD_FIELD_KEYS)") from None


def rotate(stored: str) -> str:
    """The same value encrypted with the newest key."""
    if not stored.startswith(PREFIX):
        raise DecryptionError("the stored value is not an encrypted value")
    try:
        token = fernet().rotate(stored[len(PREFIX):].encode("ascii"))
    except InvalidToken:
        raise DecryptionError("no configured field key opens this value (SAFEGUARD_FIELD_KEYS)") from None
    return PREFIX + token.decode("ascii")


def generate_key() -> str:
    return Fernet.generate_key().decode("ascii")
