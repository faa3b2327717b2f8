"""Lockout after repeated failed sign-ins (django-axes), counted per username.

Counting by username (not by address) stops password guessing against one account from many addresses. A
username that does not exist is counted and locked exactly like one that does, so the lockout page never tells
anyone whether an account exists. An administrator can lift a lockout early (safeguard.accounts.admin_views).
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safeguard.audit.context import client_ip


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a sign-in for a locked-out username before the password is checked.

    A call to authenticate() without a request is not a sign-in from the web (Django's test client, a shell):
    there is no one to lock out, so it is left to the next backend. Every sign-in form passes the request."""

    def authenticate(self, request: Any, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip_for_axes(request: HttpRequest) -> str:
    """The same client address the audit log records (SAFEGUARD_PROXY_HOPS), so both tell one story."""
    return client_ip(request) or ""


def retry_minutes() -> int:
    cool_off = get_cool_off()
    return max(1, int(cool_off.total_seconds() // 60)) if cool_off else 0


def lockout_message() -> str:
    minutes = retry_minutes()
    return (f"There have been too many failed attempts to sign in with this username. Wait {minutes} minutes "
            "and try again, or ask your administrator to unlock your account.")


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The sign-in page again, with what happened and when to try again (HTTP 429). The same words whether or
    not the username exists."""
    from safeguard.audit.log import write_audit

    write_audit("account.locked_out", request=request)
    from safeguard.web.views.auth import SignInForm

    form = SignInForm(request)
    return render(request, "web/sign_in.html", {"form": form, "lockout": lockout_message(), "next": ""},
                  status=429)


def locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these usernames are locked out now (for the administrator's user list)."""
    if not usernames:
        return set()
    attempts = AccessAttempt.objects.filter(username__in=usernames,
                                            failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(Q(attempt_time__gte=timezone.now() - cool_off))
    return {a.username for a in attempts if a.username}
