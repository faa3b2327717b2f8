"""Users for tests: a Django user with a role profile, linked to its staff record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from safeguard.accounts.models import Profile
from safeguard.workforce.models import Staff

PASSWORD = "correct-horse-battery-staple"


def make_user(username: str, role: str, staff: Staff | None, unit: Any) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    Profile.objects.create(user=user, role=role, unit=unit)
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
    return user
