"""How other systems prove who they are: a bearer token. (The web app's own calls use DRF's SessionAuthentication,
which enforces CSRF on unsafe methods like the web pages.)"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from safeguard.api.models import ApiToken
from safeguard.api.tokens import find_token


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer sgt_…`. A revoked, expired or unknown token is refused (401), never ignored."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != self.keyword.lower():
            return None
        secret = secret.strip()
        if not secret or " " in secret:
            raise exceptions.AuthenticationFailed("Malformed bearer token.")
        token = find_token(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("Unknown, revoked or expired token.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="safeguard"'

