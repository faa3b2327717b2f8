"""User management for administrators: list, create, deactivate and reactivate, reset two-factor, unlock, and
approve or refuse a role that reads victims' records (a second administrator's decision: actions.approve_role).

Administrators manage users, not cases: these pages are theirs alone (access.can_manage_users), and the case
pages give them nothing (access.visible_cases). Users are never deleted.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from safeguard.accounts import actions, two_factor
from safeguard.accounts.access import can_manage_users
from safeguard.accounts.forms import NewUserForm, temporary_password
from safeguard.accounts.lockout import locked_usernames


def admin_only(view: Any) -> Any:
    @wraps(view)
    @never_cache
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_users(request.user):
            raise Http404("No such page")  # as for any page a user may not open: nothing to learn from it
        response: HttpResponse = view(request, *args, **kwargs)
        return response
    return wrapped


@require_safe
@admin_only
def users(request: HttpRequest) -> HttpResponse:
    people = list(User.objects.select_related("profile", "profile__unit").order_by("username"))
    locked = locked_usernames([u.username for u in people])
    with_2fa = set(two_factor.TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    rows = [{"user": u, "locked": u.username in locked, "two_factor": u.pk in with_2fa} for u in people]
    return render(request, "accounts/users.html", {"rows": rows})


@require_http_methods(["GET", "HEAD", "POST"])
@admin_only
def new_user(request: HttpRequest) -> HttpResponse:
    form = NewUserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = temporary_password() if actions.password_at_once(data["role"]) else None
        user = actions.create_user(request.user, username=data["username"], first_name=data["first_name"],
                                   last_name=data["last_name"], email=data["email"], role=data["role"],
                                   unit=data["unit"], staff=data["staff"], password=password)
        # Shown once, on this response only: never in a URL, a message cookie or a log.
        return render(request, "accounts/user_created.html", {"subject": user, "password": password,
                                                              "approval": actions.waiting_approval(user)})
    return render(request, "accounts/user_new.html", {"form": form}, status=400 if form.errors else 200)


@require_safe
@admin_only
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User.objects.select_related("profile", "profile__unit"), pk=pk)
    return render(request, "accounts/user.html", {
        "subject": subject, "locked": bool(locked_usernames([subject.username])),
        "has_two_factor": two_factor.has_two_factor(subject), "is_self": subject.pk == request.user.pk,
        "approval": actions.waiting_approval(subject)})


@require_POST
@admin_only
def approve_role(request: HttpRequest, pk: int) -> HttpResponse:
    """A second administrator approves the role: the temporary password is shown to them, once."""
    subject = get_object_or_404(User, pk=pk)
    password = temporary_password()
    try:
        actions.approve_role(request.user, subject, password)
    except actions.AccountError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:user", pk=pk)
    return render(request, "accounts/user_created.html", {"subject": subject, "password": password,
                                                          "approved": True})


@require_POST
@admin_only
def refuse_role(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User, pk=pk)
    try:
        actions.refuse_role(request.user, subject)
    except actions.AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The role has been refused and the account deactivated.")
    return redirect("accounts:user", pk=pk)


def _change_user(request: HttpRequest, pk: int, change: Callable[[Any, User], object], done: str, *,
                 applies: Callable[[User], bool] = lambda subject: True, not_to_self: str = "") -> HttpResponse:
    """A change to another user's account from their page: made through `change` (which audits) when it
    `applies`, said in `done`, and refused with `not_to_self` when that is set and the user is the administrator
    themselves. Back to the user's page either way."""
    subject = get_object_or_404(User, pk=pk)
    if not_to_self and subject.pk == request.user.pk:
        messages.error(request, not_to_self)
    elif applies(subject):
        change(request.user, subject)
        messages.success(request, done)
    return redirect("accounts:user", pk=pk)


@require_POST
@admin_only
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_user(request, pk, actions.deactivate_user,
                        "The user has been deactivated and signed out everywhere. Their records stay.",
                        applies=lambda subject: subject.is_active,
                        not_to_self="You cannot deactivate your own account: ask another administrator")


@require_POST
@admin_only
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_user(request, pk, actions.reactivate_user, "The user has been reactivated and can sign in again.",
                        applies=lambda subject: not subject.is_active)


@require_POST
@admin_only
def reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_user(request, pk, actions.reset_two_factor,
                        "Two-factor has been reset and the user signed out everywhere: they will set up a new "
                        "authenticator app when they next sign in.")


@require_POST
@admin_only
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    return _change_user(request, pk, actions.unlock_user, "The user has been unlocked and can try to sign in again.")
