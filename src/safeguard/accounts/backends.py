"""Password sign-in on the web: Django's ModelBackend, except that an API-only account (an integration account)
never signs in, even if a password were set for it in the database (issue 33, finding 7). It uses API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from safeguard.accounts.access import role_of
from safeguard.accounts.models import API_ONLY_ROLES


class WebSignInBackend(ModelBackend):
    def authenticate(self, request: Any, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and role_of(user) in API_ONLY_ROLES:
            return None
        return user
