"""Every route answers only the HTTP methods it is for (issue 33, finding 4).

A web page takes GET (and HEAD), and POST only where it has a form; PUT, PATCH, DELETE and OPTIONS get 405
before the view runs, so they can neither show a page nor go round its read audit. An API view answers the
methods it declares (DRF: a `put`, `patch` or `delete` handler) and 405 to the rest, OPTIONS included.

Each route of the URL resolver is requested with each refused method (with a body, as an attacker would send it)
by a user the authorization matrix lets in, signed in, with real objects in the URL: a new route that forgets its
method decorator fails here by name. The read routes are then requested with HEAD, which must write the same
read-audit entry as GET (the audit follows the response, not the method)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve
from matrix_walk import key, path_for
from secworld import SecurityWorld
from test_authorization_matrix import COLUMNS, expected_row
from test_read_audit import read_problems

from safeguard.audit.models import AuditEntry
from urlwalk import Route, all_routes

REFUSED = ("PUT", "PATCH", "DELETE", "OPTIONS")
BODY = b'{"ref": "X100001"}'


def _declared(route: Route, path: str, method: str) -> bool:
    """An API view that has a handler for this method (DRF class views only: web pages declare none)."""
    view_class = getattr(resolve(path.split("?")[0]).func, "view_class", None)
    return route.template.startswith("api/") and view_class is not None and hasattr(view_class, method.lower())


def _allowed_role(route: Route) -> str:
    """A role the matrix lets open the route (its first "ok" column), else a signed-in practitioner."""
    row = expected_row(key(route))
    return next((role for role in COLUMNS if row[role] == "ok" and role != "anonymous"), "practitioner")


@pytest.mark.django_db
def test_every_route_refuses_the_methods_it_does_not_take(sworld: SecurityWorld) -> None:
    problems: list[str] = []
    for route in all_routes():
        path = path_for(route, sworld)
        if key(route) == "api/zzz-walked":
            continue  # the API's catch-all: a 404 problem to every method, for an address that does not exist
        role = _allowed_role(route)
        client = Client()
        user = sworld.player(role)
        for method in REFUSED:
            if _declared(route, path, method):
                continue
            if user is not None:
                client.force_login(user)  # again each time: a sign-out route ends the session
            before = AuditEntry.objects.count()
            response = client.generic(method, path, data=BODY, content_type="application/json")
            if response.status_code != 405:
                problems.append(f"{key(route)} ({path}) {method} as {role}: {response.status_code}, expected 405")
            elif AuditEntry.objects.count() != before:
                problems.append(f"{key(route)} ({path}) {method} as {role}: refused but wrote an audit entry")
    assert not problems, f"{len(problems)} route(s) answer methods they do not take:\n" + "\n".join(problems)


# The extra players: each route is asked one refused method (in turn) as each of them, signed in or not. A web page
# refuses it with 405 before anything else; an API route may first refuse the caller (401 signed out, 403/404).
EXTRA_PLAYERS = ("other_unit", "integration", "admin", "anonymous")


@pytest.mark.django_db
@pytest.mark.parametrize("role", EXTRA_PLAYERS)
def test_other_units_integration_admin_and_anonymous_get_405_too(sworld: SecurityWorld, role: str) -> None:
    problems: list[str] = []
    client = Client()
    user = sworld.player(role)
    for number, route in enumerate(all_routes()):
        path = path_for(route, sworld)
        method = REFUSED[number % len(REFUSED)]
        if key(route) == "api/zzz-walked" or _declared(route, path, method):
            continue
        if user is not None:
            client.force_login(user)
        status = client.generic(method, path, data=BODY, content_type="application/json").status_code
        allowed = {405, 401, 403, 404} if route.template.startswith("api/") else {405}
        if status not in allowed:
            problems.append(f"{key(route)} ({path}) {method} as {role}: {status}, expected 405")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_anonymous_gets_405_before_sign_in_on_web_pages(sworld: SecurityWorld) -> None:
    """The method check comes first: a signed-out PUT to a case page is a 405, not a redirect that names it."""
    response = Client().put(f"/agencies/cases/{sworld.partner.case.ref}/", data=BODY)
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.django_db
def test_head_of_a_read_route_writes_the_read_audit(sworld: SecurityWorld) -> None:
    problems = read_problems(sworld, "HEAD")
    assert not problems, "\n".join(problems)
