"""Argon2 password hashes, and lockout after repeated failed sign-ins (django-axes)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from account_helpers import admin_client, sign_in
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.test import Client
from web_scenarios import PASSWORD, Org

from safeguard.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
LIMIT = 5


def test_new_passwords_are_hashed_with_argon2(org: Org) -> None:
    assert User.objects.get(username="priya").password.startswith("argon2$")


def test_an_older_hash_is_upgraded_to_argon2_at_sign_in(org: Org) -> None:
    User.objects.filter(username="priya").update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    assert sign_in(Client(), "priya").status_code == 302
    assert User.objects.get(username="priya").password.startswith("argon2$")


def fail(client: Client, username: str, times: int) -> list[int]:
    return [sign_in(client, username, "not-the-password").status_code for _ in range(times)]


def test_a_username_is_locked_out_after_repeated_failures_even_with_the_right_password(org: Org) -> None:
    client = Client()
    assert fail(client, "priya", LIMIT - 1) == [200] * (LIMIT - 1)
    locked = sign_in(client, "priya", "not-the-password")
    assert locked.status_code == 429
    response = sign_in(client, "priya")  # the right password, now refused
    assert response.status_code == 429
    text = response.content.decode()
    assert "too many failed attempts" in text and "Wait 15 minutes" in text
    assert "_auth_user_id" not in client.session
    assert client.get("/caseload/").status_code == 302
    assert AuditEntry.objects.filter(action="account.locked_out").exists()


def test_the_lockout_page_is_the_same_whether_or_not_the_user_exists(org: Org) -> None:
    def locked_page(username: str) -> str:
        client = Client()
        fail(client, username, LIMIT)
        response = sign_in(client, username)
        assert response.status_code == 429
        text = response.content.decode()
        page = text[text.index('data-testid="lockout"'):text.index("</form>")].replace(username, "USER")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert locked_page("priya") == locked_page("nobody-by-this-name")


def test_another_user_and_address_can_still_sign_in_while_one_username_is_locked(org: Org) -> None:
    fail(Client(), "priya", LIMIT)
    assert sign_in(Client(), "mo").status_code == 302
    # Counting by username: the locked user is locked from every address.
    assert sign_in(Client(REMOTE_ADDR="10.9.9.9"), "priya").status_code == 429


def test_the_lockout_ends_after_the_cool_off_time(org: Org) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        fail(Client(), "priya", LIMIT)
        assert sign_in(Client(), "priya").status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert sign_in(Client(), "priya").status_code == 302


def test_a_successful_sign_in_resets_the_count(org: Org) -> None:
    fail(Client(), "priya", LIMIT - 1)
    assert sign_in(Client(), "priya").status_code == 302
    fail(Client(), "priya", LIMIT - 1)
    assert sign_in(Client(), "priya").status_code == 302


def test_an_administrator_unlocks_a_locked_out_user(org: Org, admin: Any) -> None:
    fail(Client(), "priya", LIMIT)
    priya = User.objects.get(username="priya")
    client = admin_client(admin)
    page = client.get(f"/users/{priya.pk}/").content.decode()
    assert "Locked out" in page
    response = client.post(f"/users/{priya.pk}/unlock/")
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="priya").exists()
    assert sign_in(Client(), "priya").status_code == 302
    entry = AuditEntry.objects.get(action="user.unlocked")
    assert entry.user_id == admin.pk and entry.object_id == str(priya.pk)


def test_a_locked_out_user_gets_no_api_session(org: Org) -> None:
    client = Client()
    fail(client, "priya", LIMIT)
    sign_in(client, "priya")
    assert client.get("/api/v1/cases/").status_code in {401, 403}
    # Unlocked and signed in through the form, the same session works for the API.
    AccessAttempt.objects.all().delete()
    assert sign_in(client, "priya").status_code == 302
    assert client.get("/api/v1/cases/").status_code == 200
