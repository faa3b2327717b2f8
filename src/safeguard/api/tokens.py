"""Creating, checking and revoking API tokens. A token is `sgt_` plus 43 random URL-safe characters; the
database keeps only its SHA-256, so a stolen database does not give working tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.api.models import SCOPES, ApiToken
from safeguard.audit.log import write_audit

TOKEN_PREFIX = "sgt_"
LAST_USED_GRANULARITY = timedelta(seconds=60)  # write last_used_at at most once a minute per token


class TokenError(ValueError):
    pass


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(user: Any, scopes: Iterable[str], *, name: str = "", expires_at: datetime | None = None,
                 by: Any = None) -> tuple[ApiToken, str]:
    """A new token for `user` with `scopes`. Returns the stored record and the secret (shown once, never again)."""
    wanted = sorted(set(scopes))
    unknown = [s for s in wanted if s not in SCOPES]
    if not wanted or unknown:
        raise TokenError(f"scopes must be one or more of {', '.join(SCOPES)}; got {', '.join(unknown) or 'none'}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:12], digest=digest(secret), scopes=wanted,
                                    expires_at=expires_at)
    write_audit("api.token_created", user=by, object_type="api_token", object_id=str(token.pk),
                detail={"scope": wanted})
    return token, secret


def revoke_token(token: ApiToken, *, by: Any = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        write_audit("api.token_revoked", user=by, object_type="api_token", object_id=str(token.pk))


def find_token(secret: str) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, its user active), marking it used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    now = timezone.now()
    if token is None or token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
