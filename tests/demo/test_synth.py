"""The synthetic unit: deterministic, about 30% domestic abuse, valid events, a realistic mix of practice."""

from __future__ import annotations

import json
from datetime import date

import pytest
from synth_unit import AS_OF, CASES, SEED

from safeguard.cases.models import Case, CaseEvent
from safeguard.demo.synth import LoadSummary, Organisation, generate
from safeguard.oversight.models import Obligation
from safeguard.timeline.validate import validate_document
from safeguard.workforce.models import Staff


def _documents(seed: int, cases: int = CASES, as_of: date = AS_OF) -> list[dict]:
    _, generated = generate(cases, seed, as_of)
    return [c.timeline for c in generated]


def test_the_same_seed_gives_the_same_cases_and_events() -> None:
    first, second = _documents(SEED), _documents(SEED)
    assert [d["case"]["ref"] for d in first] == [d["case"]["ref"] for d in second]
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_another_seed_gives_other_cases() -> None:
    first, other = _documents(SEED), _documents(SEED + 1)
    assert {d["case"]["ref"] for d in first}.isdisjoint({d["case"]["ref"] for d in other})
    assert json.dumps(first) != json.dumps(other)


def test_organisation_has_every_grade_and_an_spo_per_team() -> None:
    org, _ = generate(300, SEED, AS_OF)
    assert 3 <= len(org.teams) <= 6
    assert {s.grade for s in org.staff} == {"PO", "PQiP", "PSO", "SPO"}
    for unit, team in org.teams:
        assert [s.grade for s in org.staff if (s.unit, s.team) == (unit, team)].count("SPO") == 1
    assert {s.da_trained for s in org.staff} == {True, False}
    assert all(s.qualified_on for s in org.staff if s.grade in {"PO", "SPO"})


def test_every_event_is_dated_within_the_last_eighteen_months_or_so() -> None:
    for document in _documents(SEED):
        days = [date.fromisoformat(e["on"]) for e in document["events"]]
        assert days == sorted(days)
        assert max(days) <= AS_OF
        assert (AS_OF - min(days)).days <= 540 + 100  # starts within 18 months; a few weeks of lead-in before


def test_every_generated_timeline_is_valid() -> None:
    for document in _documents(SEED, cases=150):
        validate_document(document, document["case"]["ref"])


@pytest.mark.django_db
def test_every_case_and_event_went_through_the_actions(synthetic_unit: tuple[Organisation, LoadSummary]) -> None:
    _, summary = synthetic_unit
    assert summary.errors == []
    assert len(summary.cases) == CASES
    events = CaseEvent.objects.filter(case__ref__in=summary.cases)
    assert events.count() == summary.events
    assert set(events.values_list("source", flat=True)) == {"synth"}
    assert Case.objects.filter(ref__in=summary.cases, evaluated_on=AS_OF).count() == CASES


@pytest.mark.django_db
def test_about_thirty_percent_are_domestic_abuse_cases(synthetic_unit: tuple[Organisation, LoadSummary]) -> None:
    _, summary = synthetic_unit
    da = Case.objects.filter(ref__in=summary.cases).exclude(da_since=None).count()
    assert abs(da / CASES - 0.3) <= 0.05


@pytest.mark.django_db
def test_practice_is_mixed_so_every_concern_level_appears(synthetic_unit: tuple[Organisation, LoadSummary]) -> None:
    _, summary = synthetic_unit
    levels = set(Case.objects.filter(ref__in=summary.cases).values_list("concern", flat=True))
    assert levels == {"none", "watch", "serious", "immediate"}


@pytest.mark.django_db
def test_obligations_of_many_kinds_and_statuses(synthetic_unit: tuple[Organisation, LoadSummary]) -> None:
    _, summary = synthetic_unit
    obligations = Obligation.objects.filter(case__ref__in=summary.cases)
    assert len(set(obligations.values_list("kind", flat=True))) >= 10
    assert {"done", "due", "overdue"} <= set(obligations.values_list("status", flat=True))


@pytest.mark.django_db
def test_staff_are_placed_in_their_teams(synthetic_unit: tuple[Organisation, LoadSummary]) -> None:
    org, _ = synthetic_unit
    for member in org.staff:
        staff = Staff.objects.select_related("team__unit__region").get(code=member.ref)
        assert (staff.name, staff.grade, staff.team.name, staff.team.unit.name, staff.team.unit.region.name) == (
            member.name, member.grade, member.team, member.unit, org.region)


@pytest.mark.django_db
def test_linked_people_have_synthetic_names(synthetic_unit: tuple[Organisation, LoadSummary]) -> None:
    _, summary = synthetic_unit
    case = Case.objects.filter(ref__in=summary.cases).exclude(da_since=None).first()
    assert case is not None and case.name
    assert all(person.name for person in case.people.all())
