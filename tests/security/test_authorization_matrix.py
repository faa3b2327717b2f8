"""The authorization matrix: every URL pattern the URL resolver knows (web pages and /api/v1/ routes), for every
role in accounts.models.ROLE_CHOICES and for someone not signed in, requested with real objects in the URL, and
the outcome compared with the table below. A route with no row, or a role with no column, fails the test and
names it: adding a route means deciding who may open it.

Outcomes (tests/security/matrix_walk.py classifies them): "ok" let in (a page, a download, a redirect other than
to sign-in, or the empty form refused after access was granted); "403" refused and told so (a page the role is
never for); "404" refused without saying the thing exists (a case, record or request the user may not see);
"login" sent to sign in (or the API's 401). Routes taking only POST are POSTed empty inside a rolled-back
savepoint. The objects are those of the North City world (tests/security/secworld.py): the case X100001 of the
practitioner "pp" in Team A (with its open suggestion and risk-plan action), its SPO, the unit's head, the
region's QA, the unit's police, children's services and victim worker, an administrator, an integration
account of the unit, and a practitioner of the second unit (South Town, "other_unit"), who must find nothing of
North City's. The methods each route takes are walked in test_http_methods.py. Expected outcomes come from the
rules in safeguard/accounts/access.py and docs/security.md
("Who can see what"), not from what the code happens to answer.
"""

from __future__ import annotations

import pytest
from matrix_walk import walk
from secworld import ROLES, SecurityWorld

COLUMNS = ("practitioner", "spo", "head", "qa", "police", "csc", "victim_worker", "admin", "integration", "other_unit",
           "anonymous")

