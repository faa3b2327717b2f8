"""Every read of a case, a victim's record or a document writes an audit entry: who, when, what, from where.

The walk requests each read route as a user allowed to read it and checks a new entry appears naming the user,
the case and the client's address. A new document route (a .pdf, .csv or .xlsx address) or API read of a case or
victim record must be listed here, or test_every_document_and_api_read_route_is_listed fails naming it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from matrix_walk import key, path_for
from secworld import SecurityWorld

from safeguard.audit.models import AuditEntry
from urlwalk import all_routes

# Read routes, and the role that reads them (the player in secworld.PLAYERS).
READS: dict[str, str] = {
    "case": "practitioner",
    "victims:case": "practitioner",
    "victims:record": "victim_worker",
    "victims:case-export": "practitioner",
    "victims:access-log": "practitioner",
    "agencies:case": "practitioner",
    "agencies:queue-item": "police",
    "agencies:request": "practitioner",
    "agencies:requests-csv": "practitioner",
    "agencies:marac": "practitioner",
    "agencies:marac-pack": "practitioner",
    "agencies:control": "practitioner",
    "agencies:disclosure": "spo",
    "assessment-list": "practitioner",
    "assessment-detail": "practitioner",
    "assessment-version": "practitioner",
    "assessment-pdf": "practitioner",
    "assessment-marac-pdf": "practitioner",
    "insights_web:audit-case": "qa",
    "insights_web:export-csv": "spo",
    "insights_web:measure-export-csv": "spo",
    "insights_web:cases-export-csv": "spo",
    "insights_web:export-xlsx": "spo",
    "insights_web:measure-export-xlsx": "spo",
    "insights_web:cases-export-xlsx": "spo",
    "insights_web:export-pdf": "spo",
    "insights_web:measure-export-pdf": "spo",
    "insights_web:cases-export-pdf": "spo",
    "case-access-log": "spo",
    "api-case": "practitioner",
    "api-case-people": "practitioner",
    "api-case-events": "practitioner",
    "api-case-event": "practitioner",
    "api-case-obligations": "practitioner",
}
# Reads that name no one case (a dashboard's figures): the entry need not carry a case reference.
NO_CASE = {key for key in READS if key.startswith("insights_web:") and key != "insights_web:audit-case"}
DOCUMENT = re.compile(r"\.(pdf|csv|xlsx)$")
API_READ = re.compile(r"^api/v1/(cases/<str:ref>/|victims/)")


def extra_reads() -> dict[str, str]:
    """API reads added by other work (victims' records, assessments) when their routes exist."""
    return {"api-victims": "practitioner", "api-victim": "practitioner", "api-case-assessments": "practitioner",
            "api-case-assessment": "practitioner"}


def read_problems(world: SecurityWorld, method: str = "GET") -> list[str]:
    """Each read route requested with `method` (GET, or HEAD: the audit follows the response, not the method) as a
    user allowed to read it: what is wrong with the audit entries it wrote."""
    routes = {key(r): r for r in all_routes()}
    reads = {**READS, **{k: v for k, v in extra_reads().items() if k in routes}}
    missing_routes = sorted(set(reads) - set(routes))
    assert not missing_routes, f"read routes listed here that the project no longer has: {missing_routes}"
    problems: list[str] = []
    for name, role in sorted(reads.items()):
        user = world.player(role)
        assert user is not None
        client = Client(REMOTE_ADDR="203.0.113.7")
        client.force_login(user)
        path = path_for(routes[name], world)
        before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = client.generic(method, path)
        if response.status_code != 200:
            problems.append(f"{name} ({path}) {method} as {role}: status {response.status_code}, expected 200")
            continue
        new = list(AuditEntry.objects.filter(seq__gt=before, user=user))
        if not new:
            problems.append(f"{name} ({path}) {method} as {role}: no audit entry")
            continue
        if not any(e.ip == "203.0.113.7" for e in new):
            problems.append(f"{name}: audit entry without the client's address ({[e.ip for e in new]})")
        if name not in NO_CASE and not any(e.case_ref == world.partner.case.ref for e in new):
            problems.append(f"{name}: audit entry does not name the case ({[e.case_ref for e in new]})")
    return problems


@pytest.mark.django_db
def test_every_read_writes_an_audit_entry_with_who_what_and_where(sworld: SecurityWorld) -> None:
    problems = read_problems(sworld)
    assert not problems, "\n".join(problems)


def test_every_document_and_api_read_route_is_listed() -> None:
    """A new PDF, CSV or spreadsheet, or a new API read of a case or victim, must be added to READS above."""
    listed = set(READS) | set(extra_reads())
    unlisted = [f"{key(r)} ({r.template})" for r in all_routes()
                if (DOCUMENT.search(r.template) or API_READ.match(r.template)) and key(r) not in listed
                and not r.template.endswith(("/return/", "/answer/", "/void/"))]  # writes only (POST)
    assert not unlisted, "document or API read routes with no read-audit check: " + ", ".join(unlisted)
