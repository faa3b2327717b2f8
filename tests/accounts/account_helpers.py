"""Helpers for the account tests: signing in through the form, as a person does."""

from __future__ import annotations

from typing import Any

from django.test import Client
from web_scenarios import PASSWORD


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra: Any) -> Any:
    """Signs in through the sign-in form, as a person does (the lockout needs a request)."""
    return client.post("/sign-in/", {"username": username, "password": password}, **extra)


def admin_client(admin: Any) -> Client:
    client = Client()
    response = sign_in(client, admin.username)
    assert response.status_code == 302, response.content[:500]
    return client
