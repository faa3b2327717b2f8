"""Administrators manage users, not cases: list, create, deactivate, reactivate; each action audited."""

from __future__ import annotations

import re
from typing import Any

import pytest
from account_helpers import admin_client, sign_in
from django.contrib.auth.models import User
from django.test import Client
from web_scenarios import PASSWORD, Org, outsider_case, settled_case

from safeguard.accounts import actions
from safeguard.accounts.models import Profile, RoleApproval
from safeguard.audit.models import AuditEntry
from safeguard.workforce.models import DeliveryUnit, Staff
from sign_ins import make_user

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


def _temporary_password(text: str) -> str | None:
    found = re.search(r'data-testid="temporary-password"><code>([^<]+)</code>', text)
    return found.group(1) if found else None


def test_creating_a_user_with_a_role_and_unit(org: Org, admin: Any) -> None:
    unit = DeliveryUnit.objects.get(name="North City")
    response = admin_client(admin).post("/users/new/", {
        "username": "n.starter", "first_name": "New", "last_name": "Starter", "email": "",
        "role": "head", "unit": unit.pk})
    assert response.status_code == 200
    password = _temporary_password(response.content.decode())
    assert password is not None
    user = User.objects.get(username="n.starter")
    assert user.profile.role == "head" and user.profile.unit == unit
    assert user.password.startswith("argon2$")
    assert sign_in(Client(), "n.starter", password).status_code == 302
    entry = AuditEntry.objects.get(action="user.created")
    assert entry.user_id == admin.pk and entry.object_id == str(user.pk)
    assert entry.detail["role"] == "head" and entry.detail["unit"] == unit.pk
    assert password not in str(entry.detail) and "n.starter" not in str(entry.detail)
    assert not AuditEntry.objects.filter(action="user.role_requested").exists()


@pytest.mark.parametrize("role", ["victim_worker", "practitioner"])
def test_a_role_that_reads_victims_records_needs_a_second_administrators_approval(
        org: Org, admin: Any, role: str) -> None:
    """Red team, issue 33 finding 7: an administrator made themselves a victim worker (added an account and signed
    in with its temporary password). Now the account has no password until another administrator approves."""
    unit = DeliveryUnit.objects.get(name="North City")
    staff = Staff.objects.create(code="P77", name="New Starter", grade="PO") if role == "practitioner" else None
    ada = admin_client(admin)
    response = ada.post("/users/new/", {"username": "n.starter", "first_name": "New", "last_name": "Starter",
                                        "email": "", "role": role, "unit": unit.pk, "staff": staff.pk if staff else ""})
    text = response.content.decode()
    assert response.status_code == 200 and _temporary_password(text) is None
    assert 'data-testid="waiting-approval"' in text
    user = User.objects.get(username="n.starter")
    assert user.profile.role == role and not user.has_usable_password()
    assert sign_in(Client(), "n.starter", "").status_code == 200  # nobody can sign in to it yet
    requested = AuditEntry.objects.get(action="user.role_requested")
    assert requested.user_id == admin.pk and requested.object_id == str(user.pk) and requested.detail["role"] == role
    # The administrator who asked cannot approve it, on the page or through the action.
    refused = ada.post(f"/users/{user.pk}/approve-role/", follow=True).content.decode()
    assert "another administrator must approve the role" in refused and _temporary_password(refused) is None
    with pytest.raises(actions.AccountError):
        actions.approve_role(admin, user, "a-temporary-password-1")
    user.refresh_from_db()
    assert not user.has_usable_password() and not AuditEntry.objects.filter(action="user.role_approved").exists()
    # A second administrator approves: they are shown the temporary password, and the person can sign in.
    bea = make_user("bea", "admin", None, None)
    approved = admin_client(bea).post(f"/users/{user.pk}/approve-role/")
    password = _temporary_password(approved.content.decode())
    assert approved.status_code == 200 and password is not None
    assert sign_in(Client(), "n.starter", password).status_code == 302
    entry = AuditEntry.objects.get(action="user.role_approved")
    assert entry.user_id == bea.pk and entry.object_id == str(user.pk) and entry.detail["role"] == role
    assert RoleApproval.objects.get(subject=user).decided_by == bea
    again = admin_client(bea).post(f"/users/{user.pk}/approve-role/", follow=True).content.decode()
    assert "no role waiting for approval" in again


def test_a_role_is_never_decided_for_ones_own_account_and_a_refusal_deactivates(org: Org, admin: Any) -> None:
    bea = make_user("bea", "admin", None, None)
    mine = RoleApproval.objects.create(subject=admin, role="victim_worker", requested_by=bea)
    for decide in (lambda: actions.approve_role(admin, admin, "a-temporary-password-1"),
                   lambda: actions.refuse_role(admin, admin)):
        with pytest.raises(actions.AccountError, match="your own account"):
            decide()
    mine.refresh_from_db()
    assert mine.approved is None
    other = User.objects.create_user("v.worker")
    other.set_unusable_password()
    other.save()
    Profile.objects.create(user=other, role="victim_worker", unit=DeliveryUnit.objects.get(name="North City"))
    RoleApproval.objects.create(subject=other, role="victim_worker", requested_by=bea)
    assert admin_client(admin).post(f"/users/{other.pk}/refuse-role/").status_code == 302
    other.refresh_from_db()
    assert not other.is_active and not other.has_usable_password()
    assert AuditEntry.objects.get(action="user.role_refused").user_id == admin.pk


def test_an_integration_account_has_no_password_and_never_signs_in_on_the_web(org: Org, admin: Any) -> None:
    """Red team, issue 33 finding 7: integration accounts got a web password and read every case page."""
    unit = DeliveryUnit.objects.get(name="North City")
    response = admin_client(admin).post("/users/new/", {"username": "ndelius", "first_name": "nDelius",
                                                        "last_name": "North", "email": "", "role": "integration",
                                                        "unit": unit.pk})
    text = response.content.decode()
    assert response.status_code == 200 and _temporary_password(text) is None and 'data-testid="no-password"' in text
    system = User.objects.get(username="ndelius")
    assert not system.has_usable_password()
    with pytest.raises(actions.AccountError):
        actions.change_password(system, "a-long-enough-password-1")
    with pytest.raises(actions.AccountError):
        actions.create_user(admin, username="ndelius2", first_name="n", last_name="d", email="", role="integration",
                            unit=unit, staff=None, password="a-long-enough-password-1")
    # Even with a password put in the database behind the application's back, the sign-in page refuses it.
    system.set_password(PASSWORD)
    system.save()
    client = Client()
    refused = sign_in(client, "ndelius")
    assert refused.status_code == 200 and "Enter a correct username and password" in refused.content.decode()
    assert client.get(f"/cases/{settled_case().ref}/").status_code in {302, 404}


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
    assert created.status_code == 200  # a practitioner's role waits for a second administrator (finding 7)
    approved = admin_client(make_user("bea", "admin", None, None)).post(
        f"/users/{User.objects.get(username='t.porary').pk}/approve-role/")
    found = re.search(r'data-testid="temporary-password"><code>([^<]+)</code>', approved.content.decode())
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
