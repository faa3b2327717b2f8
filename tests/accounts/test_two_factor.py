"""Two-factor sign-in: setting up an authenticator, the second step, recovery codes, and what an unverified
session can reach. SAFEGUARD_TWO_FACTOR is on here (the rest of the suite turns it off)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from account_helpers import sign_in
from django.contrib.auth.models import User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from web_scenarios import Org

from safeguard.api.tokens import create_token
from safeguard.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def two_factor_on(settings: Any) -> None:
    settings.SAFEGUARD_TWO_FACTOR = True


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def set_up(client: Client, username: str = "priya") -> list[str]:
    """Signs in and sets up an authenticator; returns the recovery codes shown."""
    response = sign_in(client, username)
    assert response.status_code == 302 and "/account/two-factor/set-up/" in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    done = client.post("/account/two-factor/set-up/", {"code": code_for(device), "next": "/caseload/"})
    assert done.status_code == 200
    return re.findall(r"<code>([a-z0-9-]+)</code>", done.content.decode())


def test_the_password_alone_opens_nothing(org: Org) -> None:
    client = Client()
    response = sign_in(client, "priya")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/set-up/")
    for path in ("/caseload/", "/team/", "/account/", "/users/", "/victims/"):
        blocked = client.get(path)
        assert blocked.status_code == 302 and blocked["Location"].startswith("/account/two-factor/verify/"), path
    api = client.get("/api/v1/cases/")
    assert api.status_code == 403
    assert "Two-factor" in api.json()["title"]


def test_setting_up_shows_a_qr_code_made_here_and_the_key_in_groups(org: Org) -> None:
    client = Client()
    sign_in(client, "priya")
    page = client.get("/account/two-factor/set-up/").content.decode()
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", "")
    secret = re.search(r'data-testid="secret-key">([A-Z2-7 ]+)<', page)
    assert secret is not None
    groups = secret.group(1).split(" ")
    assert all(len(g) == 4 for g in groups[:-1]) and len(groups) >= 8


def test_a_wrong_code_does_not_confirm_the_authenticator(org: Org) -> None:
    client = Client()
    sign_in(client, "priya")
    client.get("/account/two-factor/set-up/")
    response = client.post("/account/two-factor/set-up/", {"code": "000000"})
    assert response.status_code == 200
    assert "The code is not correct" in response.content.decode()
    assert not TOTPDevice.objects.filter(user__username="priya", confirmed=True).exists()
    assert client.get("/caseload/").status_code == 302


def test_setting_up_shows_ten_recovery_codes_once_and_opens_the_service(org: Org) -> None:
    client = Client()
    codes = set_up(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/caseload/").status_code == 200
    assert client.get("/api/v1/cases/").status_code == 200
    # Set up: the set-up page does not show them (or a new key) again.
    again = client.get("/account/two-factor/set-up/")
    assert again.status_code == 302
    assert AuditEntry.objects.filter(action="account.two_factor_set_up").count() == 1


def test_the_next_sign_in_asks_for_a_code_and_accepts_the_authenticator(org: Org) -> None:
    set_up(Client())
    client = Client()
    response = sign_in(client, "priya")
    assert response["Location"].startswith("/account/two-factor/verify/")
    wrong = client.post("/account/two-factor/verify/", {"code": "123456"})
    assert "The code is not correct" in wrong.content.decode()
    assert client.get("/caseload/").status_code == 302
    time.sleep(1.5)  # django-otp throttles a device for a second after a wrong code
    device = TOTPDevice.objects.get(user__username="priya")
    # The code after the one used at set-up (django-otp refuses a code twice).
    ok = client.post("/account/two-factor/verify/", {"code": code_for(device, offset=1), "next": "/team/"})
    assert ok.status_code == 302 and ok["Location"] == "/team/"
    assert client.get("/caseload/").status_code == 200
    entry = AuditEntry.objects.filter(action="account.two_factor_verified").latest("seq")
    assert entry.detail == {"method": "totp"}


def test_a_recovery_code_works_once(org: Org) -> None:
    codes = set_up(Client())
    first = Client()
    sign_in(first, "priya")
    assert first.post("/account/two-factor/verify/", {"code": codes[0]}).status_code == 302
    assert first.get("/caseload/").status_code == 200
    assert StaticToken.objects.filter(device__user__username="priya").count() == 9
    second = Client()
    sign_in(second, "priya")
    reused = second.post("/account/two-factor/verify/", {"code": codes[0]})
    assert reused.status_code == 200 and "The code is not correct" in reused.content.decode()
    assert second.get("/caseload/").status_code == 302


def test_an_unsafe_next_address_is_not_followed(org: Org) -> None:
    client = Client()
    sign_in(client, "priya")
    client.get("/account/two-factor/set-up/")
    device = TOTPDevice.objects.get(user__username="priya", confirmed=False)
    client.post("/account/two-factor/set-up/", {"code": code_for(device)})
    client.logout()
    sign_in(client, "priya")
    response = client.post("/account/two-factor/verify/", {"code": code_for(device, 1),
                                                           "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_api_tokens_do_not_need_a_second_factor(org: Org) -> None:
    _token, secret = create_token(User.objects.get(username="priya"), ["read"])
    response = Client().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_resetting_your_own_two_factor_needs_your_password_and_the_second_factor(org: Org) -> None:
    client = Client()
    set_up(client)
    refused = client.post("/account/two-factor/reset/", {"password": "wrong"})
    assert refused.status_code == 400 and "Your password is not correct" in refused.content.decode()
    assert TOTPDevice.objects.filter(user__username="priya").exists()
    done = client.post("/account/two-factor/reset/", {"password": "correct-horse-battery-staple"})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user__username="priya").exists()
    assert not StaticToken.objects.filter(device__user__username="priya").exists()
    assert client.get("/caseload/").status_code == 302  # signed out
    # Without the second factor, the reset is not reachable at all.
    stranger = Client()
    sign_in(stranger, "mo")
    assert stranger.post("/account/two-factor/reset/", {"password": "correct-horse-battery-staple"})[
        "Location"].startswith("/account/two-factor/verify/")


def test_an_administrator_resets_a_users_two_factor(org: Org, admin: Any) -> None:
    TOTPDevice.objects.create(user=admin, name="a", confirmed=True)
    priya_client = Client()
    set_up(priya_client)
    priya = User.objects.get(username="priya")
    client = Client()
    sign_in(client, "ada")
    admin_device = TOTPDevice.objects.get(user=admin)
    assert client.post("/account/two-factor/verify/", {"code": code_for(admin_device)}).status_code == 302
    response = client.post(f"/users/{priya.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=priya).exists()
    assert priya_client.get("/caseload/")["Location"].startswith("/sign-in/")  # signed out everywhere
    entry = AuditEntry.objects.get(action="user.two_factor_reset")
    assert entry.user_id == admin.pk and entry.object_id == str(priya.pk)


def test_with_two_factor_off_the_password_is_enough(org: Org, settings: Any) -> None:
    settings.SAFEGUARD_TWO_FACTOR = False
    client = Client()
    assert sign_in(client, "priya")["Location"] == "/caseload/"
    assert client.get("/caseload/").status_code == 200
