"""The per-case "who looked at this case" page: for the case's SPO, the head of its unit and quality assurance;
the case's entries in the audit log (reads and writes), newest first, a page at a time, filterable by person."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from secworld import SecurityWorld

from safeguard.audit.log import write_audit
from safeguard.audit.models import AuditEntry


def _client(user: Any) -> Client:
    client = Client(REMOTE_ADDR="198.51.100.23")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_managers_see_who_looked_newest_first_with_where_from(sworld: SecurityWorld) -> None:
    case, users = sworld.partner.case, sworld.users
    _client(users["pp"]).get(f"/cases/{case.ref}/")  # a read to find
    page = _client(users["spo"]).get(f"/cases/{case.ref}/access-log/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Who looked at this case" in text and "case.viewed" in text and "198.51.100.23" in text
    assert "Pat Officer" in text  # the reader, by name
    shown = [e.seq for e in page.context["page"].object_list]
    assert shown == sorted(shown, reverse=True) and shown[0] == AuditEntry.objects.filter(
        case_ref=case.ref).order_by("-seq").values_list("seq", flat=True)[1]  # newest first (before this view's)
    # Opening the log is itself recorded.
    assert AuditEntry.objects.filter(action="case.access_log_viewed", case_ref=case.ref, user=users["spo"]).exists()


@pytest.mark.django_db
def test_filter_by_person_and_pages(sworld: SecurityWorld) -> None:
    case, users = sworld.partner.case, sworld.users
    for _ in range(55):
        write_audit("case.viewed", user=users["head"], case_ref=case.ref, object_type="case", object_id=str(case.pk))
    client = _client(users["qa"])
    first = client.get(f"/cases/{case.ref}/access-log/", {"person": users["head"].pk})
    assert first.status_code == 200
    rows = first.context["rows"]
    assert len(rows) == 50 and {e.user_id for e, _ in rows} == {users["head"].pk}
    second = client.get(f"/cases/{case.ref}/access-log/", {"person": users["head"].pk, "page": 2})
    assert len(second.context["rows"]) == 5
    assert f"person={users['head'].pk}" in first.content.decode()  # the next page keeps the filter
    # Another case's entries never appear.
    assert all(e.case_ref == case.ref for e, _ in first.context["rows"])
    # A made-up person shows everyone rather than an empty log.
    assert len(client.get(f"/cases/{case.ref}/access-log/", {"person": "x"}).context["rows"]) == 50


@pytest.mark.django_db
def test_who_may_open_the_access_log(sworld: SecurityWorld) -> None:
    case, users = sworld.partner.case, sworld.users
    url = f"/cases/{case.ref}/access-log/"
    expected = {"spo": 200, "head": 200, "qa": 200, "pp": 403, "colleague": 403, "police": 404, "csc": 404,
                "victim_worker": 404, "admin": 404, "other_pp": 404}
    found = {who: _client(users[who]).get(url).status_code for who in expected}
    assert found == expected
    assert Client().get(url).status_code == 302  # to sign in
    # The link from the case page: shown to those who may open it, not to the practitioner.
    assert url in _client(users["spo"]).get(f"/cases/{case.ref}/").content.decode()
    assert url not in _client(users["pp"]).get(f"/cases/{case.ref}/").content.decode()