# Route name (or its template when it has no name) -> the outcome for each role, in COLUMNS order.
#                                     practi spo   head  qa    police csc  victim admin integr other anon
EXPECTED: dict[str, str] = {
    "healthz":                           "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "readyz":                            "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "metrics":                           "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "api-cases":                         "ok    ok    ok    ok    404   404   ok    ok    ok    ok    login",
    "api-case":                          "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-case-people":                   "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-case-events":                   "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-case-event":                    "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-case-event-void":               "403   ok    403   403   404   404   404   404   403   404   login",
    "api-case-obligations":              "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-case-assessments":              "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-case-assessment":               "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-obligations":                   "ok    ok    ok    ok    404   404   ok    ok    ok    ok    login",
    "api-obligation":                    "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "api-checks":                        "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "api-check":                         "404   404   404   404   ok    404   404   404   404   404   login",
    "api-check-return":                  "404   404   404   404   ok    404   404   404   404   404   login",
    "api-requests":                      "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "api-request":                       "404   404   404   404   ok    404   404   404   404   404   login",
    "api-request-answer":                "404   404   404   404   ok    404   404   404   404   404   login",
    "api-victims":                       "ok    ok    ok    ok    404   404   ok    ok    ok    ok    login",
    "api-victim":                        "ok    ok    404   404   404   404   ok    404   404   404   login",
    "api-measures":                      "ok    ok    ok    ok    404   404   403   403   403   ok    login",
    "api-measure":                       "ok    ok    ok    ok    404   404   403   403   403   ok    login",
    "api-schema":                        "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "api-docs":                          "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "api-deliveries":                    "403   403   403   403   403   403   403   ok    403   403   login",
    "api/zzz-walked":                    "404   404   404   404   404   404   404   404   404   404   404",
    "accounts:account":                  "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "accounts:change-password":          "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "accounts:sign-out-everywhere":      "login login login login login login login login login login login",
    "accounts:reset-two-factor":         "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "accounts:recovery-codes":           "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "accounts:two-factor-setup":         "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "accounts:two-factor-verify":        "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "accounts:users":                    "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-new":                 "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user":                     "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-deactivate":          "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-reactivate":          "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-reset-two-factor":    "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-unlock":              "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-approve-role":        "404   404   404   404   404   404   404   ok    404   404   login",
    "accounts:user-refuse-role":         "404   404   404   404   404   404   404   ok    404   404   login",
    "agencies:index":                    "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "agencies:queue":                    "403   403   403   403   ok    ok    403   403   403   403   login",
    "agencies:queue-item":               "403   403   403   403   ok    404   403   403   403   403   login",
    "agencies:breach":                   "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "agencies:case":                     "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "agencies:request-new":              "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:requests-csv":             "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "agencies:marac-new":                "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:mappa":                    "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:control-new":              "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:request":                  "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "agencies:request-edit":             "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:request-send":             "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:request-use":              "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:marac":                    "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "agencies:marac-pack":               "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "agencies:marac-action-done":        "ok    ok    403   403   404   404   404   404   403   404   login",
    "agencies:control":                  "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "agencies:disclosure":               "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "victims:list":                      "ok    ok    403   403   403   403   ok    403   403   ok    login",
    "victims:case":                      "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:case-export":               "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:record":                    "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:add-detail":                "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:add-worker":                "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:add-contact":               "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:access-log":                "ok    ok    404   404   404   404   ok    404   404   404   login",
    "victims:remove-detail":             "ok    ok    404   404   404   404   ok    404   404   404   login",
    "assessment-list":                   "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "assessment-detail":                 "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "assessment-edit":                   "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "assessment-submit":                 "ok    ok    403   403   404   404   404   404   403   404   login",
    "assessment-countersign":            "ok    ok    403   403   404   404   404   404   403   404   login",
    "assessment-return":                 "404   ok    404   404   404   404   404   404   404   404   login",
    "assessment-version":                "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "assessment-pdf":                    "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "assessment-marac-pdf":              "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "assessment-plan-done":              "ok    ok    403   403   404   404   404   404   403   404   login",
    "interventions-queue":               "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "interventions-referral":            "ok    ok    ok    ok    403   403   403   403   403   404   login",
    "interventions-case":                "ok    ok    ok    ok    403   403   403   403   403   404   login",
    "interventions-course":              "ok    ok    ok    ok    403   403   403   403   403   404   login",
    "interventions-course-new":          "403   ok    ok    403   403   403   403   403   403   403   login",
    "interventions-book":                "403   ok    ok    403   403   403   403   403   403   403   login",
    "interventions-register":            "ok    ok    ok    403   403   403   403   403   403   404   login",
    "interventions-decision":            "403   ok    403   403   403   403   403   403   403   403   login",
    "interventions-step":                "ok    ok    403   403   403   403   403   403   403   404   login",
    "interventions-exclusion":           "ok    ok    403   403   403   403   403   403   403   404   login",
    "interventions-lift":                "ok    ok    403   403   403   403   403   403   403   404   login",
    "workforce-capacity":                "403   ok    ok    403   403   403   403   403   403   403   login",
    "workforce-supervision":             "403   ok    ok    403   403   403   403   403   403   403   login",
    "workforce-allocate":                "403   ok    ok    403   404   404   404   404   403   404   login",
    "insights_web:dashboard":            "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:measure":              "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:cases":                "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:export-csv":           "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:measure-export-csv":   "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:cases-export-csv":     "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:export-xlsx":          "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:measure-export-xlsx":  "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:cases-export-xlsx":    "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:export-pdf":           "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:measure-export-pdf":   "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:cases-export-pdf":     "ok    ok    ok    ok    403   403   403   403   403   ok    login",
    "insights_web:audit-samples":        "403   403   403   ok    403   403   403   403   403   403   login",
    "insights_web:audit-sample":         "403   403   403   ok    403   403   403   403   403   403   login",
    "insights_web:audit-case":           "403   403   403   ok    403   403   403   403   403   403   login",
    "signals_web:confirm":               "ok    ok    403   403   404   404   404   404   403   404   login",
    "signals_web:dismiss":               "ok    ok    403   403   404   404   404   404   403   404   login",
    "home":                              "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "login":                             "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    ok",
    "logout":                            "login login login login login login login login login login login",
    "caseload":                          "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "caseload-search":                   "ok    ok    ok    ok    ok    ok    ok    ok    ok    ok    login",
    "team":                              "403   ok    ok    403   403   403   403   403   403   403   login",
    "case":                              "ok    ok    ok    ok    404   404   404   404   ok    404   login",
    "record-menu":                       "ok    ok    403   403   404   404   404   404   403   404   login",
    "case-restriction":                  "403   ok    ok    403   404   404   404   404   403   404   login",
    "case-access-log":                   "403   ok    ok    ok    404   404   404   404   403   404   login",
    "record":                            "ok    ok    403   403   404   404   404   404   403   404   login",
    "case-event-void":                   "403   ok    403   403   404   404   404   404   403   404   login",
}


def expected_row(route: str) -> dict[str, str]:
    outcomes = EXPECTED[route].split()
    assert len(outcomes) == len(COLUMNS), f"matrix row for {route!r} has {len(outcomes)} outcomes, not {len(COLUMNS)}"
    return dict(zip(COLUMNS, outcomes, strict=True))


def test_every_role_has_a_column() -> None:
    missing = [role for role in ROLES if role not in COLUMNS]
    assert not missing, f"roles with no column in the authorization matrix: {missing} (add one to COLUMNS and to " \
                        "every row of EXPECTED)"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_authorization_matrix(sworld: SecurityWorld, role: str) -> None:
    assert role in COLUMNS, f"role {role!r} has no column in the authorization matrix"
    problems: list[str] = []
    for route, (path, outcome) in walk(sworld, role).items():
        if outcome.startswith("unmapped"):
            problems.append(outcome)
            continue
        if route not in EXPECTED:
            problems.append(f"route {route!r} ({path}) has no entry in the authorization matrix "
                            f"(tests/security/test_authorization_matrix.py EXPECTED); as {role} it answered {outcome}")
            continue
        wanted = expected_row(route)[role]
        if outcome != wanted:
            problems.append(f"{route} ({path}) as {role}: {outcome}, expected {wanted}")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_matrix_has_no_rows_for_routes_that_are_gone() -> None:
    from matrix_walk import key

    from urlwalk import all_routes

    gone = set(EXPECTED) - {key(r) for r in all_routes()}
    assert not gone, f"matrix rows for routes the project no longer has: {sorted(gone)}"
