"""The obligation measures for the whole country, by the ORM (as the dashboards count them) and by one
hand-written SQL query, for the benchmark's ratio. Both must give the same numbers (tests/scale checks).

The hand-written query judges every obligation once (excluded, pending, done, done on time: the rules of
`insights.measures.judge_obligations`) and counts each measure with a FILTER clause.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connections, router

from safeguard.insights.measures import MEASURES, ObligationCounter, Result, count_obligation_measures
from safeguard.insights.scope import ALL_TIME, COUNTRY


def obligation_measures() -> list[tuple[str, ObligationCounter]]:
    return [(m.id, m.counter) for m in MEASURES if type(m.counter) is ObligationCounter]


def obligation_measures_orm(as_of: date) -> dict[str, tuple[int, int]]:
    """As the dashboards count them (insights.measures.compute_all): one ORM query for the set, grouped by rule and
    kind with a FILTER clause per count."""
    results: dict[str, Result] = count_obligation_measures(dict(obligation_measures()), COUNTRY, ALL_TIME, as_of)
    return {measure_id: (int(r.numerator), int(r.denominator)) for measure_id, r in results.items()}


def obligation_measures_one_by_one(as_of: date) -> dict[str, tuple[int, int]]:
    """Each measure's own query (ObligationCounter.count), as the dashboards counted them before issue 11."""
    found = {}
    for measure_id, counter in obligation_measures():
        result: Result = counter.count(COUNTRY, ALL_TIME, as_of)
        found[measure_id] = (int(result.numerator), int(result.denominator))
    return found


def _where(counter: ObligationCounter, params: list[Any]) -> str:
    where = f"rule IN ({', '.join(['%s'] * len(counter.rules))})"
    params.extend(counter.rules)
    if counter.kinds:
        where += f" AND kind IN ({', '.join(['%s'] * len(counter.kinds))})"
        params.extend(counter.kinds)
    return where


def obligation_measures_by_hand(as_of: date) -> dict[str, tuple[int, int]]:
    from safeguard.oversight.models import Obligation

    measures = obligation_measures()
    params: list[Any] = []
    counts = []
    for _, counter in measures:
        done = "done_on_time" if counter.on_time else "done"
        counts.append(f"COUNT(*) FILTER (WHERE {_where(counter, params)} AND counted AND {done})")
        counts.append(f"COUNT(*) FILTER (WHERE {_where(counter, params)} AND counted)")
    rules = tuple(sorted({r for _, c in measures for r in c.rules}))
    # Each flag is false, never null, where a date is missing (as the ORM's CASE WHEN … ELSE false).
    sql = f"""
        WITH flags AS (
            SELECT o.rule, o.kind,
                   COALESCE(o.status = 'withdrawn' OR (o.status = 'waived' AND o.closed_on <= %s
                            AND (e.id IS NOT NULL OR o.closed_on <= o.due)), false) AS excluded,
                   COALESCE(o.status <> 'withdrawn' AND (o.status IN ('due', 'overdue') OR o.closed_on > %s)
                            AND o.due >= %s, false) AS pending,
                   COALESCE(o.status = 'done' AND o.closed_on <= %s, false) AS done,
                   COALESCE(o.status = 'done' AND o.closed_on <= %s AND o.closed_on <= o.due, false) AS done_on_time
            FROM oversight_obligation o
            JOIN cases_case c ON c.id = o.case_id AND c.archived_at IS NULL
            LEFT JOIN cases_caseevent e ON e.id = o.closed_by_id AND e.type = 'manager_decision'
            WHERE o.opened <= %s AND o.rule IN ({', '.join(['%s'] * len(rules))})
        ), judged AS (
            SELECT rule, kind, NOT excluded AND NOT pending AS counted, done, done_on_time FROM flags
        )
        SELECT {', '.join(counts)} FROM judged
    """
    all_params: list[Any] = [as_of] * 6 + list(rules) + params
    alias = router.db_for_read(Obligation) or "default"
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, all_params)
        row = cursor.fetchone()
    return {measure_id: (int(row[2 * i]), int(row[2 * i + 1])) for i, (measure_id, _) in enumerate(measures)}
