"""Sessions: expiry after inactivity (sliding), a maximum length, sign-out everywhere, changing the password."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from account_helpers import sign_in
from django.contrib.auth.models import User
from django.test import Client
from web_scenarios import PASSWORD, Org

from safeguard.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_a_session_ends_after_30_minutes_without_a_request(org: Org) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        sign_in(client, "priya")
        assert client.get("/caseload/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/caseload/")
        assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_each_request_renews_the_inactivity_time(org: Org) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        sign_in(client, "priya")
        for _ in range(4):
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/caseload/").status_code == 200


def test_a_session_ends_after_the_maximum_length_however_busy(org: Org) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        sign_in(client, "priya")
        for _ in range(29):  # 9 h 40 min of requests every 20 minutes
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/caseload/").status_code == 200
        clock.shift(dt.timedelta(minutes=21))
        response = client.get("/caseload/")
        assert response.status_code == 302 and "ended=1" in response["Location"]


def test_sign_out_everywhere_ends_every_session_of_that_user_only(org: Org) -> None:
    laptop, phone, colleague = Client(), Client(), Client()
    sign_in(laptop, "priya")
    sign_in(phone, "priya")
    sign_in(colleague, "mo")
    response = laptop.post("/account/sign-out-everywhere/")
    assert response.status_code == 302 and "everywhere=1" in response["Location"]
    for client in (laptop, phone):
        after = client.get("/caseload/")
        assert after.status_code == 302 and after["Location"].startswith("/sign-in/")
    assert phone.get("/api/v1/cases/").status_code in {401, 403}
    assert colleague.get("/caseload/").status_code == 200
    entry = AuditEntry.objects.get(action="account.signed_out_everywhere")
    assert entry.user_id == User.objects.get(username="priya").pk
    # Signing in again works, on any device.
    sign_in(phone, "priya")
    assert phone.get("/caseload/").status_code == 200


def test_sign_out_everywhere_needs_a_post(org: Org) -> None:
    client = Client()
    sign_in(client, "priya")
    assert client.get("/account/sign-out-everywhere/").status_code == 405
    assert client.get("/caseload/").status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(org: Org) -> None:
    here, elsewhere = Client(), Client()
    sign_in(here, "priya")
    sign_in(elsewhere, "priya")
    new = "a-new-long-password-for-priya"
    response = here.post("/account/password/", {"old_password": PASSWORD, "new_password1": new,
                                                "new_password2": new})
    assert response.status_code == 302
    assert here.get("/account/").status_code == 200
    assert elsewhere.get("/caseload/").status_code == 302
    assert User.objects.get(username="priya").check_password(new)
    assert AuditEntry.objects.filter(action="account.password_changed").count() == 1


def test_a_bad_password_change_says_what_is_wrong_and_changes_nothing(org: Org) -> None:
    client = Client()
    sign_in(client, "priya")
    response = client.post("/account/password/", {"old_password": "wrong", "new_password1": "short",
                                                  "new_password2": "other"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Your current password is not correct" in text
    assert 'href="#id_old_password"' in text
    assert User.objects.get(username="priya").check_password(PASSWORD)
