"""A request that is never answered: chased at 10 working days (rule 5), escalated to the SPO after the policy's
escalation threshold, by the daily sweep; each step once, by email with references only."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail

from partner_world import make_user
from safeguard.actions import create_case, record_event
from safeguard.agencies import actions
from safeguard.agencies.models import AgencyRequest
from safeguard.cases.models import Case
from safeguard.oversight.models import Obligation
from safeguard.oversight.sweep import sweep
from safeguard.policy.calendar import add_working_days
from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team


@pytest.fixture
def unit(db: Any) -> DeliveryUnit:
    """One unit, one team (a PO and their SPO), the unit's police; no other requests to chase."""
    unit = DeliveryUnit.objects.create(name="North City", region=Region.objects.create(name="North"))
    team = Team.objects.create(name="Team A", unit=unit)
    make_user("pp", "practitioner", unit, Staff.objects.create(code="P1", grade="PO", team=team, da_trained=True))
    make_user("spo", "spo", unit, Staff.objects.create(code="S1", grade="SPO", team=team, da_trained=True))
    make_user("police", "police", unit)
    make_user("csc", "csc", unit)
    return unit


def test_unanswered_request_is_chased_then_escalated(unit: DeliveryUnit) -> None:
    pp = User.objects.get(username="pp")
    with time_machine.travel("2026-02-02 09:00", tick=False):  # a Monday
        case = create_case("X300003", unit, name="Chase Case")
        # Not (yet) a domestic-abuse case: the request's chase (rule 5, any case) is the only obligation.
        for event in ({"type": "sentenced", "order": "community_order", "months": 12},
                      {"type": "allocated", "practitioner": "P1"}):
            record_event(case, {"on": "2026-02-02", **event})
        request = actions.draft_request(case, agency="police", about=[], question="Call-outs since 2020?", user=pp)
        mail.outbox.clear()
        actions.send_request(request, user=pp)
    request.refresh_from_db()
    assert request.status == "sent" and request.sent_on == date(2026, 2, 2)
    assert [m.to for m in mail.outbox] == [["police@example.gov.uk"]]
    assert request.ref in mail.outbox[0].subject and "Chase Case" not in mail.outbox[0].body
    due = add_working_days(date(2026, 2, 2), 10)
    assert actions.chase_due_on(request) == due == date(2026, 2, 16)
    obligation = Obligation.objects.get(case=case, key=f"check-chase:{request.sent_event.seq}")
    assert obligation.kind == "police_check" and obligation.due == due

    def step(day: date) -> list[Any]:
        mail.outbox.clear()
        with time_machine.travel(f"{day.isoformat()} 06:00", tick=False):
            result = sweep(as_of=day)
        assert not result.errors, result.errors
        request.refresh_from_db()
        return list(mail.outbox)

    assert step(date(2026, 2, 9)) == [] and request.status == "sent"  # 5 working days: nothing yet
    sent = step(due)  # 10 working days: chased, the agency and the practitioner told
    assert request.status == "chased" and request.chased_on == due and request.chase_count == 1
    assert sorted(m.to[0] for m in sent) == ["police@example.gov.uk", "pp@example.gov.uk"]
    assert step(due) == []  # idempotent: the same day again sends nothing
    assert step(date(2026, 2, 17)) == [] and request.escalated_on is None  # overdue, not yet escalated
    escalated_on = add_working_days(due, 2)
    sent = step(escalated_on)  # the policy's escalation threshold: to the SPO (sweep), the agency told again
    obligation.refresh_from_db()
    assert obligation.status == "overdue" and obligation.escalated_on == escalated_on
    assert request.escalated_on == escalated_on and request.chase_count == 2
    recipients = sorted(m.to[0] for m in sent)
    assert recipients == ["police@example.gov.uk", "spo@example.gov.uk"], recipients
    for message in sent:
        assert "Call-outs" not in message.body and "Chase Case" not in message.body
    assert Case.objects.get(pk=case.pk).concern in {"serious", "immediate"}
    assert step(escalated_on + (date(2026, 2, 19) - date(2026, 2, 18))) == []  # nothing more is sent
    assert AgencyRequest.objects.get(pk=request.pk).status == "chased"

    # The answer, late, still closes it: response time recorded in working days.
    police = User.objects.get(username="police")
    with time_machine.travel("2026-02-23 10:00", tick=False):
        actions.answer_request(request, actions.Answer(callouts=0, callout_dates=[], children_known=None,
                                                       child_protection="", other_information="",
                                                       summary="Nothing known"), user=police)
    request.refresh_from_db()
    obligation.refresh_from_db()
    assert request.status == "returned" and request.response_working_days == 15
    assert obligation.status == "done"


def test_agency_mail_goes_to_the_agency_in_the_area_with_an_address(unit: DeliveryUnit) -> None:
    User.objects.filter(username="csc").update(email="")
    assert actions.notify.agency_addresses("police", unit.pk) == ["police@example.gov.uk"]
    assert actions.notify.agency_addresses("childrens_services", unit.pk) == []
