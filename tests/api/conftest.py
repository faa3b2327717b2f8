"""A small world for API tests: one delivery unit with two teams, users for each role, a case on team A."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient

from safeguard.accounts.models import Profile
from safeguard.api.tokens import create_token
from safeguard.cases.models import Case
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

GENEROUS = {"anon": "100000/hour", "user": "100000/hour", "write": "100000/hour"}


@pytest.fixture(autouse=True)
def _fresh_throttles(settings: Any) -> None:
    """Throttle counters live in the cache: start every test clean, with limits no test reaches by accident."""
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": GENEROUS}
    # The local receivers are on 127.0.0.1 over http: allowed here only (SAFEGUARD_WEBHOOK_ALLOW_PRIVATE=1).
    settings.SAFEGUARD_WEBHOOKS = {**settings.SAFEGUARD_WEBHOOKS, "allow_private": True}


@dataclass
class World:
    unit: DeliveryUnit
    team_a: Team
    team_b: Team
    case: Case
    other_case: Case
    users: dict[str, User]

    def client(self, who: str | None = None, *, scopes: tuple[str, ...] = (), csrf: bool = False) -> APIClient:
        """A client signed in as `who` (a session), or, with `scopes`, using a bearer token for `who`."""
        client = APIClient(enforce_csrf_checks=csrf)
        if who is not None and scopes:
            _, secret = create_token(self.users[who], scopes, name=f"test {who}")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        elif who is not None:
            client.force_login(self.users[who])
        return client


def make_user(username: str, role: str, unit: DeliveryUnit | None, staff: Staff | None = None) -> User:
    user = User.objects.create_user(username, email=f"{username}@probation.example")
    Profile.objects.create(user=user, role=role, unit=unit)
    if staff is not None:
        staff.user = user
        staff.save(update_fields=["user"])
    return user


def import_case(doc: dict[str, Any]) -> Case:
    return import_timeline(validate_document(doc, "test.json"), evaluate_each=True)


@pytest.fixture
def world(db: Any, timeline_doc: dict[str, Any]) -> World:
    region = Region.objects.create(name="North")
    unit = DeliveryUnit.objects.create(name="North City", region=region)
    team_a = Team.objects.create(name="Team A", unit=unit)
    team_b = Team.objects.create(name="Team B", unit=unit)
    p1 = Staff.objects.create(code="P1", grade="PSO", team=team_a)
    s1 = Staff.objects.create(code="S1", grade="SPO", team=team_a, qualified_on="2009-09-01", da_trained=True)
    p2 = Staff.objects.create(code="P2", grade="PO", team=team_b, da_trained=True)
    users = {
        "pp": make_user("pp", "practitioner", unit, p1),
        "spo": make_user("spo", "spo", unit, s1),
        "other": make_user("other", "practitioner", unit, p2),
        "qa": make_user("qa", "qa", unit),
        "police": make_user("police", "police", unit),
        "csc": make_user("csc", "csc", unit),
        "admin": make_user("admin", "admin", None),
    }
    other = copy.deepcopy(timeline_doc)
    case = import_case(timeline_doc)
    other["case"]["ref"] = "X900002"
    other["staff"].append({"ref": "P2", "grade": "PO", "qualified_on": None, "da_trained": True})
    other["events"][2]["practitioner"] = "P2"
    other["events"][3]["agency"] = "childrens_services"  # a request to children's services, not the police
    other["events"][4]["agency"] = "childrens_services"
    other["events"] = other["events"][:4]  # the request is still open
    other_case = import_case(other)
    return World(unit=unit, team_a=team_a, team_b=team_b, case=case, other_case=other_case, users=users)
