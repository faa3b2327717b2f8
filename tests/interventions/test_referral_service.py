"""The referral lifecycle through the service: every allowed transition end to end, who may make it, and what
it leaves behind (a case event through record_event, or a recorded and audited status change)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from iv_scenarios import Org, build_case, da_case, da_events, path_to, walk

from safeguard.actions import record_event
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import CaseEvent
from safeguard.interventions import service
from safeguard.interventions.lifecycle import START, TRANSITIONS, IllegalTransition, Transition, TransitionNotPermitted
from safeguard.interventions.models import ReferralTransition
from safeguard.oversight.models import OPEN, Obligation
from safeguard.practice.models import Referral

ON = date(2024, 2, 1)


def open_obligations(case_id: int, kind: str) -> list[Obligation]:
    return list(Obligation.objects.filter(case_id=case_id, kind=kind, status__in=OPEN))


@pytest.mark.parametrize("t", [t for t in TRANSITIONS if t.from_status != START],
                         ids=lambda t: f"{t.from_status}->{t.to_status}")
def test_every_allowed_transition_through_the_service(org: Org, t: Transition) -> None:
    case = da_case("X300001")
    referral = walk(case, path_to(t.from_status), on=ON)
    assert referral is not None and referral.status == t.from_status
    user = org.priya if "practitioner" in t.roles else org.mo
    reason = t.reasons[0] if t.reasons else ""
    events_before = CaseEvent.objects.filter(case=case).count()

    changed = service.change_status(referral, t.to_status, user=user, on=ON, reason=reason, note="Checked with team")

    assert changed.status == t.to_status
    last = ReferralTransition.objects.filter(referral=referral).order_by("-id").first()
    assert last is not None
    assert (last.from_status, last.to_status, last.on, last.by, last.reason, last.note) == (
        t.from_status, t.to_status, ON, user, reason, "Checked with team")
    if t.event:
        event = CaseEvent.objects.filter(case=case).order_by("-seq").first()
        assert event is not None and event.type == t.event and last.event == event
        assert event.payload["programme"] == "toolkit" and event.recorded_by == user
        if t.reasons:
            assert event.payload[t.reason_field] == reason
        assert AuditEntry.objects.filter(action=f"event.{t.event}", case_ref=case.ref).exists()
    else:
        assert CaseEvent.objects.filter(case=case).count() == events_before
        assert last.event is None
        audit = AuditEntry.objects.filter(action="referral.status_changed", case_ref=case.ref).order_by("-seq").first()
        assert audit is not None and audit.user == user
        assert audit.detail == {"from_status": t.from_status, "to_status": t.to_status, "kind": reason or None}


def test_referring_records_the_referred_event_and_meets_rule_15(org: Org) -> None:
    case = da_case("X300002")  # SARA medium, BBR required by the court: rule 15 is open
    assert open_obligations(case.pk, "intervention_referral")
    referral = service.refer(case, "bbr", user=org.priya, on=ON)
    assert (referral.status, referral.programme, referral.intervention, referral.referred_on) == (
        "referred", "bbr", "bbr", ON)
    event = CaseEvent.objects.get(case=case, type="referred")
    assert event.payload == {"on": "2024-02-01", "type": "referred", "programme": "bbr"}
    assert not open_obligations(case.pk, "intervention_referral")
    assert open_obligations(case.pk, "intervention_start")  # rule 16 now counts the 12 weeks
    first = referral.transitions.get()
    assert (first.from_status, first.to_status, first.event, first.by) == ("", "referred", event, org.priya)


def test_building_choices_intensity_is_recorded_when_assessed_suitable(org: Org) -> None:
    case = da_case("X300003", programme="building_choices")
    referral = service.refer(case, "building_choices_moderate", user=org.priya, on=ON)
    assert referral.programme == "building_choices"
    referral = service.change_status(referral, "assessed_suitable", user=org.priya, on=ON,
                                     intervention="building_choices_high")
    assert referral.intervention == "building_choices_high"
    with pytest.raises(service.InterventionError, match="not a form of the building_choices programme"):
        service.change_status(referral, "awaiting_allocation", user=org.mo, on=ON, intervention="bbr")


def test_illegal_transition_through_the_service_names_from_and_to_and_writes_nothing(org: Org) -> None:
    case = da_case("X300004")
    referral = service.refer(case, "bbr", user=org.priya, on=ON)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(IllegalTransition, match="cannot go from 'referred' .* to 'on_programme'"):
        service.change_status(referral, "on_programme", user=org.priya, on=ON)
    referral.refresh_from_db()
    assert referral.status == "referred"
    assert CaseEvent.objects.filter(case=case).count() == events
    assert referral.transitions.count() == 1


def test_roles_the_lifecycle_does_not_name_are_refused(org: Org) -> None:
    case = da_case("X300005")
    with pytest.raises(TransitionNotPermitted, match="Only a probation practitioner or senior probation officer can"):
        service.refer(case, "bbr", user=org.hana, on=ON)
    referral = service.refer(case, "toolkit", user=org.priya, on=ON)
    referral = service.change_status(referral, "assessed_suitable", user=org.priya, on=ON)
    with pytest.raises(TransitionNotPermitted, match="'Add to the waiting list'"):
        service.change_status(referral, "awaiting_allocation", user=org.priya, on=ON)
    assert service.change_status(referral, "awaiting_allocation", user=org.hana, on=ON).status == "awaiting_allocation"


def test_cases_the_user_cannot_see_are_refused(org: Org) -> None:
    case = da_case("X300006")
    with pytest.raises(PermissionDenied, match="not one you can see"):
        service.refer(case, "bbr", user=org.olu, on=ON)
    assert not Referral.objects.filter(case=case).exists()


def test_a_required_reason_is_enforced_and_recorded(org: Org) -> None:
    case = da_case("X300007")
    referral = walk(case, path_to("on_programme"), on=ON)
    assert referral is not None
    with pytest.raises(Exception, match="needs a reason"):
        service.change_status(referral, "left", user=org.priya, on=ON)
    left = service.change_status(referral, "left", user=org.priya, on=date(2024, 3, 4), reason="non_attendance")
    assert (left.status, left.left_on, left.left_reason) == ("left", date(2024, 3, 4), "non_attendance")
    # Leaving for non-attendance: rule 21 asks for an enforcement decision, rule 16 for a new start at once.
    assert open_obligations(case.pk, "enforcement_decision")
    assert open_obligations(case.pk, "intervention_start")


def test_dates_in_the_future_are_refused(org: Org) -> None:
    case = da_case("X300008")
    with pytest.raises(service.InterventionError, match="in the future"):
        service.refer(case, "bbr", user=org.priya, on=date(2999, 1, 1))


def test_events_recorded_elsewhere_move_the_referral_even_out_of_order(org: Org) -> None:
    """A timeline (import, replay, the generic event form) may go straight from referred to started: the event
    is a fact, so the projection applies it and keeps the history."""
    case = build_case("X300009", [*da_events(), {"on": "2024-01-20", "type": "referred", "programme": "bbr"},
                                  {"on": "2024-03-04", "type": "programme_started", "programme": "bbr"}])
    referral = Referral.objects.get(case=case)
    assert referral.status == "on_programme" and referral.started_on == date(2024, 3, 4)
    assert [(t.from_status, t.to_status) for t in referral.transitions.all()] == [
        ("", "referred"), ("referred", "on_programme")]
    record_event(case, {"on": "2024-04-01", "type": "programme_cancelled", "programme": "bbr", "by": "provider"})
    referral.refresh_from_db()
    assert referral.status == "awaiting_allocation" and referral.cancelled_by == "provider"
    # The service then carries on from there by the table: a group programme needs a course to book.
    with pytest.raises(service.InterventionError, match="needs a course"):
        service.change_status(referral, "scheduled", user=org.mo, on=date(2024, 4, 2))
    assert service.change_status(referral, "withdrawn", user=org.priya, on=date(2024, 4, 2),
                                 reason="moved_area").status == "withdrawn"


def test_a_second_live_referral_to_the_same_programme_is_refused(org: Org) -> None:
    case = da_case("X300010")
    first = service.refer(case, "bbr", user=org.priya, on=ON)
    with pytest.raises(service.InterventionError, match="already has a referred referral to this programme"):
        service.refer(case, "bbr", user=org.priya, on=ON)
    assert service.refer(case, "toolkit", user=org.priya, on=ON).programme == "toolkit"
    service.change_status(first, "assessed_not_suitable", user=org.priya, on=ON, reason="categorical_denial")
    assert service.refer(case, "bbr", user=org.priya, on=ON).status == "referred"


def test_one_to_one_work_imported_without_a_catalogue_entry_is_booked_without_a_course(org: Org) -> None:
    case = build_case("X300011", [*da_events(), {"on": "2024-01-20", "type": "referred", "programme": "toolkit"}])
    referral = Referral.objects.get(case=case)
    referral = service.change_status(referral, "assessed_suitable", user=org.priya, on=ON)
    assert service.change_status(referral, "scheduled", user=org.mo, on=ON).status == "scheduled"
