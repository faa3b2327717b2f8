"""Query budgets (issue 11): the number of queries a typical event and the practitioner's pages make, so a
change that adds a query per row or per event shows up here rather than in the benchmark. Counts, not times."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web"))

from web_scenarios import (  # noqa: E402
    PASSWORD,
    ago,
    countersign_case,
    make_org,
    overdue_police_check_case,
    settled_case,
)

from safeguard.actions import record_event  # noqa: E402
from safeguard.audit.models import AuditEntry  # noqa: E402
from safeguard.cases.models import Case  # noqa: E402

pytestmark = pytest.mark.django_db

# record_event of one contact: lock the case (with its practitioner, the contact's author), read its log, write the
# event, its projection, the case and the outbox, read the stored obligations and staff for the evaluation and write
# what changed (up to three bulk writes), the audit chain (lock on PostgreSQL, head, entry). No savepoint when called
# inside a transaction. About 26 before issue 11, 17 before its re-evaluation work. The contact's row is now an
# INSERT on PostgreSQL too (it was a COPY, which the capture does not see, at two round trips), and the case row's
# projected fields and evaluation are saved in one UPDATE.
RECORD_EVENT_BUDGET = 14
# The caseload (a practitioner's cases with their next obligations) and a case page, whatever the number of
# cases or obligations: no query per row. Includes the session (read, and its sliding expiry written), the user,
# the navigation's reads and, on the case page, its read-audit entry (with the chain's lock on PostgreSQL).
CASELOAD_BUDGET = 11  # the cases, their open obligations, their registers, the scope menu's teams; the rest per request
# (the navigation's insights link no longer asks: ADR 0005 decision 27)
CASE_PAGE_BUDGET = 38  # 88-91 before issue 11 (a permission query per event type), then 48-49 (a restriction
# check per section); the rest is per feature (the tier reads its own events and no staff: ADR 0005 decision 28)


def test_recording_a_contact_stays_within_its_query_budget() -> None:
    make_org()
    case = settled_case()
    audited = AuditEntry.objects.count()
    with CaptureQueriesContext(connection) as queries:
        record_event(case, {"on": ago(0), "type": "contact", "kind": "office", "outcome": "attended", "by": "P1"})
    assert len(queries) <= RECORD_EVENT_BUDGET, "\n".join(q["sql"][:160] for q in queries.captured_queries)
    assert sum('UPDATE "cases_case"' in q["sql"] for q in queries.captured_queries) == 1
    # and it still did all its work: the event, its contact, the audit entry, the evaluation, the new version
    version = case.version
    case.refresh_from_db()
    assert case.version == version
    assert case.events.filter(type="contact").count() == 2
    assert AuditEntry.objects.count() == audited + 1
    assert case.evaluated_on is not None


def _signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _count(client: Client, url: str) -> tuple[int, str]:
    client.get(url)  # the first request warms per-process caches (policy, templates)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), "\n".join(q["sql"][:160] for q in queries.captured_queries)


def test_the_caseload_page_does_not_grow_with_the_caseload() -> None:
    make_org()
    overdue_police_check_case()
    client = _signed_in("priya")
    one, _ = _count(client, "/caseload/")
    settled_case()
    many, sql = _count(client, "/caseload/")
    assert many <= CASELOAD_BUDGET, sql
    assert many == one, f"one more case added {many - one} queries:\n{sql}"


def test_the_case_page_stays_within_its_query_budget() -> None:
    make_org()
    case = countersign_case()
    settled_case()
    count, sql = _count(_signed_in("mo"), f"/cases/{case.ref}/")
    assert count <= CASE_PAGE_BUDGET, sql
    assert Case.objects.filter(ref=case.ref).exists()
