"""The case audit: quality assurance draws a random sample of cases as inspectors do, answers the inspectors'
questions for each, and sees how their judgement compares with what Safeguard computed.

Safeguard's answer to a question is read from the measures behind it (safeguard.insights): every obligation (or
referral) of those measures on the case that the measure counts (its denominator) is either met or not. All met
is "yes", none met "no", some "partly"; nothing counted is "not judged" (there was nothing Safeguard could check).
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter as Tally
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.insights.dashboard import rows_behind
from safeguard.insights.measures import measure, supervised_during, today
from safeguard.insights.scope import Period, Scope
from safeguard.insights_web.models import AuditedCase, AuditSample

MAX_SAMPLE = 60
DEFAULT_SAMPLE = 10
NOT_JUDGED = "not_judged"
VERDICT_WORDS = {"yes": "Yes", "partly": "Partly", "no": "No", NOT_JUDGED: "Not judged"}


@dataclass(frozen=True)
class Question:
    name: str  # the AuditedCase field
    text: str
    hint: str
    measures: tuple[str, ...]  # the measures Safeguard's answer is computed from


QUESTIONS: tuple[Question, ...] = (
    Question("assessment", "Was assessment sufficient?",
             "Did assessment analyse the risk of domestic abuse, drawing on police and children's services "
             "information and considering every known victim and child?",
             ("assessments-sufficient", "police-checks", "childrens-checks")),
    Question("planning", "Did planning address the risk to victims and children?",
             "Did planning set out how victims and children would be kept safe: MARAC where the criteria were met, "
             "a domestic-abuse programme where he was eligible?",
             ("marac-referrals", "intervention-referrals")),
    Question("delivery", "Was delivery and reviewing sufficient?",
             "Were home visits, controls, breaches and programmes acted on, and was risk reviewed on time and "
             "after each change?",
             ("home-visits", "controls-verified", "breaches-acted-on", "interventions-started-12-weeks",
              "scheduled-reviews-on-time", "triggered-reviews-on-time")),
)


# -- drawing ----------------------------------------------------------------------------------------------
def population(user: Any, scope: Scope, period: Period, as_of: date) -> list[str]:
    """The case references a sample is drawn from, in order: domestic-abuse cases under supervision in the
    period, in the scope, that the auditor may see (Case.objects.visible_to)."""
    in_scope = supervised_during(scope, period, as_of).filter(da_since__isnull=False, da_since__lte=as_of)
    return list(Case.objects.visible_to(user).filter(pk__in=in_scope.values("pk")).order_by("ref")
                .values_list("ref", flat=True))


def draw(refs: list[str], size: int, seed: int) -> list[str]:
    """`size` references chosen at random from `refs` (sorted first), reproducibly from `seed`."""
    ordered = sorted(refs)
    return random.Random(seed).sample(ordered, min(size, len(ordered)))


def fingerprint(refs: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(refs)).encode()).hexdigest()


def new_seed() -> int:
    return secrets.randbelow(10**9)


@transaction.atomic
def draw_sample(user: Any, scope: Scope, period: Period, *, size: int, seed: int | None = None,
                as_of: date | None = None) -> AuditSample:
    day = as_of or today()
    seed = new_seed() if seed is None else seed
    refs = population(user, scope, period, day)
    chosen = draw(refs, size, seed)
    shown = scope.as_dict()
    sample = AuditSample.objects.create(
        drawn_by=user, seed=seed, size=size, scope_level=shown["level"], scope_id=shown["id"],
        scope_label=scope.label, period_start=period.start, period_end=period.end, as_of=day,
        population=len(refs), population_sha256=fingerprint(refs))
    cases = dict(Case.objects.filter(ref__in=chosen).values_list("ref", "pk"))
    AuditedCase.objects.bulk_create(AuditedCase(sample=sample, case_id=cases[ref], position=n)
                                    for n, ref in enumerate(chosen, start=1))
    write_audit("audit_sample.drawn", user=user, object_type="audit_sample", object_id=str(sample.pk),
                detail={"count": len(chosen), "rows": len(refs), "refs": chosen,
                        "scope": f"{shown['level']}-{shown['id']}" if shown["id"] else "country",
                        "sha256": sample.population_sha256})
    return sample


def redraw(sample: AuditSample, user: Any) -> tuple[list[str], bool]:
    """The sample drawn again from its seed over today's population for the same scope and period, and whether
    that population is the one the sample was drawn from (when it is, the cases must be the same)."""
    scope = Scope(**({sample.scope_level: sample.scope_id} if sample.scope_id else {}), label=sample.scope_label)
    refs = population(user, scope, Period(sample.period_start, sample.period_end), sample.as_of)
    return draw(refs, sample.size, sample.seed), fingerprint(refs) == sample.population_sha256


def save_answers(audited: AuditedCase, answers: dict[str, str], *, user: Any) -> None:
    from django.utils import timezone

    for q in QUESTIONS:
        setattr(audited, q.name, answers[q.name])
        setattr(audited, f"{q.name}_comment", answers.get(f"{q.name}_comment", ""))
    audited.answered_by = user
    audited.answered_at = timezone.now()
    with transaction.atomic():
        audited.save()
        write_audit("audit_sample.answered", user=user, case_ref=audited.case.ref, object_type="audit_sample",
                    object_id=str(audited.sample_id),
                    detail={"seq": audited.position, "kinds": [answers[q.name] for q in QUESTIONS]})


# -- Safeguard's answers ----------------------------------------------------------------------------------
@dataclass
class Verdict:
    answer: str  # yes | partly | no | not_judged
    met: int = 0
    counted: int = 0
    parts: list[tuple[str, int, int]] = field(default_factory=list)  # (measure title, met, counted)

    @property
    def words(self) -> str:
        return VERDICT_WORDS[self.answer]


def _verdict(met: int, counted: int) -> str:
    if counted == 0:
        return NOT_JUDGED
    if met == counted:
        return "yes"
    return "no" if met == 0 else "partly"


def safeguard_verdicts(case_ids: list[int], period: Period, as_of: date | None = None
                       ) -> dict[int, dict[str, Verdict]]:
    """For each case, Safeguard's answer to each question (one grouped query per measure)."""
    day = as_of or today()
    found: dict[int, dict[str, Verdict]] = {pk: {q.name: Verdict(NOT_JUDGED) for q in QUESTIONS} for pk in case_ids}
    for q in QUESTIONS:
        for mid in q.measures:
            m = measure(mid)
            case_field = m.counter.case_field
            grouped = (rows_behind(mid, "denominator", period=period, as_of=day)
                       .filter(**{f"{case_field}__in": case_ids}).values(case_field).order_by()
                       .annotate(counted_rows=Count("pk"), met_rows=Count("pk", filter=Q(met=True))))
            for row in grouped:
                verdict = found[row[case_field]][q.name]
                verdict.met += row["met_rows"]
                verdict.counted += row["counted_rows"]
                verdict.parts.append((m.title, row["met_rows"], row["counted_rows"]))
    for per_case in found.values():
        for verdict in per_case.values():
            verdict.answer = _verdict(verdict.met, verdict.counted)
    return found


