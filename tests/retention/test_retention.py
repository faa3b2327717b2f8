"""Retention with legal hold: closed cases past the retention period are listed (dry run) or anonymised
(apply), one transaction per case, audited; a case on legal hold is never touched; holds are set and lifted
only by the head of the case's unit, with a reason."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.db import connection

from partner_world import REFUGE, VICTIM_PHONE, World
from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import verify
from safeguard.cases.models import Case, LinkedPerson
from safeguard.cli import main
from safeguard.retention import service
from safeguard.retention.models import LegalHold, RetentionAction
from safeguard.victims.models import ContactDetail

pytestmark = pytest.mark.django_db
TODAY = date(2034, 6, 1)


def end(case: Case, on: date) -> None:
    Case.objects.filter(pk=case.pk).update(ended_on=on)  # test setup: supervision ended then


def test_a_dry_run_lists_cases_past_retention_and_changes_nothing(world: World,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    end(world.case, date(2027, 1, 1))  # more than 7 years before TODAY
    end(world.other_case, date(2028, 1, 1))  # less than 7 years: kept
    before = AuditEntry.objects.count()
    assert main(["retention", "--dry-run", "--json", "--today", TODAY.isoformat()]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [d["ref"] for d in result["due"]] == [world.case.ref] and result["anonymised"] == []
    assert Case.objects.get(pk=world.case.pk).name == "Adam Northcase"
    assert AuditEntry.objects.count() == before and not RetentionAction.objects.exists()


def test_apply_anonymises_each_due_case_once_and_audits_it(world: World) -> None:
    end(world.case, date(2027, 1, 1))
    result = service.run(TODAY, apply=True)
    assert result["anonymised"] == [world.case.ref]
    case = Case.objects.get(pk=world.case.pk)
    assert case.name == "" and case.born is None
    assert set(LinkedPerson.objects.filter(case=case).values_list("name", flat=True)) == {""}
    values = [d.value.unseal() if d.value else "" for d in ContactDetail.objects.filter(record__case=case)]
    assert REFUGE not in values and VICTIM_PHONE not in values
    assert ContactDetail.objects.filter(record__case=case, removed_at=None).count() == 0  # kept, withdrawn
    assert RetentionAction.objects.get(case=case).years == 7
    assert AuditEntry.objects.filter(action="retention.anonymised", case_ref=case.ref).count() == 1
    assert case.events.count() > 5  # the append-only event log is kept
    assert service.run(TODAY, apply=True)["due"] == []  # never twice
    assert verify(events=True).intact


def test_a_case_on_legal_hold_is_never_anonymised_until_the_hold_is_lifted(world: World) -> None:
    end(world.case, date(2027, 1, 1))
    head = world.users["head"]
    hold = service.set_hold(world.case, reason="Civil claim pending", user=head)
    dry = service.run(TODAY, apply=False)
    assert dry["due"] == [] and dry["on_hold"] == [world.case.ref]
    assert service.run(TODAY, apply=True)["anonymised"] == []
    with pytest.raises(service.RetentionError, match="legal hold"):
        service.anonymise(world.case)
    assert Case.objects.get(pk=world.case.pk).name == "Adam Northcase"
    service.lift_hold(hold, reason="Claim settled", user=head)
    lifted = LegalHold.objects.get(pk=hold.pk)
    assert lifted.lifted_by == head and lifted.lift_reason == "Claim settled" and lifted.reason  # history kept
    assert service.run(TODAY, apply=True)["anonymised"] == [world.case.ref]
    actions = list(AuditEntry.objects.filter(object_type="legal_hold").values_list("action", flat=True))
    assert actions == ["retention.hold_set", "retention.hold_lifted"]
    assert "Civil claim" not in str(list(AuditEntry.objects.values_list("detail", flat=True)))


@pytest.mark.parametrize("who", ["pp", "spo", "qa", "admin", "victim_worker"])
def test_only_the_head_of_the_cases_unit_may_set_or_lift_a_hold(world: World, who: str) -> None:
    with pytest.raises(service.RetentionError, match="head of the case's delivery unit"):
        service.set_hold(world.case, reason="Inquiry", user=world.users[who])
    with pytest.raises(service.RetentionError, match="head of the case's delivery unit"):
        service.set_hold(world.other_case, reason="Inquiry", user=world.users["head"])  # another unit's case
    with pytest.raises(service.RetentionError, match="reason"):
        service.set_hold(world.case, reason="  ", user=world.users["head"])
    assert not LegalHold.objects.exists()


def test_the_hold_commands_refuse_bad_input_and_change_nothing(world: World,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["retention", "--hold", world.case.ref, "--reason", "Inquiry", "--by", "nobody"]) == 2
    assert main(["retention", "--hold", "X000000", "--reason", "Inquiry", "--by", "head"]) == 2
    assert main(["retention", "--hold", world.case.ref, "--reason", "Inquiry", "--by", "pp"]) == 2
    assert not LegalHold.objects.exists()
    assert main(["retention", "--hold", world.case.ref, "--reason", "Inquiry", "--by", "head"]) == 0
    hold = LegalHold.objects.get()
    assert main(["retention", "--lift", str(hold.pk), "--by", "head"]) == 2  # no reason
    assert LegalHold.objects.get().lifted_at is None
    assert main(["retention", "--lift", str(hold.pk), "--reason", "Done", "--by", "head"]) == 0
    assert connection.vendor in {"sqlite", "postgresql"}
