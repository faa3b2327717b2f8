"""Partner-agency users see their queue and nothing else: every URL the project defines is walked (from the
URL resolver, not a list), with every parameter filled with the ids and refs of real objects, GET and POST."""

from __future__ import annotations

import pytest
from django.test import Client

from partner_world import SECRETS, World
from safeguard.agencies.models import (
    AgencyRequest,
    BreachReport,
    ControlTerms,
    DisclosureConsideration,
    MaracAction,
    MaracReferral,
)
from safeguard.cases.models import Case, CaseEvent, Control, LinkedPerson
from safeguard.oversight.models import Obligation
from safeguard.practice.models import AgencyCheck
from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker, VictimRecord
from urlwalk import Route, all_routes, body_text, squeeze

ID_MODELS = (AgencyRequest, AgencyCheck, BreachReport, ControlTerms, DisclosureConsideration, MaracAction,
             MaracReferral, Control, LinkedPerson, VictimRecord, ContactDetail, SupportWorker, SafetyContact,
             Obligation)
PARTNERS = ("police", "csc", "police_b")
DENIED = {403, 404}
SIGNS_OUT = {"logout", "accounts:sign-out-everywhere"}  # posting here would end the walk's session


def candidates(world: World) -> dict[str, list[str]]:
    """Values for path parameters: by name where the name says what it is, else by converter. Integer ids
    are the ids of every object of the models partner-agency work and victims' records touch (and the API's
    obligations), so each id route is tried with every real object of its kind and of every other."""
    ids = sorted({pk for model in ID_MODELS for pk in model.objects.values_list("pk", flat=True)})
    seqs = sorted(set(CaseEvent.objects.values_list("seq", flat=True)))[:3]
    refs = [c.ref for c in Case.objects.all()]
    return {
        "ref": refs, "str": refs, "int": [str(i) for i in ids],
        "seq": [str(s) for s in seqs], "number": ["1", "2"],
        "event_type": ["contact", "check_returned", "control_breached"], "slug": ["contact"],
    }


def own_paths(world: World, who: str) -> set[tuple[str, str]]:
    """(route name, pk) pairs a partner-agency user may open: their own queue's requests and checks."""
    queue = {"police": world.police_request, "csc": world.csc_request, "police_b": world.other_request}[who]
    return {("agencies:queue-item", str(queue.pk)), ("api-check", str(queue.agency_check_id)),
            ("api-check-return", str(queue.agency_check_id)),
            # The API's partner-agency endpoints for the same request (safeguard.api.partner).
            ("api-request", str(queue.pk)), ("api-request-answer", str(queue.pk))}


def secrets_for(world: World, who: str) -> dict[str, str]:
    found = dict(SECRETS)
    if who == "csc":  # their own request's question
        del found["other agency's question"]
    if who == "police_b":  # the other area's police see that area's own request, and none of North City's
        del found["other area's question"], found["other area's case"]
        found["North City case"] = world.case.name
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("who", PARTNERS)
def test_partner_agency_user_reaches_nothing_outside_their_queue(world: World, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    values = candidates(world)
    allowed = own_paths(world, who)
    secrets = {label: squeeze(text) for label, text in secrets_for(world, who).items()}
    routes = all_routes()
    assert any(r.name == "agencies:queue-item" for r in routes) and any(r.name == "victims:record" for r in routes)
    checked = leaks = 0
    problems: list[str] = []
    for route in routes:
        for path, params in route.fill(values):
            own = (route.name, params.get("pk", "")) in allowed
            statuses = {}
            for method in ("get", "post"):
                if method == "post" and route.name in SIGNS_OUT:
                    statuses[method] = 405
                    continue
                response = getattr(client, method)(path)
                checked += 1
                status = statuses[method] = response.status_code
                if status >= 500:
                    problems.append(f"{method.upper()} {path}: server error {status}")
                    continue
                if route.params and not own:
                    continue  # judged below, on both methods
                text = squeeze(body_text(response)) if status < 300 or status >= 400 else ""
                for label, secret in secrets.items():
                    if secret in text:
                        leaks += 1
                        problems.append(f"{method.upper()} {path}: shows the {label}")
            # Any case, request or object outside the queue: refused. A method the view does not take is refused
            # as such (405) before access is looked at, so the other method must be refused (403/404).
            refused = set(statuses.values()) <= DENIED | {405} and bool(set(statuses.values()) & DENIED)
            if route.params and not own and not refused:
                problems.append(f"{path} ({route.name or route.template}): GET {statuses['get']}, "
                                    f"POST {statuses['post']}")
    assert not problems, f"{len(problems)} problem(s) in {checked} requests:\n" + "\n".join(problems[:60])
    assert checked > 500 and leaks == 0


def test_every_route_is_walked_with_values(world: World) -> None:
    """The walker knows a value for every parameter name any URL uses (a new name fails here, not silently)."""
    values = candidates(world)
    for route in all_routes():
        assert list(route.fill(values)), route


@pytest.mark.django_db
def test_partner_queue_shows_only_what_is_needed(world: World) -> None:
    client = Client()
    client.force_login(world.users["police"])
    queue = client.get("/agencies/queue/")
    assert queue.status_code == 200
    page = queue.content.decode()
    assert world.police_request.ref in page
    assert world.csc_request.ref not in page and world.other_request.ref not in page and world.draft.ref not in page
    item = client.get(f"/agencies/queue/{world.police_request.pk}/").content.decode()
    for needed in ("Adam Northcase", "3 February 1985", "Vera Victim", "1 January 1990", "12 Oak Road",
                   "Any call-outs?"):
        assert needed in item
    # The question mentioned the refuge: the police never see it.
    assert "Hidden Lane" not in item and "HIDDEN LANE" not in item and "never disclose: withheld" in item
    for other in (world.case.ref, "Cara Child", "Nina Newpartner", "ASSESSMENT-ANALYSIS-TEXT", "high"):
        assert other not in item, other


def test_route_fill_replaces_every_parameter() -> None:
    route = Route("a/<str:ref>/b/<int:pk>/", "x")
    assert list(route.fill({"ref": ["R"], "pk": ["1", "2"]})) == [("/a/R/b/1/", {"ref": "R", "pk": "1"}),
                                                                  ("/a/R/b/2/", {"ref": "R", "pk": "2"})]


# Pages without parameters a partner-agency user may open (200). Every other one must refuse them, redirect them
# away or not take GET: a page added tomorrow that answers them fails here until someone decides it should.
PARTNER_PAGES = {
    "agencies:index", "agencies:queue", "agencies:breach",  # their queue and breach reports
    "api-checks", "api-requests",  # the API's view of their queue (the walk above checks what is in it)
    "api-schema", "api-docs",  # the API's description: no data
    "accounts:account", "accounts:two-factor-setup",  # their own account
    "caseload",  # an empty caseload: Case.objects.visible_to gives them no cases
    "healthz", "readyz", "metrics",  # operations endpoints: no case data
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", PARTNERS)
def test_new_pages_cannot_slip_past(world: World, who: str) -> None:
    client = Client()
    client.force_login(world.users[who])
    opened = []
    for route in all_routes():
        if route.params:
            continue  # every route with parameters is refused unless it is the user's own (the walk above)
        response = client.get("/" + route.template)
        if response.status_code == 200 and route.name not in PARTNER_PAGES:
            opened.append(f"/{route.template} ({route.name or 'unnamed'})")
        if route.name == "caseload" and response.status_code == 200:
            assert world.case.ref not in response.content.decode()
    assert not opened, "pages a partner-agency user can open that are not in PARTNER_PAGES:\n" + "\n".join(opened)
