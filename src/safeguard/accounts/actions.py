"""Every change to a user account, each in one transaction with its audit entry.

Audit entries name the user by id, never by name or username (usernames are often people's names).
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.db import transaction

from safeguard.accounts import two_factor
from safeguard.accounts.models import Profile
from safeguard.accounts.sessions import end_all_sessions
from safeguard.audit.log import write_audit


@transaction.atomic
def create_user(by: Any, *, username: str, first_name: str, last_name: str, email: str, role: str, unit: Any,
                staff: Any, password: str) -> User:
    user = User.objects.create_user(username=username, password=password, first_name=first_name,
                                    last_name=last_name, email=email)
    # The password is a temporary one the administrator passes on: the user replaces it at first sign-in.
    Profile.objects.create(user=user, role=role, unit=unit, must_change_password=True)
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
    write_audit("user.created", user=by, object_type="user", object_id=str(user.pk),
                detail={"role": role, "unit": unit.pk if unit is not None else 0,
                        "staff": staff.pk if staff is not None else 0})
    return user


@transaction.atomic
def deactivate_user(by: Any, user: User) -> None:
    """Never deleted: the audit log and the case records keep pointing at the account."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    end_all_sessions(user)
    write_audit("user.deactivated", user=by, object_type="user", object_id=str(user.pk))


@transaction.atomic
def reactivate_user(by: Any, user: User) -> None:
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    write_audit("user.reactivated", user=by, object_type="user", object_id=str(user.pk))


@transaction.atomic
def reset_two_factor(by: Any, user: User) -> int:
    """The user's authenticator and recovery codes are removed and their sessions ended: at their next
    sign-in they set up a new authenticator. For a lost phone."""
    removed = two_factor.reset(user)
    end_all_sessions(user)
    action = "account.two_factor_reset" if by == user else "user.two_factor_reset"
    write_audit(action, user=by, object_type="user", object_id=str(user.pk), detail={"count": removed})
    return removed


def unlock_user(by: Any, user: User) -> int:
    with transaction.atomic():
        cleared = axes_reset(username=user.username)
        write_audit("user.unlocked", user=by, object_type="user", object_id=str(user.pk),
                    detail={"count": cleared})
    return cleared


@transaction.atomic
def sign_out_everywhere(user: Any) -> None:
    end_all_sessions(user)
    write_audit("account.signed_out_everywhere", user=user, object_type="user", object_id=str(user.pk))


@transaction.atomic
def change_password(user: Any, password: str) -> None:
    user.set_password(password)
    user.save(update_fields=["password"])
    Profile.objects.filter(user=user).update(must_change_password=False)
    write_audit("account.password_changed", user=user, object_type="user", object_id=str(user.pk))
