"""Administrators manage users, not cases: list, create, deactivate, reactivate; each action audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from account_helpers import admin_client, sign_in
from django.contrib.auth.models import User
from django.test import Client
from web_scenarios import Org, outsider_case, settled_case

from safeguard.accounts.models import Profile
from safeguard.audit.models import AuditEntry
from safeguard.workforce.models import DeliveryUnit, Staff

pytestmark = pytest.mark.django_db


def test_the_user_list_is_for_administrators_only(org: Org, admin: Any) -> None:
    page = admin_client(admin).get("/users/")
    assert page.status_code == 200
    assert 'data-user="priya"' in page.content.decode()
    for name in ("priya", "mo"):
        client = Client()
        sign_in(client, name)
        assert client.get("/users/").status_code == 404
        assert client.get(f"/users/{admin.pk}/").status_code == 404
        assert client.post(f"/users/{admin.pk}/deactivate/").status_code == 404
    assert User.objects.get(pk=admin.pk).is_active


def test_an_administrator_signs_in_to_the_user_list(org: Org, admin: Any) -> None:
    response = sign_in(Client(), "ada")
    assert response["Location"] == "/users/"


def test_administrators_cannot_reach_case_pages(org: Org, admin: Any) -> None:
    cases = [settled_case(), outsider_case()]
    client = admin_client(admin)
    caseload = client.get("/caseload/").content.decode()
    for case in cases:
        assert case.ref not in caseload
        assert client.get(f"/cases/{case.ref}/").status_code == 404
        assert client.get(f"/cases/{case.ref}/record/").status_code == 404
        assert client.get(f"/api/v1/cases/{case.ref}/").status_code in {403, 404}


def test_creating_a_user_with_a_role_and_unit(org: Org, admin: Any) -> None:
    unit = DeliveryUnit.objects.get(name="North City")
    staff = Staff.objects.create(code="P77", name="New Starter", grade="PO")
    response = admin_client(admin).post("/users/new/", {
        "username": "n.starter", "first_name": "New", "last_name": "Starter", "email": "",
        "role": "practitioner", "unit": unit.pk, "staff": staff.pk})
    assert response.status_code == 200
    text = response.content.decode()
    password = re.search(r'data-testid="temporary-password"><code>([^<]+)</code>', text)
    assert password is not None
    user = User.objects.get(username="n.starter")
    assert user.profile.role == "practitioner" and user.profile.unit == unit
    staff.refresh_from_db()
    assert staff.user == user
    assert user.password.startswith("argon2$")
    assert sign_in(Client(), "n.starter", password.group(1)).status_code == 302
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.user_id == admin.pk and entry.object_id == str(user.pk)
    assert entry.detail["role"] == "practitioner" and entry.detail["unit"] == unit.pk
    assert password.group(1) not in str(entry.detail) and "n.starter" not in str(entry.detail)


@pytest.mark.parametrize(("data", "message"), [
    ({"username": "priya", "role": "head"}, "A user with this username already exists"),
    ({"username": "Bad Name!", "role": "head"}, "Username must be 3 to 40 lower-case letters"),
    ({"username": "x.one", "role": "head", "unit": ""}, "Select the delivery unit"),
    ({"username": "x.two", "role": "practitioner"}, "Select the staff record"),
    ({"username": "x.three", "role": "wizard"}, "Select one of the roles"),
])
def test_a_bad_new_user_says_what_is_wrong_and_creates_nothing(org: Org, admin: Any, data: dict[str, Any],
                                                                message: str) -> None:
    unit = DeliveryUnit.objects.get(name="North City")
    before = User.objects.count()
    form = {"first_name": "A", "last_name": "B", "email": "", "unit": unit.pk, "staff": "", **data}
    response = admin_client(admin).post("/users/new/", form)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    assert User.objects.count() == before
    assert not AuditEntry.objects.filter(action="user.created").exists()


def test_deactivating_a_user_signs_them_out_and_keeps_the_record(org: Org, admin: Any) -> None:
    priya_client = Client()
    sign_in(priya_client, "priya")
    priya = User.objects.get(username="priya")
    client = admin_client(admin)
    assert client.post(f"/users/{priya.pk}/deactivate/").status_code == 302
    priya.refresh_from_db()
    assert not priya.is_active
    assert Profile.objects.filter(user=priya).exists() and Staff.objects.filter(user=priya).exists()
    assert priya_client.get("/caseload/").status_code == 302
    refused = sign_in(Client(), "priya")
    assert refused.status_code == 200 and "Enter a correct username and password" in refused.content.decode()
    assert AuditEntry.objects.filter(action="user.deactivated", object_id=str(priya.pk), user=admin).exists()
    assert client.post(f"/users/{priya.pk}/reactivate/").status_code == 302
    assert sign_in(Client(), "priya").status_code == 302
    assert AuditEntry.objects.filter(action="user.reactivated", object_id=str(priya.pk)).exists()


def test_an_administrator_cannot_deactivate_themselves(org: Org, admin: Any) -> None:
    client = admin_client(admin)
    client.post(f"/users/{admin.pk}/deactivate/")
    assert User.objects.get(pk=admin.pk).is_active


def test_user_actions_need_a_post(org: Org, admin: Any) -> None:
    priya = User.objects.get(username="priya")
    client = admin_client(admin)
    for action in ("deactivate", "reactivate", "reset-two-factor", "unlock"):
        assert client.get(f"/users/{priya.pk}/{action}/").status_code == 405
    assert User.objects.get(pk=priya.pk).is_active


def test_a_temporary_password_must_be_changed_before_any_page(org: Org, admin: Any) -> None:
    """Issue 33, finding 10: the password an administrator sets is temporary: signed in with it, the user reaches
    nothing but the account page (pages redirect there, the API answers 403) until they choose their own."""
    unit = DeliveryUnit.objects.get(name="North City")
    staff = Staff.objects.create(code="P78", name="Tem Porary", grade="PO")
    created = admin_client(admin).post("/users/new/", {
        "username": "t.porary", "first_name": "Tem", "last_name": "Porary", "email": "",
        "role": "practitioner", "unit": unit.pk, "staff": staff.pk})
    found = re.search(r'data-testid="temporary-password"><code>([^<]+)</code>', created.content.decode())
    assert found is not None
    temporary = found.group(1)
    assert User.objects.get(username="t.porary").profile.must_change_password

    client = Client()
    assert sign_in(client, "t.porary", temporary).status_code == 302
    for path in ("/caseload/", f"/cases/{settled_case().ref}/", "/agencies/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/account/#password", path
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403 and "choose a new password" in api.json()["detail"]
    account = client.get("/account/")
    assert account.status_code == 200 and 'data-testid="must-change-password"' in account.content.decode()

    weak = client.post("/account/password/", {"old_password": temporary, "new_password1": "Password1234",
                                              "new_password2": "Password1234"})
    assert weak.status_code == 400 and "Enter a password that is harder to guess" in weak.content.decode()
    assert client.get("/caseload/").status_code == 302

    mine = "lantern orbit cactus meadow"
    changed = client.post("/account/password/", {"old_password": temporary, "new_password1": mine,
                                                 "new_password2": mine})
    assert changed.status_code == 302
    assert not User.objects.get(username="t.porary").profile.must_change_password
    assert client.get("/caseload/").status_code == 200
