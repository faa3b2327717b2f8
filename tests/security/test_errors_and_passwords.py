"""Issue 33, finding 10: Sentry reports nothing personal (before_send on a sample event, no network), and a
password of twelve characters or more that is easy to guess is refused with a GOV.UK-style message."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from safeguard.accounts.passwords import TOO_WEAK
from safeguard.ops.errors import before_send

SAMPLE_EVENT: dict[str, Any] = {
    "level": "error",
    "transaction": "/cases/<str:ref>/",
    "exception": {"values": [{"type": "ValueError", "value": "boom"}]},
    "request": {
        "url": "https://safeguard.example/cases/X100001/record/contact/",
        "method": "POST",
        "query_string": "search=X100001&victim=Jane",
        "data": {"text": "She has moved to the refuge at 1 Synthetic Street"},
        "cookies": {"sessionid": "abc", "csrftoken": "def"},
        "headers": {"Cookie": "sessionid=abc", "Authorization": "Token secret", "User-Agent": "Firefox",
                    "Referer": "https://safeguard.example/cases/X100001/"},
        "env": {"REMOTE_ADDR": "203.0.113.7"},
    },
    "user": {"id": "7", "ip_address": "203.0.113.7"},
    "breadcrumbs": {"values": [{"message": "Not Found: /cases/X100001/"}]},
}


def test_before_send_removes_bodies_cookies_query_strings_and_case_refs() -> None:
    event = before_send(copy.deepcopy(SAMPLE_EVENT), None)
    request = event["request"]
    assert request["url"] == "https://safeguard.example/cases/…"
    assert not {"data", "cookies", "query_string", "env"} & set(request)
    assert request["headers"] == {"User-Agent": "Firefox"}
    assert "breadcrumbs" not in event and "user" not in event
    text = repr(event)
    for secret in ("X100001", "refuge", "Jane", "sessionid", "Token secret", "203.0.113.7"):
        assert secret not in text
    assert event["exception"] == SAMPLE_EVENT["exception"] and event["transaction"] == "/cases/<str:ref>/"


def test_sentry_is_off_unless_a_dsn_is_set() -> None:
    import sentry_sdk
    from django.conf import settings

    assert settings.SAFEGUARD_SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


@pytest.mark.parametrize("password", ["Password1234", "qwertyuiop123", "Liverpool1234", "aaaaaaaaaaaaaa"])
def test_guessable_passwords_of_twelve_or_more_characters_are_refused(password: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert TOO_WEAK in refused.value.messages


def test_the_users_own_names_count_against_the_password(django_user_model: Any, db: Any) -> None:
    user = django_user_model(username="priya.sharma", first_name="Priya", last_name="Sharma")
    with pytest.raises(ValidationError):
        validate_password("priya.sharma12", user)  # strong (4) for anyone else


def test_a_strong_passphrase_is_accepted() -> None:
    validate_password("lantern orbit cactus meadow")