@dataclass
class AgreementRow:
    question: Question
    answered: int = 0  # cases the auditor has answered this question for
    judged: int = 0  # of those, cases Safeguard could judge
    agreed: int = 0  # of those, the same answer
    cross: dict[tuple[str, str], int] = field(default_factory=dict)  # (auditor, Safeguard) -> cases

    @property
    def rate(self) -> float | None:
        return self.agreed / self.judged if self.judged else None

    def cell(self, auditor: str, computed: str) -> int:
        return self.cross.get((auditor, computed), 0)


def agreement(audited: list[AuditedCase], verdicts: dict[int, dict[str, Verdict]]) -> list[AgreementRow]:
    """Per question: how often the auditor and Safeguard gave the same answer, and the full cross-tabulation
    (auditor's answer by Safeguard's). Cases the auditor has not answered are left out; cases Safeguard could
    not judge are counted in the cross-tabulation but not in the agreement rate."""
    rows = []
    for q in QUESTIONS:
        row = AgreementRow(q)
        tally: Tally[tuple[str, str]] = Tally()
        for item in audited:
            answer = getattr(item, q.name)
            if not answer:
                continue
            computed = verdicts[item.case_id][q.name].answer
            tally[(answer, computed)] += 1
            row.answered += 1
            if computed != NOT_JUDGED:
                row.judged += 1
                row.agreed += answer == computed
        row.cross = dict(tally)
        rows.append(row)
    return rows
