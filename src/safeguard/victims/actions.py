"""Changing victims' safety records. Contact with a victim about their safety is a case event
(`victim_contact`, through record_event, so rule 18 and rule 19 see it); the rest is the record's own."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from safeguard.accounts.access import can_manage_never_disclose
from safeguard.actions import record_event
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, LinkedPerson
from safeguard.oversight.service import today
from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker, VictimRecord

NEVER_DISCLOSE_ADD = ("Only a victim-facing worker can add a detail marked never disclose. Nothing was saved: "
                      "give it to the victim's worker to record.")
NEVER_DISCLOSE_REMOVE = ("Only a victim-facing worker can remove a detail marked never disclose. Nothing was "
                         "changed: ask the victim's worker.")


class VictimRecordError(ValueError):
    """A change to a safety record refused: str() is a sentence to show the user; `field` names the form field at
    fault, when there is one. Nothing was written."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


RECORD_RELATIONSHIPS = frozenset({"partner", "ex_partner", "child", "partners_child"})


def needs_record(person: LinkedPerson, day: date) -> bool:
    """Victims, partners and ex-partners, and children (theirs, their partner's, or anyone under 18)."""
    if person.victim or person.current_partner or person.relationship in RECORD_RELATIONSHIPS:
        return True
    born = person.born
    return born is not None and (day.year - born.year - ((day.month, day.day) < (born.month, born.day))) < 18


@transaction.atomic
def ensure_records(case: Case) -> list[VictimRecord]:
    """The case's victims' and children's records, created for anyone linked who needs one."""
    day = today()
    have = set(VictimRecord.objects.filter(case=case).values_list("person_id", flat=True))
    for person in LinkedPerson.objects.filter(case=case).exclude(pk__in=have):
        if needs_record(person, day):
            VictimRecord.objects.create(case=case, person=person)
    return list(VictimRecord.objects.filter(case=case).select_related("person", "case"))


def _audit(action: str, record: VictimRecord, user: Any, **detail: Any) -> None:
    write_audit(action, user=user, case_ref=record.case.ref, object_type="victim_record", object_id=str(record.pk),
                detail={"person": record.person.ref, **detail})


def viewed(record: VictimRecord, user: Any) -> None:
    """Every opening of a record is logged: the record's access log is read from the audit chain."""
    _audit("victim.viewed", record, user)


@transaction.atomic
def add_detail(record: VictimRecord, *, kind: str, value: str, never_disclose: bool, note: str = "",
               user: Any) -> ContactDetail:
    """Only victim-facing workers add a never-disclose detail (access.can_manage_never_disclose)."""
    if never_disclose and not can_manage_never_disclose(user, record.case):
        raise VictimRecordError(NEVER_DISCLOSE_ADD, field="never_disclose")
    detail = ContactDetail.objects.create(record=record, kind=kind, value=value, never_disclose=never_disclose,
                                          note=note, added_by=user if user.is_authenticated else None)
    _audit("victim.detail_added", record, user, kind=kind, status="never_disclose" if never_disclose else "")
    return detail


@transaction.atomic
def remove_detail(detail: ContactDetail, *, user: Any) -> None:
    """Stamps `removed_at` (nothing is deleted). Only victim-facing workers remove a never-disclose detail."""
    if detail.never_disclose and not can_manage_never_disclose(user, detail.record.case):
        raise VictimRecordError(NEVER_DISCLOSE_REMOVE)
    detail.removed_at = timezone.now()
    detail.save(update_fields=["removed_at"])
    _audit("victim.detail_removed", detail.record, user, kind=detail.kind)


@transaction.atomic
def add_worker(record: VictimRecord, *, role: str, name: str, organisation: str = "", phone: str = "",
               from_on: date | None = None, user: Any) -> SupportWorker:
    worker = SupportWorker.objects.create(record=record, role=role, name=name, organisation=organisation,
                                          phone=phone, from_on=from_on or today())
    _audit("victim.worker_added", record, user, kind=role)
    return worker


@transaction.atomic
def record_safety_contact(record: VictimRecord, *, by: str, safety_plan: bool, plan: str = "",
                          plan_review_on: date | None = None, on: date | None = None, user: Any) -> SafetyContact:
    """A `victim_contact` event on the case (by the person's worker or the practitioner), with the safety
    plan text kept here, encrypted, and never in the case's event log."""
    day = on or today()
    event = record_event(record.case, {"on": day.isoformat(), "type": "victim_contact", "ref": record.person.ref,
                                       "by": by, "safety_plan": safety_plan}, user=user)
    contact = SafetyContact.objects.create(record=record, event=event, on=day, by=by, safety_plan=safety_plan,
                                           plan=plan, plan_review_on=plan_review_on,
                                           recorded_by=user if user.is_authenticated else None)
    _audit("victim.contact_recorded", record, user, kind=by)
    return contact
