"""What a signed-in session carries, and ending sessions: sign-out everywhere, deactivation, expiry."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import F
from django.dispatch import receiver
from django.http import HttpRequest

GENERATION_KEY = "safeguard_generation"
SIGNED_IN_AT_KEY = "safeguard_signed_in_at"


def generation_of(user: Any) -> int:
    profile = getattr(user, "profile", None)
    return profile.session_generation if profile is not None else 0


@receiver(user_logged_in, dispatch_uid="safeguard.accounts.sessions.remember_generation")
def remember_generation(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Every sign-in, however it happens (the form, the test client), records the user's session generation
    and when the session began."""
    if request is not None and hasattr(request, "session"):
        request.session[GENERATION_KEY] = generation_of(user)
        request.session[SIGNED_IN_AT_KEY] = int(time.time())


def end_all_sessions(user: Any) -> None:
    """Ends every session the user has, on every device: the next request from any of them is signed out."""
    from safeguard.accounts.models import Profile

    with transaction.atomic():
        Profile.objects.filter(user=user).update(session_generation=F("session_generation") + 1)
    profile = getattr(user, "profile", None)
    if profile is not None:
        profile.refresh_from_db(fields=["session_generation"])


def session_is_current(request: HttpRequest) -> bool:
    """False when the session belongs to an older generation (signed out everywhere) or is older than
    SAFEGUARD_SESSION_MAX_HOURS. Inactivity is handled by the session's own expiry (SESSION_COOKIE_AGE)."""
    session = request.session
    if session.get(GENERATION_KEY, 0) != generation_of(request.user):
        return False
    started = session.get(SIGNED_IN_AT_KEY)
    limit = settings.SAFEGUARD_SESSION_MAX_HOURS * 3600
    return not (isinstance(started, int) and time.time() - started > limit)
