"""Waiting times worked by hand, the waiting list, and who should have an intervention and does not."""

from __future__ import annotations

from datetime import date

import pytest
from iv_scenarios import Org, build_case, da_case, da_events

from safeguard.interventions import service
from safeguard.interventions.queries import gaps, wait_of, waiting_list
from safeguard.practice.models import Referral

TODAY = date(2024, 5, 1)


@pytest.fixture
def waits(org: Org) -> dict[str, Referral]:
    """Four referrals, each with a different story (dates chosen to be worked by hand)."""
    mo, priya = org.mo, org.priya
    cohort = service.create_cohort("toolkit", org.unit, capacity=10, starts_on=date(2024, 2, 12), sessions=2,
                                   user=mo)
    # A: referred 8 Jan, suitable 22 Jan, booked 5 Feb, started 4 Mar. Waited 56 days (8 weeks).
    a = service.refer(da_case("X500001"), "toolkit", user=priya, on=date(2024, 1, 8))
    service.change_status(a, "assessed_suitable", user=priya, on=date(2024, 1, 22))
    service.change_status(a, "scheduled", user=mo, on=date(2024, 2, 5))
    a = service.change_status(a, "on_programme", user=priya, on=date(2024, 3, 4))
    # B: referred 1 Feb, waiting for a place since. 1 Feb to 1 May 2024 = 29 + 31 + 30 = 90 days.
    b = service.refer(da_case("X500002"), "toolkit", user=priya, on=date(2024, 2, 1))
    service.change_status(b, "assessed_suitable", user=priya, on=date(2024, 2, 8))
    b = service.change_status(b, "awaiting_allocation", user=mo, on=date(2024, 2, 8))
    # C: referred 10 Jan, started 12 Feb (33 days), course cancelled part-way on 11 Mar; waiting again since:
    # 11 Mar to 1 May = 31 + 20 = 51 days.
    c = service.refer(da_case("X500003"), "toolkit", user=priya, on=date(2024, 1, 10))
    service.change_status(c, "assessed_suitable", user=priya, on=date(2024, 1, 20))
    service.book(c, cohort, user=mo, on=date(2024, 1, 25))
    service.change_status(c, "on_programme", user=priya, on=date(2024, 2, 12))
    c = service.change_status(c, "awaiting_allocation", user=mo, on=date(2024, 3, 11), reason="provider")
    # D: referred 15 Jan, booked, place cancelled by the provider before it began on 19 Feb: still waiting since
    # the referral. 15 Jan to 1 May = 31 + 29 + 31 + 16 = 107 days.
    d = service.refer(da_case("X500004"), "toolkit", user=priya, on=date(2024, 1, 15))
    service.change_status(d, "assessed_suitable", user=priya, on=date(2024, 1, 22))
    service.change_status(d, "scheduled", user=mo, on=date(2024, 1, 29))
    d = service.change_status(d, "awaiting_allocation", user=mo, on=date(2024, 2, 19), reason="provider")
    return {"a": a, "b": b, "c": c, "d": d}


def test_waiting_time_per_person_worked_by_hand(waits: dict[str, Referral]) -> None:
    a, b, c, d = (wait_of(Referral.objects.get(pk=waits[k].pk)) for k in "abcd")
    assert (a.first_started_on, a.waited_days, a.waiting_since, a.waiting_days(TODAY)) == (
        date(2024, 3, 4), 56, None, None)
    assert (b.first_started_on, b.waited_days, b.waiting_since, b.waiting_days(TODAY), b.waiting_weeks(TODAY)) == (
        None, None, date(2024, 2, 1), 90, 12)
    assert (c.first_started_on, c.waited_days, c.waiting_since, c.waiting_days(TODAY)) == (
        date(2024, 2, 12), 33, date(2024, 3, 11), 51)
    assert (d.first_started_on, d.waited_days, d.waiting_since, d.waiting_days(TODAY)) == (
        None, None, date(2024, 1, 15), 107)


def test_waiting_list_longest_wait_first_for_those_still_waiting(org: Org, waits: dict[str, Referral]) -> None:
    rows = waiting_list(org.mo, TODAY)
    assert [(w.case.ref, w.waiting_days(TODAY), w.status.code) for w in rows] == [
        ("X500004", 107, "awaiting_allocation"), ("X500002", 90, "awaiting_allocation"),
        ("X500003", 51, "awaiting_allocation")]
    assert waiting_list(org.olu, TODAY) == []  # another team's practitioner sees none of them


def test_people_who_should_have_an_intervention_and_do_not_by_reason(org: Org, waits: dict[str, Referral]) -> None:
    # E: eligible (SARA medium, BBR required by the court) and never referred: rule 15's obligation is open.
    da_case("X500005")
    # F: left BBR for non-attendance on 12 Feb, nothing since.
    build_case("X500006", [*da_events(), {"on": "2024-01-10", "type": "referred", "programme": "bbr"},
                           {"on": "2024-01-22", "type": "programme_started", "programme": "bbr"},
                           {"on": "2024-02-12", "type": "programme_left", "programme": "bbr",
                            "reason": "non_attendance"}])
    # G: referred and found not suitable (outright denial).
    g = service.refer(da_case("X500007"), "bbr", user=org.priya, on=date(2024, 1, 9))
    service.change_status(g, "assessed_not_suitable", user=org.priya, on=date(2024, 1, 30),
                          reason="categorical_denial")
    # H: completed: nothing missing.
    build_case("X500008", [*da_events(), {"on": "2024-01-10", "type": "referred", "programme": "toolkit"},
                           {"on": "2024-01-15", "type": "programme_started", "programme": "toolkit"},
                           {"on": "2024-03-15", "type": "programme_completed", "programme": "toolkit"}])

    found = gaps(org.mo, TODAY)

    # Rule 15 opened on the sentence that required the programme.
    assert [(g.case.ref, g.since, g.overdue) for g in found["not_referred"]] == [("X500005", date(2024, 1, 2), True)]
    assert found["not_referred"][0].detail.startswith("The court imposed a requirement to attend Building Better "
                                                      "Relationships (2 January 2024): make the referral by")
    assert [(g.case.ref, g.since, g.days(TODAY)) for g in found["waiting"]] == [("X500002", date(2024, 2, 1), 90)]
    assert [(g.case.ref, g.since) for g in found["cancelled"]] == [
        ("X500004", date(2024, 2, 19)), ("X500003", date(2024, 3, 11))]
    assert found["cancelled"][0].detail == "Structured one-to-one toolkit work cancelled by the provider"
    assert [(g.case.ref, g.since, g.detail) for g in found["left"]] == [
        ("X500006", date(2024, 2, 12), "Left Building Better Relationships (non attendance)")]
    assert [(g.case.ref, g.detail) for g in found["not_suitable"]] == [
        ("X500007", "Not suitable for Building Better Relationships (categorical denial)")]
    listed = [g.case.ref for rows in found.values() for g in rows]
    assert "X500001" not in listed and "X500008" not in listed
    assert len(listed) == len(set(listed))


def test_ended_supervision_drops_out_of_the_gaps(org: Org) -> None:
    build_case("X500009", [*da_events(), {"on": "2024-02-01", "type": "supervision_ended", "reason": "revoked"}])
    assert all(not rows for rows in gaps(org.mo, TODAY).values())
