"""The case audit: a random sample drawn from a recorded seed (drawn again, the same cases), the inspectors'
questions answered per case, and the agreement table comparing the auditor's answers with Safeguard's."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from insights_pages import People, tables

from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case
from safeguard.insights.measures import today
from safeguard.insights.scope import Period, Scope, default_start
from safeguard.insights_web import casesample
from safeguard.insights_web.casesample import NOT_JUDGED, QUESTIONS, Verdict, agreement, draw, safeguard_verdicts
from safeguard.insights_web.models import AuditedCase, AuditSample

pytestmark = pytest.mark.django_db

REGION_CASES = ["X100001", "X100002", "X100003", "X100009", "X200001"]  # X300001 is in another region


def drawn(sample: AuditSample) -> list[str]:
    return list(sample.cases.order_by("position").values_list("case__ref", flat=True))


def test_draw_is_a_seeded_sample_of_the_sorted_population() -> None:
    refs = [f"X{n}" for n in range(50)]
    assert draw(refs, 5, 42) == draw(list(reversed(refs)), 5, 42)  # the order given does not matter
    assert draw(refs, 5, 42) != draw(refs, 5, 43)
    assert len(set(draw(refs, 10, 1))) == 10
    assert sorted(draw(refs[:3], 10, 1)) == refs[:3]  # asking for more than there are gives them all


def test_a_sample_is_drawn_from_the_seed_recorded_and_drawn_again_identically(clients: dict[str, Client],
                                                                             people: People) -> None:
    quinn = clients["quinn"]
    response = quinn.post("/audit-sample/", {"size": "3", "seed": "20251"})
    assert response.status_code == 302
    sample = AuditSample.objects.get()
    assert response["Location"] == f"/audit-sample/{sample.pk}/"
    assert (sample.seed, sample.size, sample.population, sample.drawn_by) == (20251, 3, 5, people.users["quinn"])
    day = today()
    population = casesample.population(people.users["quinn"], Scope(region=people.org.team.unit.region_id),
                                       Period(default_start(day), day), day)
    assert population == REGION_CASES
    assert drawn(sample) == draw(REGION_CASES, 3, 20251)

    again = quinn.post("/audit-sample/", {"size": "3", "seed": "20251"})
    assert drawn(AuditSample.objects.get(pk=again["Location"].split("/")[2])) == drawn(sample)

    page = quinn.get(f"/audit-sample/{sample.pk}/").content.decode()
    assert "Yes: drawing again with this seed gives the same cases." in page
    assert re.findall(r'<tr class="govuk-table__row" data-case="([^"]+)">', page) == drawn(sample)

    entry = AuditEntry.objects.filter(action="audit_sample.drawn").first()
    assert entry is not None and entry.object_id == str(sample.pk)
    assert entry.detail["refs"] == drawn(sample) and entry.detail["rows"] == 5
    assert entry.detail["sha256"] == sample.population_sha256


def test_without_a_seed_one_is_chosen_and_recorded(clients: dict[str, Client], people: People) -> None:
    clients["quinn"].post("/audit-sample/", {"size": "10"})
    sample = AuditSample.objects.get()
    assert sorted(drawn(sample)) == REGION_CASES
    assert drawn(sample) == draw(REGION_CASES, 10, sample.seed)


def test_a_bad_sample_size_is_explained(clients: dict[str, Client], people: People) -> None:
    response = clients["quinn"].post("/audit-sample/", {"size": "0", "seed": "x"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sample at least 1 case" in page and "The seed must be a whole number" in page
    assert not AuditSample.objects.exists()


def test_safeguards_answers_follow_the_measures_behind_each_question(people: People) -> None:
    ids = {c.ref: c.pk for c in Case.objects.all()}
    verdicts = safeguard_verdicts(list(ids.values()), Period())
    # Daniel (X100001): sentenced three weeks ago, no police check and no assessment: nothing counted was met.
    daniel = verdicts[ids["X100001"]]
    assert ("Police checks made where required", 0, 1) in daniel["assessment"].parts
    assert daniel["assessment"].answer == "no" and daniel["assessment"].met == 0
    # With no SARA score there is no MARAC or programme referral to judge planning by, nor any visit or review due.
    assert daniel["planning"].answer == NOT_JUDGED and daniel["delivery"].answer == NOT_JUDGED
    # Liam (X100002): the police replied and he was assessed with their answer, in time.
    liam = verdicts[ids["X100002"]]["assessment"]
    assert ("Police checks made where required", 1, 1) in liam.parts
    assert liam.answer == "yes" and liam.met == liam.counted


def _fake(case_id: int, **answers: str) -> AuditedCase:
    return AuditedCase(case_id=case_id, position=case_id, **answers)


def test_the_agreement_table_is_worked_out_by_hand() -> None:
    def v(answer: str) -> Verdict:
        return Verdict(answer)

    verdicts = {
        1: {"assessment": v("yes"), "planning": v(NOT_JUDGED), "delivery": v("no")},
        2: {"assessment": v("no"), "planning": v("yes"), "delivery": v("no")},
        3: {"assessment": v("partly"), "planning": v("no"), "delivery": v("yes")},
        4: {"assessment": v("yes"), "planning": v("yes"), "delivery": v("yes")},
    }
    audited = [
        _fake(1, assessment="yes", planning="no", delivery="no"),
        _fake(2, assessment="partly", planning="yes", delivery="no"),
        _fake(3, assessment="partly", planning="no", delivery="partly"),
        _fake(4),  # not answered yet: left out
    ]
    rows = {row.question.name: row for row in agreement(audited, verdicts)}
    # assessment: case 1 yes/yes agree, case 2 partly/no differ, case 3 partly/partly agree.
    assert (rows["assessment"].answered, rows["assessment"].judged, rows["assessment"].agreed) == (3, 3, 2)
    assert rows["assessment"].rate == pytest.approx(2 / 3)
    assert rows["assessment"].cross == {("yes", "yes"): 1, ("partly", "no"): 1, ("partly", "partly"): 1}
    # planning: case 1 Safeguard could not judge (counted, not in the rate); 2 and 3 agree.
    assert (rows["planning"].answered, rows["planning"].judged, rows["planning"].agreed) == (3, 2, 2)
    assert rows["planning"].cell("no", NOT_JUDGED) == 1 and rows["planning"].rate == 1.0
    # delivery: 1 and 2 agree (no/no), 3 partly against Safeguard's yes.
    assert (rows["delivery"].agreed, rows["delivery"].judged) == (2, 3)
    assert rows["delivery"].cell("partly", "yes") == 1


def test_answering_the_questions_fills_the_agreement_table(clients: dict[str, Client], people: People) -> None:
    quinn = clients["quinn"]
    quinn.post("/audit-sample/", {"size": "5", "seed": "3"})
    sample = AuditSample.objects.get()
    audited = list(sample.cases.order_by("position").select_related("case"))
    verdicts = safeguard_verdicts([a.case_id for a in audited], Period(sample.period_start, sample.period_end))
    opposite = {"yes": "no", "no": "yes", "partly": "yes", NOT_JUDGED: "yes"}
    # The auditor agrees with Safeguard on the first three cases and disagrees on the fourth; the fifth is left.
    given: dict[str, list[tuple[str, str]]] = {q.name: [] for q in QUESTIONS}
    for n, item in enumerate(audited[:4]):
        answers = {}
        for q in QUESTIONS:
            computed = verdicts[item.case_id][q.name].answer
            answers[q.name] = (computed if computed != NOT_JUDGED else "partly") if n < 3 else opposite[computed]
            given[q.name].append((answers[q.name], computed))
        page = quinn.get(f"/audit-sample/{sample.pk}/cases/{item.case.ref}/")
        assert page.status_code == 200 and b"Safeguard's answer" not in page.content  # not shown before answering
        response = quinn.post(f"/audit-sample/{sample.pk}/cases/{item.case.ref}/",
                              {**answers, "assessment_comment": "Checked the OASys", "next": "1"})
        assert response.status_code == 302
    answered_page = quinn.get(f"/audit-sample/{sample.pk}/cases/{audited[0].case.ref}/").content.decode()
    assert "Safeguard's answer" in answered_page and "Checked the OASys" in answered_page

    found = tables(quinn.get(f"/audit-sample/{sample.pk}/").content.decode())
    rows = {r[0]: r[1:] for r in found["agreement"][1:]}
    for q in QUESTIONS:
        pairs = given[q.name]
        judged = [(a, c) for a, c in pairs if c != NOT_JUDGED]
        agreed = sum(a == c for a, c in judged)
        rate = f"{agreed / len(judged) * 100:.0f}%" if judged else "–"
        assert rows[q.text] == [str(len(pairs)), str(len(judged)), str(agreed), rate], q.name
        cross = {r[0]: r[1:] for r in found[f"cross-{q.name}"][1:]}
        for answer, words in (("yes", "Yes"), ("partly", "Partly"), ("no", "No")):
            assert cross[words] == [str(sum(1 for a, c in pairs if a == answer and c == computed))
                                    for computed in ("yes", "partly", "no", NOT_JUDGED)]
    assert AuditedCase.objects.filter(sample=sample, answered_at__isnull=False).count() == 4
    assert AuditEntry.objects.filter(action="audit_sample.answered").count() == 4


def test_an_unanswered_question_is_explained(clients: dict[str, Client], people: People) -> None:
    clients["quinn"].post("/audit-sample/", {"size": "1", "seed": "1"})
    sample = AuditSample.objects.get()
    ref = drawn(sample)[0]
    response = clients["quinn"].post(f"/audit-sample/{sample.pk}/cases/{ref}/", {"assessment": "yes"})
    assert response.status_code == 400
    assert re.search(r"Answer: did planning address the risk to victims and children\?", response.content.decode())
    assert not AuditedCase.objects.get(sample=sample).answered
