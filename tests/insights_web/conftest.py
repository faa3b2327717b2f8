"""Fixtures for the insights pages, the case audit and the new-information panel: the web tests' team (tests/web),
plus a head of unit, quality assurance, a police user and a second region nobody here may see."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from django.test import Client  # noqa: E402
from insights_pages import People, make_people  # noqa: E402
from web_scenarios import PASSWORD  # noqa: E402


@pytest.fixture
def people(db: None) -> People:
    return make_people()


def signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def clients(people: People) -> dict[str, Client]:
    return {name: signed_in(user) for name, user in people.users.items()}
