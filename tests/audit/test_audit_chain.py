"""write_audit chains every entry, records where a request came from, and never holds sensitive text."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory

from safeguard.audit.appendonly import AppendOnlyError
from safeguard.audit.chain import GENESIS, entry_hash, fields_of
from safeguard.audit.context import AuditContextMiddleware
from safeguard.audit.log import DETAIL_KEYS, AuditDetailError, write_audit
from safeguard.audit.models import AuditEntry
from safeguard.audit.verify import verify
from safeguard.cases.models import CaseEvent
from safeguard.timeline.importer import import_timeline
from safeguard.timeline.validate import validate_document

pytestmark = pytest.mark.django_db


def test_entries_form_one_chain_in_order(chain: list[AuditEntry]) -> None:
    stored = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in stored] == [1, 2, 3, 4, 5]
    assert stored[0].prev_hash == GENESIS
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash
    for entry in stored:  # the hash read back from the database is the hash of what was read back
        assert entry.hash == entry_hash(fields_of(entry, ("seq", "at", "user_id", "action", "case_ref", "object_type",
                                                          "object_id", "detail", "ip", "prev_hash")))
    report = verify()
    assert report.intact and report.entries == 5 and report.head_seq == 5 and report.head_hash == stored[-1].hash


def test_the_existing_call_signature_still_works() -> None:
    entry = write_audit("case.viewed", user=None, case_ref="X1", object_type="case", object_id="7")
    assert (entry.action, entry.case_ref, entry.object_id, entry.detail, entry.ip) == ("case.viewed", "X1", "7", {},
                                                                                        None)


def test_a_request_gives_the_address_and_the_user() -> None:
    user = get_user_model().objects.create_user("spo.one", password="a long enough password")
    request = RequestFactory().get("/cases/X1/", REMOTE_ADDR="198.51.100.23")
    request.user = user
    entry = write_audit("case.viewed", case_ref="X1", object_type="case", object_id="1", request=request)
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert (entry.ip, entry.user_id) == ("198.51.100.23", user.pk)
    assert verify().intact


def test_anonymous_users_are_not_recorded_as_users() -> None:
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.9")
    request.user = AnonymousUser()
    entry = write_audit("sign_in.failed", request=request)
    assert entry.user_id is None and entry.ip == "198.51.100.9"


def test_forwarded_for_is_ignored_unless_the_proxies_are_configured(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.50")
    assert write_audit("case.viewed", request=request).ip == "10.0.0.5"  # a client can send any header
    settings.SAFEGUARD_PROXY_HOPS = 1
    assert write_audit("case.viewed", request=request).ip == "203.0.113.50"  # the one our proxy added
    settings.SAFEGUARD_PROXY_HOPS = 2
    assert write_audit("case.viewed", request=request).ip == "6.6.6.6"
    assert verify().intact


def test_ipv6_addresses_are_stored_canonically_and_the_chain_still_verifies() -> None:
    mapped = write_audit("case.viewed", request=RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.1"))
    long_form = write_audit("case.viewed", request=RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0:0:0:0:1"))
    assert (mapped.ip, long_form.ip) == ("192.0.2.1", "2001:db8::1")
    assert [e.ip for e in AuditEntry.objects.order_by("seq")] == ["192.0.2.1", "2001:db8::1"]
    assert verify().intact


def test_the_middleware_gives_actions_called_in_a_request_the_address() -> None:
    def view(request: Any) -> HttpResponse:
        write_audit("case.viewed", case_ref="X1")  # called deep inside an action, without the request
        return HttpResponse("ok")

    AuditContextMiddleware(view)(RequestFactory().get("/", REMOTE_ADDR="192.0.2.44"))
    write_audit("case.viewed", case_ref="X1")  # outside any request: no address
    assert list(AuditEntry.objects.order_by("seq").values_list("ip", flat=True)) == ["192.0.2.44", None]


@pytest.mark.parametrize("detail", [
    {"name": "Jane Smith"},  # a key that is not an identifier
    {"address": "12"},
    {"note": "x"},
    {"kind": "left the house at 10pm with the children"},  # free text in an allowed key
    {"refs": ["V1", "Jane Smith"]},
    {"ref": "jane@example.org"},  # an email address is not a ref
    {"count": 1.5},
    {"kind": {"nested": "V1"}},
    {"ref": "x" * 81},
])
def test_detail_refuses_anything_but_identifiers_and_kinds(detail: dict[str, Any]) -> None:
    with pytest.raises(AuditDetailError):
        write_audit("case.viewed", case_ref="X1", detail=detail)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("fields", [{"case_ref": "Jane Smith"}, {"object_id": "12 Acacia Avenue"},
                                    {"action": "Viewed the case"}])
def test_refs_and_actions_must_be_identifiers_too(fields: dict[str, str]) -> None:
    arguments = {"action": "case.viewed", **fields}
    with pytest.raises(AuditDetailError):
        write_audit(**arguments)


def test_recording_events_audits_ids_kinds_and_digests_only(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"].append({"on": "2021-06-16", "type": "information_received", "source": "victim",
                                   "text": "She has moved to 12 Acacia Avenue with the children"})
    import_timeline(validate_document(timeline_doc, "t.json"))
    everything = json.dumps(list(AuditEntry.objects.values()), default=str)
    for sensitive in ("Acacia", "assault by beating", "Three domestic call-outs", "1990-01-01", "1988-04-02"):
        assert sensitive not in everything
    for entry in AuditEntry.objects.all():
        assert set(entry.detail) <= DETAIL_KEYS
    events = AuditEntry.objects.filter(object_type="case_event")
    assert events.count() == CaseEvent.objects.count() == 7
    assert all(len(e.detail["sha256"]) == 64 for e in events)
    assert verify().intact


def test_the_application_cannot_change_or_remove_entries(chain: list[AuditEntry]) -> None:
    entry = AuditEntry.objects.get(seq=3)
    entry.action = "case.nothing_to_see"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=3).update(action="case.nothing_to_see")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=3).delete()
    with pytest.raises(AppendOnlyError):  # entries are only written by write_audit, which chains them
        AuditEntry.objects.create(seq=6, action="case.viewed", prev_hash=chain[-1].hash, hash="0" * 64)
    assert verify().intact


def test_case_events_cannot_be_changed_or_removed_by_the_application(timeline_doc: dict[str, Any]) -> None:
    import_timeline(validate_document(timeline_doc, "t.json"))
    event = CaseEvent.objects.first()
    assert event is not None
    event.payload = {**event.payload, "months": 1}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().update(source="web")
    with pytest.raises(AppendOnlyError):
        CaseEvent.objects.all().delete()


def test_several_entries_are_chained_in_one_write_and_a_bad_one_writes_none(chain: list[AuditEntry]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safeguard.audit.log import write_audit_many

    items = [{"action": "obligation.escalated", "case_ref": f"X{i}", "object_type": "obligation",
              "object_id": str(i), "detail": {"kind": "review"}} for i in range(3)]
    with pytest.raises(AuditDetailError):  # checked before anything is written
        write_audit_many([*items, {"action": "Not An Action"}])
    assert AuditEntry.objects.count() == 5
    with CaptureQueriesContext(connection) as queries:
        written = write_audit_many(items)
    assert len(queries) <= 3  # the lock and the head in one cursor (PostgreSQL), then one INSERT
    assert [e.seq for e in written] == [6, 7, 8] and written[0].prev_hash == chain[-1].hash
    assert [e.case_ref for e in AuditEntry.objects.filter(seq__gt=5).order_by("seq")] == ["X0", "X1", "X2"]
    assert verify().intact
