"""Scopes narrow what a token may do. A session acts with the user's full role, decided in accounts.access."""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from safeguard.accounts.access import role_of
from safeguard.accounts.models import PARTNER_ROLES
from safeguard.api.models import ApiToken


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class HasScope(BasePermission):
    """The view names the scope a token needs: `read_scope` for safe methods, `write_scope` for the others."""

    message = "This token does not have the scope this request needs."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        token = token_of(request)
        if token is None or not hasattr(view, (request.method or "").lower()):
            return True  # a session acts with the user's role; a method the view lacks is a 405, not a 403
        scope = getattr(view, "read_scope", "read") if request.method in SAFE_METHODS \
            else getattr(view, "write_scope", None)
        if scope is None:
            return False
        if not token.has_scope(scope):
            self.message = f"This token does not have the '{scope}' scope this request needs."
            return False
        return True


class PartnerFence(BasePermission):
    """Partner-agency users, by session or token, see their queue and nothing else: every other endpoint (cases,
    events, obligations, victims' records, measures) answers 404, as if it did not exist for them. Views for
    partners set `partner_facing = True`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(view, "partner_facing", False):
            return True
        if role_of(request.user) in PARTNER_ROLES:
            raise NotFound()
        return True
