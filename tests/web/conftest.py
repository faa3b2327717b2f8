"""Fixtures for the page tests (Django test client): the team, its users and a few cases."""

from __future__ import annotations

import pytest
from django.test import Client
from web_scenarios import (
    PASSWORD,
    Org,
    countersign_case,
    make_org,
    outsider_case,
    overdue_police_check_case,
    settled_case,
)

from safeguard.cases.models import Case


@pytest.fixture
def org(db: None) -> Org:
    return make_org()


@pytest.fixture
def police_case(org: Org) -> Case:
    return overdue_police_check_case()


@pytest.fixture
def settled(org: Org) -> Case:
    return settled_case()


@pytest.fixture
def countersign(org: Org) -> Case:
    return countersign_case()


@pytest.fixture
def other_case(org: Org) -> Case:
    return outsider_case()


def signed_in(user: object) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


@pytest.fixture
def priya(org: Org) -> Client:
    return signed_in(org.practitioner)


@pytest.fixture
def mo(org: Org) -> Client:
    return signed_in(org.spo)


@pytest.fixture
def olu(org: Org) -> Client:
    return signed_in(org.outsider)
