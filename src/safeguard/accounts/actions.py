"""Every change to a user account, each in one transaction with its audit entry.

Audit entries name the user by id, never by name or username (usernames are often people's names).
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from safeguard.accounts import two_factor
from safeguard.accounts.access import role_of
from safeguard.accounts.models import API_ONLY_ROLES, VICTIM_DATA_ROLES, Profile, RoleApproval
from safeguard.accounts.sessions import end_all_sessions
from safeguard.audit.log import write_audit


class AccountError(ValueError):
    """A change to an account refused: str() is a sentence to show the administrator. Nothing was written."""


def password_at_once(role: str) -> bool:
    """Whether a new account with this role gets its temporary password when it is added: not an integration
    account (API only, never a password) and not a role that reads victims' records (a second administrator
    approves it first, and is the one shown the password)."""
    return role not in API_ONLY_ROLES and role not in VICTIM_DATA_ROLES


@transaction.atomic
def create_user(by: Any, *, username: str, first_name: str, last_name: str, email: str, role: str, unit: Any,
                staff: Any, password: str | None) -> User:
    """A new account. `password` is the temporary password when password_at_once(role), otherwise None: the
    account then has no usable password, and a role that reads victims' records waits for approve_role."""
    if (password is not None) != password_at_once(role):
        raise AccountError("An integration account never has a password, and an account that reads victims' "
                           "records gets one only when a second administrator approves it.")
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
    if role in VICTIM_DATA_ROLES:
        approval = RoleApproval.objects.create(subject=user, role=role, requested_by=by)
        write_audit("user.role_requested", user=by, object_type="user", object_id=str(user.pk),
                    detail={"role": role, "ref": str(approval.pk)})
    return user


def waiting_approval(user: User) -> RoleApproval | None:
    return RoleApproval.objects.filter(subject=user, approved=None).first()


def _decide(by: Any, user: User) -> RoleApproval:
    """The account's waiting approval, locked, once `by` may decide it; AccountError otherwise."""
    approval = RoleApproval.objects.select_for_update().filter(subject=user, approved=None).first()
    if approval is None:
        raise AccountError("This account has no role waiting for approval.")
    if user.pk == getattr(by, "pk", None):
        raise AccountError("You cannot decide a role for your own account: ask another administrator.")
    return approval


@transaction.atomic
def approve_role(by: Any, user: User, password: str) -> RoleApproval:
    """A second administrator approves the role: the account gets `password` (its temporary password, shown to
    them once). The administrator who asked may not approve."""
    approval = _decide(by, user)
    if approval.requested_by_id == by.pk:
        raise AccountError("You added this user: another administrator must approve the role, so no one "
                           "administrator can give access to victims' records alone.")
    if not user.is_active:
        raise AccountError("This account is deactivated: reactivate it before approving its role.")
    approval.approved, approval.decided_by, approval.decided_at = True, by, timezone.now()
    approval.save(update_fields=["approved", "decided_by", "decided_at"])
    user.set_password(password)
    user.save(update_fields=["password"])
    write_audit("user.role_approved", user=by, object_type="user", object_id=str(user.pk),
                detail={"role": approval.role, "ref": str(approval.pk)})
    return approval


@transaction.atomic
def refuse_role(by: Any, user: User) -> RoleApproval:
    """Any administrator but the account's holder refuses the role (the one who asked may withdraw it): the account
    is deactivated, never given a password."""
    approval = _decide(by, user)
    approval.approved, approval.decided_by, approval.decided_at = False, by, timezone.now()
    approval.save(update_fields=["approved", "decided_by", "decided_at"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    end_all_sessions(user)
    write_audit("user.role_refused", user=by, object_type="user", object_id=str(user.pk),
                detail={"role": approval.role, "ref": str(approval.pk)})
    return approval


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
    if role_of(user) in API_ONLY_ROLES:
        raise AccountError("An integration account has no password: it uses API tokens.")
    user.set_password(password)
    user.save(update_fields=["password"])
    Profile.objects.filter(user=user).update(must_change_password=False)
    write_audit("account.password_changed", user=user, object_type="user", object_id=str(user.pk))
