"""SPO oversight: supervision sessions, countersignatures and decisions (through record_event), and the record."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from iv_scenarios import Org, build_case, da_events

from safeguard.audit.models import AuditEntry
from safeguard.cases.models import CaseEvent
from safeguard.oversight.models import OPEN, Obligation
from safeguard.workforce.oversight import (
    OversightError,
    countersign,
    decide,
    oversight_record,
    record_supervision,
)


def high_risk_pso_case(org: Org):  # type: ignore[no-untyped-def]
    """A PSO (P2, not DA-trained) holds and assessed a high-RoSH DA case: rules 9 and 10 both apply."""
    return build_case("X800001", da_events(practitioner="P2", rosh="high", sara_partner="high"))


def test_countersigning_goes_through_record_event_and_meets_rule_9(org: Org) -> None:
    case = high_risk_pso_case(org)
    assert Obligation.objects.filter(case=case, kind="countersignature", status__in=OPEN).exists()
    event = countersign(case, org.staff["S1"], user=org.mo, on=date(2024, 1, 8))
    assert (event.type, event.payload["by"], event.recorded_by) == ("countersigned", "S1", org.mo)
    assert not Obligation.objects.filter(case=case, kind="countersignature", status__in=OPEN).exists()
    with pytest.raises(OversightError, match="only SPO can countersign"):
        countersign(case, org.staff["P1"], user=org.mo, on=date(2024, 1, 8))
    with pytest.raises(PermissionDenied):
        countersign(case, org.staff["S1"], user=org.priya, on=date(2024, 1, 8))


def test_a_manager_decision_waives_rule_10_with_its_reasons(org: Org) -> None:
    case = high_risk_pso_case(org)
    assert Obligation.objects.filter(case=case, kind="allocation_review", status__in=OPEN).exists()
    decide(case, org.staff["S1"], "allocation_review", "No PO has capacity; weekly supervision until transfer",
           user=org.mo, on=date(2024, 1, 9))
    review = Obligation.objects.get(case=case, kind="allocation_review")
    assert review.status == "waived"
    with pytest.raises(OversightError, match="needs its reasons"):
        decide(case, org.staff["S1"], "allocation_review", "  ", user=org.mo)


def test_supervision_sessions_are_recorded_and_audited(org: Org) -> None:
    case = high_risk_pso_case(org)
    session = record_supervision(org.staff["P2"], org.staff["S1"], user=org.mo, on=date(2024, 1, 10), minutes=60,
                                 cases=[case], notes="Agreed a home visit plan", next_on=date(2024, 2, 7))
    assert list(session.cases_discussed.all()) == [case]
    audit = AuditEntry.objects.get(action="supervision.recorded")
    assert audit.detail == {"staff": "P2", "spo": "S1", "refs": ["X800001"]}
    assert "home visit" not in str(audit.detail)  # notes stay out of the audit log
    with pytest.raises(OversightError, match="only SPO"):
        record_supervision(org.staff["P2"], org.staff["P1"], user=org.mo, on=date(2024, 1, 10))
    with pytest.raises(OversightError, match="after this one"):
        record_supervision(org.staff["P2"], org.staff["S1"], user=org.mo, on=date(2024, 1, 10),
                           next_on=date(2024, 1, 1))
    with pytest.raises(PermissionDenied):
        record_supervision(org.staff["P2"], org.staff["S1"], user=org.priya, on=date(2024, 1, 10))


def test_the_oversight_record_lists_sessions_countersignatures_and_decisions_newest_first(org: Org) -> None:
    case = high_risk_pso_case(org)
    countersign(case, org.staff["S1"], user=org.mo, on=date(2024, 1, 8))
    decide(case, org.staff["S1"], "allocation_review", "Transfer next week", user=org.mo, on=date(2024, 1, 9))
    record_supervision(org.staff["P2"], org.staff["S1"], user=org.mo, on=date(2024, 1, 10), minutes=45, cases=[case])
    entries = oversight_record(org.team, date(2024, 1, 1), date(2024, 1, 31))
    assert [(e.on, e.kind, e.by, e.about, e.detail) for e in entries] == [
        (date(2024, 1, 10), "supervision", "S1", "Sam Green", "45 minutes; cases discussed: X800001"),
        (date(2024, 1, 9), "manager_decision", "S1", "X800001", "decision about allocation review"),
        (date(2024, 1, 8), "countersigned", "S1", "X800001", ""),
    ]
    assert oversight_record(org.other_team, date(2024, 1, 1), date(2024, 1, 31)) == []
    assert CaseEvent.objects.filter(case=case, type__in=["countersigned", "manager_decision"]).count() == 2
