"""Requesting every route the URL resolver knows, as one role, with real objects in its URL, and classifying
the answer: "ok" (let in: 2xx, a redirect other than to sign-in, or a 400/409/412/422 refusal of the empty
input, which comes after access), 403, 404, "login" (a redirect to sign-in, or the API's 401), or 405 (a
method the route does not take). A route that answers GET with 405 is POSTed (empty form) inside a savepoint
that is rolled back, so the walk changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.test import Client
from secworld import SecurityWorld

from safeguard.agencies.models import MaracAction
from safeguard.oversight.models import Obligation
from safeguard.victims.models import ContactDetail
from urlwalk import Route, all_routes

OK, FORBIDDEN, NOT_FOUND, LOGIN = "ok", "403", "404", "login"
LET_IN = {400, 409, 412, 415, 422, 428}  # the request's form or headers refused, after access


def key(route: Route) -> str:
    return route.name or route.template


# The object each id in a route's URL names, by route: the walk fills <pk> from here (a route with <pk> that is
# missing here fails the matrix test with its name).
PK: dict[str, Callable[[SecurityWorld], Any]] = {
    "api-obligation": lambda w: Obligation.objects.filter(case=w.partner.case).values_list("pk", flat=True)[0],
    "api-check": lambda w: w.partner.police_request.agency_check_id,
    "api-check-return": lambda w: w.partner.police_request.agency_check_id,
    "api-request": lambda w: w.partner.police_request.pk,
    "api-request-answer": lambda w: w.partner.police_request.pk,
    "api-victim": lambda w: w.partner.victim.pk,
    "agencies:queue-item": lambda w: w.partner.police_request.pk,
    "agencies:request": lambda w: w.partner.police_request.pk,
    "agencies:request-edit": lambda w: w.partner.draft.pk,
    "agencies:request-send": lambda w: w.partner.draft.pk,
    "agencies:request-use": lambda w: w.partner.police_request.pk,
    "agencies:marac": lambda w: w.partner.marac.pk,
    "agencies:marac-pack": lambda w: w.partner.marac.pk,
    "agencies:marac-action-done": lambda w: MaracAction.objects.filter(referral=w.partner.marac).first().pk,
    "agencies:control": lambda w: w.partner.control.pk,
    "agencies:disclosure": lambda w: w.partner.consideration.pk,
    "victims:record": lambda w: w.partner.victim.pk,
    "victims:add-detail": lambda w: w.partner.victim.pk,
    "victims:add-worker": lambda w: w.partner.victim.pk,
    "victims:add-contact": lambda w: w.partner.victim.pk,
    "victims:access-log": lambda w: w.partner.victim.pk,
    "victims:remove-detail": lambda w: ContactDetail.objects.filter(record=w.partner.victim, never_disclose=False)
    .first().pk,
    "interventions-referral": lambda w: w.referral.pk,
    "interventions-decision": lambda w: w.referral.pk,
    "interventions-step": lambda w: w.referral.pk,
    "interventions-course": lambda w: w.cohort.pk,
    "interventions-book": lambda w: w.cohort.pk,
    "interventions-register": lambda w: w.cohort.pk,
    "interventions-lift": lambda w: w.exclusion.pk,
    # User management: another user's account (the practitioner's).
    "accounts:user": lambda w: w.users["pp"].pk,
    "accounts:user-deactivate": lambda w: w.users["pp"].pk,
    "accounts:user-reactivate": lambda w: w.users["pp"].pk,
    "accounts:user-reset-two-factor": lambda w: w.users["pp"].pk,
    "accounts:user-unlock": lambda w: w.users["pp"].pk,
    "accounts:user-approve-role": lambda w: w.users["pp"].pk,
    "accounts:user-refuse-role": lambda w: w.users["pp"].pk,
    "insights_web:audit-sample": lambda w: w.sample.pk,
    "insights_web:audit-case": lambda w: w.sample.pk,
}
for _name in ("api-case-assessment", "assessment-detail", "assessment-edit", "assessment-submit",
              "assessment-countersign", "assessment-return", "assessment-version", "assessment-pdf",
              "assessment-marac-pdf"):
    PK[_name] = lambda w: w.assessment.pk


# Routes that name their object by another parameter (a case event's seq, a plan action's id) or in the query
# string (a suggestion's ?kind=): the values here stand before other_values'.
ROUTE_VALUES: dict[str, Callable[[SecurityWorld], dict[str, str]]] = {
    "signals_web:confirm": lambda w: {"seq": str(w.suggestion.event.seq)},
    "signals_web:dismiss": lambda w: {"seq": str(w.suggestion.event.seq)},
    "assessment-plan-done": lambda w: {"action_pk": str(w.plan_action.pk)},
}
QUERY: dict[str, Callable[[SecurityWorld], str]] = {
    "signals_web:confirm": lambda w: f"?kind={w.suggestion.kind}",
    "signals_web:dismiss": lambda w: f"?kind={w.suggestion.kind}",
}
# A dashboard's measure pages and exports name the measure (and, behind a number, the part) in the query string.
for _page in ("measure", "measure-export-csv", "measure-export-xlsx", "measure-export-pdf"):
    QUERY[f"insights_web:{_page}"] = lambda w: "?measure=police-checks"
for _page in ("cases", "cases-export-csv", "cases-export-xlsx", "cases-export-pdf"):
    QUERY[f"insights_web:{_page}"] = lambda w: "?measure=police-checks&part=denominator"


def other_values(world: SecurityWorld) -> dict[str, str]:
    """Values for the other parameter names, whatever the route."""
    return {"ref": world.partner.case.ref, "seq": "1", "number": "1", "event_type": "contact",
            "measure": "police-checks", "to_status": "assessed_suitable"}


def path_for(route: Route, world: SecurityWorld) -> str:
    values = other_values(world)
    if key(route) in ROUTE_VALUES:
        values.update(ROUTE_VALUES[key(route)](world))
    filled: dict[str, list[str]] = {}
    for name in route.params:
        if name == "pk":
            if key(route) not in PK:
                raise KeyError(f"route {key(route)!r} ({route.template}) names an object (<pk>) with no entry in "
                               "tests/security/matrix_walk.py PK: say which object of the world it should open")
            filled[name] = [str(PK[key(route)](world))]
        elif name in values:
            filled[name] = [values[name]]
        else:
            raise KeyError(f"route {key(route)!r} ({route.template}) has a parameter {name!r} with no value in "
                           "tests/security/matrix_walk.py other_values")
    paths = list(route.fill(filled))
    query = QUERY[key(route)](world) if key(route) in QUERY else ""
    return paths[0][0] + query


def classify(response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        return LOGIN if "/sign-in/" in response.get("Location", "") else OK
    if status == 401:
        return LOGIN
    if 200 <= status < 300 or status in LET_IN:
        return OK
    return str(status)


def sign_in(client: Client, user: Any) -> None:
    client.force_login(user)


class _Rollback(Exception):
    pass


def request_route(client: Client, path: str) -> str:
    outcome = classify(client.get(path))
    if outcome != "405":
        return outcome
    try:
        with transaction.atomic():
            outcome = classify(client.post(path))
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def walk(world: SecurityWorld, role: str) -> dict[str, tuple[str, str]]:
    """Each route's key -> (path, outcome) for one role."""
    client = Client()
    user = world.player(role)
    found: dict[str, tuple[str, str]] = {}
    for route in all_routes():
        if user is not None:  # again for each route: a sign-out route ends the session it is asked on
            sign_in(client, user)
        try:
            path = path_for(route, world)
        except KeyError as error:
            found[key(route)] = (route.template, f"unmapped: {error.args[0]}")
            continue
        found[key(route)] = (path, request_route(client, path))
    return found

