"""Checks on every request from a signed-in session: is it still current, and has the second factor been given.

Runs after django_otp's OTPMiddleware, which sets request.user.is_verified(). API requests made with a token
carry no session, so they pass untouched: a token is its own credential (safeguard.api.authentication).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from safeguard.accounts.sessions import session_is_current

# Paths a signed-in but not yet verified user may reach: signing in and out, the two-factor pages themselves,
# and the app's static files and health checks.
# Not the rest of /account/: resetting two-factor or renewing recovery codes needs the second factor first.
OPEN_PREFIXES = ("/sign-in/", "/sign-out/", "/account/two-factor/set-up/", "/account/two-factor/verify/",
                 "/static/", "/healthz", "/readyz", "/metrics")


# Paths a user with a temporary password (set by an administrator) may reach before choosing their own: the above,
# and the account page with its password form.
PASSWORD_CHANGE_PATHS = ("/account/", "/account/password/")
TEMPORARY_PASSWORD = ("Your password was set by an administrator: choose a new password under Your account before "
                      "you continue.")


def must_change_password(user: Any) -> bool:
    profile = getattr(user, "profile", None)
    return bool(getattr(profile, "must_change_password", False))


def two_factor_required() -> bool:
    return bool(getattr(settings, "SAFEGUARD_TWO_FACTOR", True))


def is_verified(request: HttpRequest) -> bool:
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not session_is_current(request):
            logout(request)
            if request.path.startswith("/api/"):
                return self.get_response(request)  # now anonymous: the API answers 401/403 itself
            return redirect(f"{reverse('login')}?{urlencode({'ended': '1'})}")
        if (user.is_authenticated and two_factor_required() and not is_verified(request)
                and not request.path.startswith(OPEN_PREFIXES)):
            return self._second_factor_needed(request)
        if (user.is_authenticated and must_change_password(user) and request.path not in PASSWORD_CHANGE_PATHS
                and not request.path.startswith(OPEN_PREFIXES)):
            return self._password_change_needed(request)
        return self.get_response(request)

    def _password_change_needed(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"type": "about:blank", "title": "Password change needed", "status": 403,
                                 "detail": TEMPORARY_PASSWORD}, status=403, content_type="application/problem+json")
        return redirect(reverse("accounts:account") + "#password")

    def _second_factor_needed(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"type": "about:blank", "title": "Two-factor verification needed", "status": 403,
                                 "detail": "Finish signing in with your authentication code before using the API "
                                           "from this session."},
                                status=403, content_type="application/problem+json")
        target = reverse("accounts:two-factor-verify")
        if request.method == "GET":
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return redirect(target)
