"""Length limits (issue 33, finding 8): every text column is held to its limit before it is saved, on SQLite
(which would store a longer value) exactly as on PostgreSQL (which refuses it, so a backup made on SQLite
would not restore there). The forms say so first; the model check stops any path that skips them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from safeguard.actions import create_case, ensure_unit
from safeguard.cases.models import LinkedPerson
from safeguard.limits import CONTACT_MAX, TEXT_MAX, Refused
from safeguard.victims import actions
from safeguard.victims.forms import DetailForm, SafetyContactForm, WorkerForm
from safeguard.victims.models import ContactDetail, SupportWorker, VictimRecord
from safeguard.workforce.models import DeliveryUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db: Any) -> VictimRecord:
    case = create_case("X910001", ensure_unit("North City"))
    person = LinkedPerson.objects.create(case=case, ref="V1", relationship="partner", victim=True,
                                         added_on=date(2024, 1, 1))
    return VictimRecord.objects.create(case=case, person=person)


def test_an_idva_name_longer_than_its_column_is_refused_and_nothing_saved(record: VictimRecord) -> None:
    with pytest.raises(Refused, match=r"victims.SupportWorker: field 'name': at most 120 characters, got 138"):
        actions.add_worker(record, role="idva", name="N" * 138, from_on=date(2024, 1, 2), user=AnonymousUser())
    assert not SupportWorker.objects.exists()


def test_a_name_at_its_column_s_maximum_is_saved(record: VictimRecord) -> None:
    actions.add_worker(record, role="idva", name="N" * 120, from_on=date(2024, 1, 2), user=AnonymousUser())
    assert SupportWorker.objects.get().name == "N" * 120


def test_a_contact_detail_of_a_megabyte_is_refused_though_it_is_stored_encrypted(record: VictimRecord) -> None:
    with pytest.raises(Refused, match=f"field 'value': at most {CONTACT_MAX}"):
        actions.add_detail(record, kind="address", value="1 Test Street " * 80_000, never_disclose=False,
                           user=AnonymousUser())
    assert not ContactDetail.objects.exists()


def test_free_text_in_an_encrypted_field_is_held_to_the_text_limit(record: VictimRecord) -> None:
    with pytest.raises(Refused, match=f"field 'note': at most {TEXT_MAX:,}"):
        actions.add_detail(record, kind="phone", value="01632 960000", never_disclose=False, note="n" * 10_001,
                           user=AnonymousUser())


def test_a_unit_name_with_markup_is_refused_by_the_action(db: Any) -> None:
    with pytest.raises(Refused, match="delivery unit: field 'name': expected a name without '<', '>'"):
        ensure_unit("<script>x</script>")
    assert not DeliveryUnit.objects.exists()


def test_the_forms_say_what_is_too_long_before_anything_is_saved() -> None:
    worker = WorkerForm(data={"role": "idva", "name": "N" * 138})
    assert not worker.is_valid() and "at most 120 characters" in worker.errors["name"][0]
    detail = DetailForm(data={"kind": "address", "value": "x" * (CONTACT_MAX + 1)})
    assert not detail.is_valid() and f"at most {CONTACT_MAX} characters" in detail.errors["value"][0]
    plan = SafetyContactForm(data={"by": "idva", "plan": "p" * (TEXT_MAX + 1)})
    assert not plan.is_valid() and "plan" in plan.errors
