"""Victims' safety records through the API: only for those entitled, never-disclose details never in a response,
every read in the record's access log."""

from __future__ import annotations

from typing import Any

import pytest
from api_routes import api_paths

from safeguard.accounts.models import Profile
from safeguard.audit.models import AuditEntry
from safeguard.victims.actions import add_detail, add_worker, ensure_records, record_safety_contact
from safeguard.victims.models import VictimRecord

pytestmark = pytest.mark.django_db

REFUGE = "4 Haven Close, Sheffield S1 2AB"
WITHHELD = "[never disclose: withheld]"


@pytest.fixture
def record(world: Any) -> VictimRecord:
    from django.contrib.auth.models import User

    world.users["vw"] = User.objects.create_user("vw", email="vw@probation.example")
    Profile.objects.create(user=world.users["vw"], role="victim_worker", unit=world.unit)
    pp = world.users["pp"]
    [found] = [r for r in ensure_records(world.case) if r.person.ref == "V1"]
    add_detail(found, kind="address", value=REFUGE, never_disclose=True, note="Refuge: never share",
               user=world.users["vw"])  # only victim-facing workers add one
    add_detail(found, kind="phone", value="07700 900123", never_disclose=False, note=f"Not at {REFUGE}", user=pp)
    add_worker(found, role="idva", name="Jo IDVA", organisation="Northtown Women's Aid", phone="0114 496 0000",
               user=pp)
    record_safety_contact(found, by="idva", safety_plan=True, plan=f"Stays at {REFUGE.lower()}; code word agreed",
                          user=pp)
    return found


@pytest.mark.parametrize("who", ["pp", "spo", "vw"])
def test_entitled_roles_read_records_without_never_disclose_values(world: Any, record: VictimRecord,
                                                                    who: str) -> None:
    client = world.client(who, scopes=("victims",))
    listed = client.get("/api/v1/victims/?case=X900001").json()["results"]
    assert [(r["case"], r["person"], r["victim"]) for r in listed] == [("X900001", "V1", True)]
    response = client.get(f"/api/v1/victims/{record.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "haven" not in text.lower() and "S1 2AB" not in text
    body = response.json()
    details = {d["kind"]: d for d in body["details"]}
    assert details["address"] == {"id": details["address"]["id"], "kind": "address", "never_disclose": True,
                                  "value": WITHHELD, "note": "Refuge: never share"}
    assert details["phone"]["value"] == "07700 900123" and details["phone"]["note"] == f"Not at {WITHHELD}"
    assert body["workers"][0]["phone"] == "0114 496 0000" and body["workers"][0]["role"] == "idva"
    [contact] = body["contacts"]
    assert contact["safety_plan"] is True and contact["plan"] == f"Stays at {WITHHELD}; code word agreed"
    entry = AuditEntry.objects.filter(action="victim.viewed", object_id=str(record.pk)).last()
    assert entry is not None and entry.user == world.users[who]


@pytest.mark.parametrize("who", ["other", "qa", "admin", "police", "csc"])
def test_roles_not_entitled_see_no_record(world: Any, record: VictimRecord, who: str) -> None:
    client = world.client(who)
    listed = client.get("/api/v1/victims/?case=X900001")
    detail = client.get(f"/api/v1/victims/{record.pk}/")
    assert detail.status_code == 404
    assert listed.status_code == 404 if who in {"police", "csc"} else listed.json()["results"] == []
    for response in (listed, detail):
        assert "haven" not in response.content.decode().lower()
    assert not AuditEntry.objects.filter(action="victim.viewed", user=world.users[who]).exists()


def test_a_token_needs_the_victims_scope(world: Any, record: VictimRecord) -> None:
    response = world.client("pp", scopes=("read",)).get(f"/api/v1/victims/{record.pk}/")
    assert response.status_code == 403 and "'victims' scope" in response.json()["detail"]


def test_the_never_disclose_value_is_in_no_api_response_for_anyone(world: Any, record: VictimRecord) -> None:
    """Every GET route, for every role (the API is a channel on which never-disclose values are never shown)."""
    for who in ("pp", "spo", "vw", "other", "qa", "police", "csc", "admin"):
        client = world.client(who)
        for path, _ in api_paths(world):
            body = client.get(path).content.decode().lower()
            assert "haven close" not in body and "s1 2ab" not in body, (who, path)
