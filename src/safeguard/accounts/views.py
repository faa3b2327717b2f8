"""The second step of signing in, setting up two-factor, and "Your account"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp import login as otp_login

from safeguard.accounts import actions, two_factor
from safeguard.accounts.forms import ChangePasswordForm, CodeForm, PasswordForm
from safeguard.accounts.middleware import is_verified, two_factor_required
from safeguard.audit.log import write_audit


def safe_next(request: HttpRequest, fallback: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    from django.urls import reverse

    return reverse(fallback)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password: the code from the authenticator app, or a recovery code."""
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:two-factor-setup")
    if is_verified(request):
        return redirect(safe_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(request.user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            write_audit("account.two_factor_verified", request=request, object_type="user",
                        object_id=str(request.user.pk), detail={"method": two_factor.method_of(device)})
            if two_factor.method_of(device) == "recovery_code":
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(request, f"You used a recovery code. You have {left} left: set up new ones from "
                                          "Your account if you are running out.")
            return redirect(safe_next(request))
        write_audit("account.two_factor_failed", request=request, object_type="user",
                    object_id=str(request.user.pk))
        form.add_error("code", "The code is not correct or has expired: enter the current code from your "
                               "authenticator app, or an unused recovery code")
    return render(request, "accounts/verify.html", {"form": form, "next": safe_next(request)})


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: scan the QR code (or type the key), then enter a code to confirm.
    Once confirmed the recovery codes are shown, once only."""
    if two_factor.has_two_factor(request.user):
        return redirect("accounts:account" if is_verified(request) else "accounts:two-factor-verify")
    device = two_factor.pending_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.confirm(request.user, device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            write_audit("account.two_factor_set_up", request=request, object_type="user",
                        object_id=str(request.user.pk))
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": safe_next(request)})
        form.add_error("code", "The code is not correct: enter the 6-digit code your authenticator app shows now")
    return render(request, "accounts/setup.html", {"form": form, "qr": two_factor.qr_svg(device),
                                                   "secret": two_factor.secret_in_groups(device),
                                                   "next": safe_next(request)})


@require_safe
@never_cache
@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", _account_context(request))


def _account_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    user = request.user
    return {"has_two_factor": two_factor.has_two_factor(user),
            "recovery_left": two_factor.recovery_codes_left(user),
            "two_factor_on": two_factor_required(),
            "password_form": extra.get("password_form") or ChangePasswordForm(user),
            "reset_form": extra.get("reset_form") or PasswordForm(user),
            "codes_form": extra.get("codes_form") or PasswordForm(user, prefix="codes")}


@require_POST
@never_cache
@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    form = ChangePasswordForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", _account_context(request, password_form=form), status=400)
    actions.change_password(request.user, form.cleaned_data["new_password1"])
    update_session_auth_hash(request, form.user)  # keeps this session; every other one is signed out
    messages.success(request, "Your password has been changed. Any other sessions you had have been signed out.")
    return redirect("accounts:account")


@require_POST
@never_cache
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    actions.sign_out_everywhere(request.user)
    logout(request)
    return redirect("/sign-in/?everywhere=1")


@require_POST
@never_cache
@login_required
def reset_two_factor(request: HttpRequest) -> HttpResponse:
    """For a new phone: asks for the password, removes the authenticator and signs out everywhere; the next
    sign-in sets up the new one."""
    form = PasswordForm(request.user, request.POST)
    if not form.is_valid():
        return render(request, "accounts/account.html", _account_context(request, reset_form=form), status=400)
    actions.reset_two_factor(request.user, form.user)
    logout(request)
    return redirect("/sign-in/?two_factor_reset=1")


@require_POST
@never_cache
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    form = PasswordForm(request.user, request.POST, prefix="codes")
    if not two_factor.has_two_factor(request.user):
        return redirect("accounts:account")
    if not form.is_valid():
        return render(request, "accounts/account.html", _account_context(request, codes_form=form), status=400)
    codes = two_factor.new_recovery_codes(request.user)
    write_audit("account.recovery_codes_renewed", request=request, object_type="user",
                object_id=str(request.user.pk))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": "/account/"})
