"""Scoped API tokens: stored hashed, shown once, revocable, expiring, with last-used times; and their CLI."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from safeguard.api.models import ApiToken
from safeguard.api.tokens import TokenError, create_token, revoke_token
from safeguard.audit.models import AuditEntry
from safeguard.cli import main

pytestmark = pytest.mark.django_db


def bearer(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_only_the_sha256_of_a_token_is_stored(world: Any) -> None:
    token, secret = create_token(world.users["pp"], ["read"], name="case system")
    assert secret.startswith("sgt_") and len(secret) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert all(secret not in str(value) for value in stored.values())
    assert stored["prefix"] == secret[:12]


def test_a_token_records_when_it_was_last_used(world: Any) -> None:
    token, secret = create_token(world.users["pp"], ["read"])
    assert token.last_used_at is None
    assert bearer(secret).get("/api/v1/cases/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < timedelta(seconds=5)


def test_revoked_expired_and_inactive_users_tokens_are_refused(world: Any) -> None:
    token, secret = create_token(world.users["pp"], ["read"])
    client = bearer(secret)
    assert client.get("/api/v1/cases/").status_code == 200
    revoke_token(token)
    assert client.get("/api/v1/cases/").status_code == 401
    assert AuditEntry.objects.filter(action="api.token_revoked", object_id=str(token.pk)).exists()
    expired, secret = create_token(world.users["pp"], ["read"], expires_at=timezone.now() - timedelta(seconds=1))
    assert bearer(secret).get("/api/v1/cases/").status_code == 401
    _, secret = create_token(world.users["other"], ["read"])
    world.users["other"].is_active = False
    world.users["other"].save()
    assert bearer(secret).get("/api/v1/cases/").status_code == 401


def test_scopes_must_be_known(world: Any) -> None:
    with pytest.raises(TokenError):
        create_token(world.users["pp"], ["admin"])
    with pytest.raises(TokenError):
        create_token(world.users["pp"], [])


def test_the_token_cli_creates_lists_and_revokes(world: Any, capsys: Any) -> None:
    assert main(["token", "create", "--user", "pp", "--scope", "read,write_events", "--name", "nDelius",
                 "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["scopes"] == ["read", "write_events"]
    assert bearer(created["token"]).get("/api/v1/cases/").status_code == 200
    assert main(["token", "list", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["id"] == created["id"] and listed["name"] == "nDelius" and listed["last_used_at"]
    assert created["token"] not in json.dumps(listed)
    assert main(["token", "revoke", str(created["id"])]) == 0
    assert bearer(created["token"]).get("/api/v1/cases/").status_code == 401
    assert main(["token", "create", "--user", "nobody", "--scope", "read"]) == 2
    assert main(["token", "create", "--user", "pp", "--scope", "root"]) == 2
