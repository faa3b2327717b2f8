"""Demo sign-ins: one per role, linked to the right staff records, seeing the right cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from safeguard.cases.models import Case
from safeguard.demo.synth import LoadSummary, Organisation
from safeguard.demo.users import create_demo_users, demo_password

PASSWORD = "demo-password-for-tests"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def sign_ins(synthetic_unit: tuple[Organisation, LoadSummary], django_db_blocker: Any) -> dict[str, User]:
    """Created once, inside the unit's transaction; each test's own changes are rolled back after it."""
    org, _ = synthetic_unit
    with django_db_blocker.unblock():
        create_demo_users(PASSWORD, org.lead)
        return {u.username: u for u in User.objects.filter(username__endswith=".demo").select_related("profile")}


def test_eight_users_with_their_roles(sign_ins: dict[str, User]) -> None:
    roles = {name: user.profile.role for name, user in sign_ins.items()}
    assert roles == {"pp.demo": "practitioner", "spo.demo": "spo", "head.demo": "head", "police.demo": "police",
                     "csc.demo": "csc", "qa.demo": "qa", "admin.demo": "admin", "victim.demo": "victim_worker"}
    assert [name for name, user in sign_ins.items() if user.is_staff] == ["admin.demo"]
    assert authenticate(username="pp.demo", password=PASSWORD) is not None


def test_the_head_of_unit_sees_every_case_in_the_unit_and_records_on_none(sign_ins: dict[str, User]) -> None:
    from safeguard.accounts.access import can_record

    head = sign_ins["head.demo"]
    unit_cases = Case.objects.filter(unit=head.profile.unit, archived_at=None)
    assert unit_cases.count() > 0
    assert set(Case.objects.visible_to(head)) == set(unit_cases)
    assert not any(can_record(head, case) for case in unit_cases)


def test_practitioner_is_the_lead_po_and_the_spo_manages_their_team(
        synthetic_unit: tuple[Organisation, LoadSummary], sign_ins: dict[str, User]) -> None:
    org, _ = synthetic_unit
    pp, spo = sign_ins["pp.demo"].staff, sign_ins["spo.demo"].staff
    assert (pp.code, pp.grade, pp.da_trained) == (org.lead, "PO", True)
    assert spo.grade == "SPO" and spo.team_id == pp.team_id
    for partner in ("police.demo", "csc.demo", "qa.demo", "admin.demo", "victim.demo"):
        assert not hasattr(sign_ins[partner], "staff")


def test_victim_worker_has_a_safety_record_with_a_never_disclose_refuge(sign_ins: dict[str, User]) -> None:
    from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker
    from safeguard.victims.redaction import detail_text

    refuge = ContactDetail.objects.get(never_disclose=True, record__case__practitioner=sign_ins["pp.demo"].staff)
    assert detail_text(refuge, user=sign_ins["victim.demo"], channel="page").startswith("Demo Refuge")
    assert "Demo Refuge" not in detail_text(refuge, user=sign_ins["pp.demo"], channel="page")
    assert SupportWorker.objects.filter(record=refuge.record, role="victim_liaison").exists()
    assert SafetyContact.objects.filter(record=refuge.record, safety_plan=True).exists()


def test_practitioner_sees_their_caseload_and_their_team(sign_ins: dict[str, User]) -> None:
    pp = sign_ins["pp.demo"]
    own = Case.objects.filter(practitioner=pp.staff)
    team = Case.objects.filter(practitioner__team=pp.staff.team)
    visible = Case.objects.visible_to(pp)
    assert set(own) <= set(visible)
    assert set(visible) == set(team)
    assert own.count() >= 6


def test_practitioner_has_domestic_abuse_cases_with_overdue_obligations(sign_ins: dict[str, User]) -> None:
    own = Case.objects.filter(practitioner=sign_ins["pp.demo"].staff).exclude(da_since=None)
    assert own.filter(obligations__status="overdue").distinct().count() >= 2


def test_partner_agencies_and_admin_see_no_cases_and_qa_sees_the_region(sign_ins: dict[str, User]) -> None:
    for name in ("police.demo", "csc.demo", "admin.demo"):
        assert not Case.objects.visible_to(sign_ins[name]).exists()
    qa = sign_ins["qa.demo"]
    assert Case.objects.visible_to(qa).count() == Case.objects.filter(
        unit__region=qa.profile.unit.region, archived_at=None).count() > 0


def test_running_again_resets_the_password_and_keeps_the_links(
        synthetic_unit: tuple[Organisation, LoadSummary], sign_ins: dict[str, User]) -> None:
    from safeguard.victims.models import ContactDetail

    before = sign_ins["pp.demo"].staff.pk
    details = ContactDetail.objects.count()
    create_demo_users("another-password-1234")
    assert User.objects.get(username="pp.demo").staff.pk == before
    assert authenticate(username="pp.demo", password="another-password-1234") is not None
    assert User.objects.filter(username__endswith=".demo").count() == 8
    assert ContactDetail.objects.count() == details  # the victims' safety data is added once


def test_password_comes_from_the_environment_or_is_generated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEGUARD_DEMO_PASSWORD", "chosen-by-the-tester")
    assert demo_password() == ("chosen-by-the-tester", False)
    monkeypatch.delenv("SAFEGUARD_DEMO_PASSWORD")
    password, generated = demo_password()
    assert generated and len(password) >= 16 and password != demo_password()[0]
