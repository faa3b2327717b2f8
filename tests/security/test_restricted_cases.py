"""Restricted cases ("limited access"): someone a restriction keeps out cannot tell the case exists, anywhere.

The walk requests every route the project defines as the excluded user, with the restricted case's reference and
the ids of its objects (its victim's record, its police request and check, its referral, its obligations), and
checks that nothing answers with the case: its pages refuse (404, or 403 where the page is not for the role at
all) and no page, list, search or API response mentions its reference or its name."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from matrix_walk import classify, key
from secworld import SecurityWorld

from partner_world import START
from safeguard.agencies import actions as agency_actions
from safeguard.audit.models import AuditEntry
from safeguard.cases.models import Case, LinkedPerson
from safeguard.cases.restrictions import CaseRestriction, RestrictionError, lift_restriction, set_restriction
from safeguard.interventions import service as interventions
from safeguard.oversight.models import Obligation
from safeguard.victims import actions as victim_actions
from urlwalk import all_routes, body_text

NAME = "Ivor Restricted"
SEARCH = {"search": "Ivor"}


class _Undo(Exception):
    pass


def _third_objects(w: SecurityWorld) -> list[int]:
    """Objects on the restricted case for the walk's ids: a victim's record, a police request sent (and its
    check), a programme referral, and its obligations."""
    third = w.third
    third.refresh_from_db()
    records = victim_actions.ensure_records(third)
    v3 = LinkedPerson.objects.get(case=third, ref="V3")
    request = agency_actions.draft_request(third, agency="police", about=[v3], question="THIRD-QUESTION",
                                           user=w.users["pp"])
    agency_actions.send_request(request, user=w.users["pp"])
    request.refresh_from_db()
    referral = interventions.refer(third, "bbr", user=w.users["pp"], on=START)
    ids = {r.pk for r in records} | {request.pk, request.agency_check_id, referral.pk}
    ids |= set(Obligation.objects.filter(case=third).values_list("pk", flat=True)[:1])
    return sorted(ids)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _mentions(response: Any, third: Case) -> bool:
    text = body_text(response)
    return third.ref in text or NAME in text


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["colleague", "spo", "qa", "police", "victim_worker"])
def test_excluded_user_cannot_tell_the_restricted_case_exists(sworld: SecurityWorld, who: str) -> None:
    third = sworld.third
    ids = _third_objects(sworld)
    user = sworld.users[who]
    if who in {"colleague", "spo"}:  # before: the team sees the case on its caseload and in search
        before = _client(user)
        assert before.get(f"/cases/{third.ref}/").status_code == 200
        if who == "spo":  # a practitioner's search covers their own caseload
            assert third.ref in before.post("/caseload/search/", SEARCH, follow=True).content.decode()
    if who == "qa":  # before: the case is in quality assurance's audit sample
        assert third.ref in _client(user).get(f"/audit-sample/{sworld.sample.pk}/").content.decode()
    setter = sworld.users["head" if who == "spo" else "spo"]  # the SPO is kept out by the head of unit
    set_restriction(third, mode="exclude", people=[user], reason="Knows the victim personally", user=setter)
    problems: list[str] = []
    checked = 0
    for route in all_routes():
        values: dict[str, list[str]] = {"ref": [third.ref], "pk": [str(i) for i in ids], "seq": ["1"],
                                        "number": ["1"], "event_type": ["contact"], "measure": ["police-checks"],
                                        "action_pk": ["1"], "to_status": ["assessed_suitable"]}
        for path, params in route.fill(values):
            client = _client(user)  # each time: a sign-out route ends the session
            response = client.get(path)
            if response.status_code == 405:  # a POST-only route: posted (a search for the name), then undone
                try:
                    with transaction.atomic():
                        response = client.post(path, SEARCH, follow=True)
                        raise _Undo
                except _Undo:
                    pass
            checked += 1
            outcome = classify(response)
            if "ref" in params and outcome == "ok":
                problems.append(f"{key(route)} {path}: let in ({response.status_code})")
            elif outcome == "ok" and _mentions(response, third):
                problems.append(f"{key(route)} {path}: mentions the restricted case")
    assert checked > 150
    assert not problems, f"{len(problems)} problem(s) as {who}:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_only_mode_keeps_out_everyone_not_named(sworld: SecurityWorld) -> None:
    third, users = sworld.third, sworld.users
    third.refresh_from_db()
    restriction = set_restriction(third, mode="only", people=[users["spo"]], reason="High-profile case: need to know",
                                  user=users["head"])
    named = set(restriction.people.values_list("username", flat=True))
    assert named == {"spo", "head", "pp"}  # the setter and the case's practitioner are always among them
    for who in ("pp", "spo", "head"):
        assert _client(users[who]).get(f"/cases/{third.ref}/").status_code == 200, who
    for who in ("colleague", "qa", "admin"):
        client = _client(users[who])
        assert client.get(f"/cases/{third.ref}/").status_code == 404, who
        assert client.get(f"/api/v1/cases/{third.ref}/").status_code == 404, who
        listed = client.get("/api/v1/cases/")
        assert listed.status_code == 200 and third.ref not in listed.content.decode(), who
    # Lifted: the team sees it again; the history keeps who restricted it and why.
    lift_restriction(restriction, reason="Trial over: no longer needed", user=users["head"])
    assert _client(users["colleague"]).get(f"/cases/{third.ref}/").status_code == 200
    assert CaseRestriction.objects.get(pk=restriction.pk).lifted_by == users["head"]


@pytest.mark.django_db
def test_restriction_rules_refuse_with_a_clear_error_and_change_nothing(sworld: SecurityWorld) -> None:
    third, users = sworld.third, sworld.users
    third.refresh_from_db()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"mode": "exclude", "people": [users["spo"]], "reason": "Knows the victim"}, "yourself"),
        ({"mode": "exclude", "people": [users["pp"]], "reason": "Knows the victim"}, "practitioner"),
        ({"mode": "exclude", "people": [], "reason": "Knows the victim"}, "at least one"),
        ({"mode": "exclude", "people": [users["colleague"]], "reason": "short"}, "reason"),
        ({"mode": "hide", "people": [users["colleague"]], "reason": "Knows the victim"}, "exclude"),
    ]
    for kwargs, words in cases:
        with pytest.raises(RestrictionError, match=words):
            set_restriction(third, user=users["spo"], **kwargs)
    assert not CaseRestriction.objects.exists()
    set_restriction(third, mode="exclude", people=[users["colleague"]], reason="Knows the victim", user=users["spo"])
    with pytest.raises(RestrictionError, match="already restricted"):
        set_restriction(third, mode="exclude", people=[users["qa"]], reason="Knows the victim", user=users["spo"])
    assert CaseRestriction.objects.count() == 1


@pytest.mark.django_db
def test_restriction_page_sets_and_lifts_with_a_reason_and_is_audited(sworld: SecurityWorld) -> None:
    third, users = sworld.third, sworld.users
    url = f"/cases/{third.ref}/restriction/"
    spo = _client(users["spo"])
    page = spo.get(url)
    assert page.status_code == 200 and "Restrict access to this case" in page.content.decode()
    # No reason: the error summary names the problem, and nothing is restricted.
    refused = spo.post(url, {"action": "set", "mode": "exclude", "people": [users["colleague"].pk], "reason": ""})
    assert refused.status_code == 400 and "Give the reason" in refused.content.decode()
    assert "govuk-error-summary" in refused.content.decode() and not CaseRestriction.objects.exists()
    # Someone not offered (another region's user does not exist here; a made-up id): refused.
    unknown = spo.post(url, {"action": "set", "mode": "exclude", "people": ["999999"], "reason": "Knows the victim"})
    assert unknown.status_code == 400 and not CaseRestriction.objects.exists()
    done = spo.post(url, {"action": "set", "mode": "exclude", "people": [users["colleague"].pk],
                          "reason": "Colin knows the victim's family"})
    assert done.status_code == 302
    assert _client(users["colleague"]).get(f"/cases/{third.ref}/").status_code == 404
    entry = AuditEntry.objects.filter(action="case.restricted", case_ref=third.ref).get()
    assert entry.user == users["spo"] and entry.detail["kind"] == "exclude"
    assert "family" not in str(entry.detail)  # the reason stays with the restriction, never in the audit log
    lifted = spo.post(url, {"action": "lift", "lift_reason": "Colin has left the team"})
    assert lifted.status_code == 302
    assert _client(users["colleague"]).get(f"/cases/{third.ref}/").status_code == 200
    assert AuditEntry.objects.filter(action="case.unrestricted", case_ref=third.ref, user=users["spo"]).exists()


@pytest.mark.django_db
def test_only_the_cases_managers_may_restrict_it(sworld: SecurityWorld) -> None:
    third, users = sworld.third, sworld.users
    url = f"/cases/{third.ref}/restriction/"
    assert _client(users["head"]).get(url).status_code == 200
    for who, status in (("pp", 403), ("colleague", 403), ("qa", 403), ("police", 404), ("admin", 404),
                        ("other_pp", 404)):
        assert _client(users[who]).get(url).status_code == status, who
    # The link on the case page: for those who may use it.
    assert url in _client(users["spo"]).get(f"/cases/{third.ref}/").content.decode()
    assert url not in _client(users["pp"]).get(f"/cases/{third.ref}/").content.decode()
