"""Two-factor sign-in (django-otp): one TOTP authenticator app per user, and ten single-use recovery codes.

A TOTP device starts unconfirmed while the user scans its QR code, and is confirmed by the first code it
gives. Recovery codes are django-otp static tokens: each matches once and is then deleted.
"""

from __future__ import annotations

import base64
import secrets
from typing import Any

import segno
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
DEVICE_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def has_two_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator the user is setting up (the same one on every reload until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_in_groups(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four."""
    text = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, made here: the secret never leaves the server."""
    qr = segno.make(device.config_url, error="m")
    svg: str = qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff", title="QR code for your authenticator app")
    return svg


def _new_code() -> str:
    raw = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def confirm(user: Any, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirms the authenticator if the code matches, and returns fresh recovery codes (shown once)."""
    code = code.replace(" ", "")
    if not code.isdigit() or not device.verify_token(code):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_recovery_codes(user)


def new_recovery_codes(user: Any) -> list[str]:
    """Replaces the user's recovery codes with ten new ones."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        static = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [_new_code() for _ in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def recovery_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def verify(user: Any, code: str) -> Any:
    """The device that accepts this code: six digits go to the authenticator, anything else is tried as a
    recovery code (which is then used up). Each device throttles its own failures (django-otp)."""
    code = code.strip().lower().replace(" ", "")
    if not code:
        return None
    model: Any = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.filter(user=user, confirmed=True).select_for_update():
            if device.verify_token(code):
                return device
    return None


def method_of(device: Any) -> str:
    return "recovery_code" if isinstance(device, StaticDevice) else "totp"


def reset(user: Any) -> int:
    """Removes every two-factor device: the user sets up a new authenticator at their next sign-in."""
    count = 0
    with transaction.atomic():
        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()
            count += 1
    return count
