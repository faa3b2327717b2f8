"""Victims' contact details are encrypted at rest with keys of their own, and keys rotate."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from partner_world import REFUGE, VICTIM_PHONE, World
from safeguard.agencies.models import AgencyRequest, BreachReport, ControlTerms
from safeguard.victims import crypto
from safeguard.victims.fields import WITHHELD, Sealed, encrypted_fields
from safeguard.victims.keys import rotate_all
from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker


def raw_column(model: Any, field: str) -> list[str]:
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def all_raw() -> str:
    return "\n".join(v for model, name in encrypted_fields() for v in raw_column(model, name))


@pytest.mark.django_db
def test_the_database_holds_no_plaintext(world: World) -> None:
    stored = raw_column(ContactDetail, "value")
    assert len(stored) == 2 and all(v.startswith(crypto.PREFIX) for v in stored)
    everything = all_raw()
    for plain in (REFUGE, "Hidden Lane", VICTIM_PHONE, "SAFETY-PLAN-TEXT", "SECRET-TERMS-OF-ORDER",
                  "BREACH-DETAIL-TEXT", "12 Oak Road", "0161 496 0000"):
        assert plain not in everything
    # ... and every kind of encrypted field is covered by the rotation registry
    assert {(m, f) for m, f in encrypted_fields()} >= {
        (ContactDetail, "value"), (ContactDetail, "note"), (SupportWorker, "phone"), (SafetyContact, "plan"),
        (AgencyRequest, "addresses"), (ControlTerms, "terms"), (BreachReport, "description")}


@pytest.mark.django_db
def test_values_read_back_sealed(world: World) -> None:
    detail = ContactDetail.objects.get(pk=world.refuge.pk)
    assert isinstance(detail.value, Sealed)
    assert str(detail.value) == WITHHELD and f"{detail.value}" == WITHHELD and REFUGE not in repr(detail.value)
    assert detail.value.unseal() == REFUGE
    detail.value = "new text"  # assigned text is sealed at once
    assert isinstance(detail.value, Sealed) and str(detail.value) == WITHHELD


@pytest.mark.django_db
def test_key_rotation_re_encrypts_and_old_key_can_go(world: World, settings: Any) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.SAFEGUARD_FIELD_KEYS = [old, crypto.DEV_FIELD_KEY]
    rotate_all()  # from the development key (the world's) to `old`
    before = raw_column(ContactDetail, "value")
    settings.SAFEGUARD_FIELD_KEYS = [new, old]  # the new key first
    counts = rotate_all()
    assert counts["victims.ContactDetail.value"] == 2
    after = raw_column(ContactDetail, "value")
    assert set(before).isdisjoint(after)
    settings.SAFEGUARD_FIELD_KEYS = [new]  # the old key removed: still readable
    assert ContactDetail.objects.get(pk=world.refuge.pk).value.unseal() == REFUGE
    assert REFUGE not in all_raw()
    settings.SAFEGUARD_FIELD_KEYS = [old]  # and the old key alone opens nothing
    with pytest.raises(crypto.DecryptionError):
        ContactDetail.objects.get(pk=world.refuge.pk)


@pytest.mark.django_db
def test_rotation_refuses_when_a_value_cannot_be_opened(world: World, settings: Any) -> None:
    settings.SAFEGUARD_FIELD_KEYS = [Fernet.generate_key().decode()]  # not the key the values were written with
    before = all_raw()
    with pytest.raises(crypto.DecryptionError):
        rotate_all()
    assert all_raw() == before  # all or nothing


def test_keys_are_not_the_secret_key_and_dev_key_needs_permission(settings: Any) -> None:
    settings.SAFEGUARD_FIELD_KEYS = []
    settings.SAFEGUARD_DEV_FIELD_KEY = False
    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("x")
    settings.SAFEGUARD_DEV_FIELD_KEY = True
    assert crypto.configured_keys() == [crypto.DEV_FIELD_KEY]
    settings.SAFEGUARD_FIELD_KEYS = [settings.SECRET_KEY]
    with pytest.raises(ImproperlyConfigured):  # SECRET_KEY is not a Fernet key, and is never used as one
        crypto.encrypt("x")


def test_deploy_check_reports_missing_or_development_keys(settings: Any) -> None:
    from safeguard.victims.checks import field_keys_configured

    settings.SAFEGUARD_FIELD_KEYS = []
    assert [m.id for m in field_keys_configured()] == ["safeguard.E101"]
    settings.SAFEGUARD_FIELD_KEYS = [crypto.DEV_FIELD_KEY]
    assert [m.id for m in field_keys_configured()] == ["safeguard.E102"]
    settings.SAFEGUARD_FIELD_KEYS = [crypto.generate_key()]
    assert field_keys_configured() == []


def test_keys_command_generates_a_fernet_key(capsys: Any) -> None:
    from safeguard.cli import main

    assert main(["keys", "generate"]) == 0
    Fernet(capsys.readouterr().out.strip().encode())
