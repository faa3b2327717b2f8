"""Retention of closed cases, with legal holds.

Rule (our own policy default, SAFEGUARD_RETENTION_YEARS = 7): a case whose supervision ended
(`Case.ended_on`) more than that many whole years ago is anonymised, unless a legal hold is in force.
Anonymising keeps the record's shape for statistics and for the audit chain, and removes who the people
were: the case's name and date of birth, the linked people's names and dates of birth, victims' and
children's contact details, support workers' names and phones, and safety plans. The case event log and
the audit log are append-only and keep what they hold (references and codes, not names); see
docs/security.md. Each case is anonymised in its own transaction, with an audit entry, and a
RetentionAction row so it is never done twice.

Legal holds are set and lifted only by a head of unit for a case in their unit, with a reason (kept on
the hold; the audit entry records who, when and which hold, never the reason's text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from safeguard.accounts.access import role_of
from safeguard.audit.log import write_audit
from safeguard.cases.models import Case
from safeguard.retention.models import LegalHold, RetentionAction


class RetentionError(Exception):
    """Refused: who may not do this, or bad input. Nothing was written."""


def retention_years() -> int:
    return int(getattr(settings, "SAFEGUARD_RETENTION_YEARS", 7))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _require_head(user: Any, case: Case) -> None:
    unit_id = getattr(getattr(user, "profile", None), "unit_id", None)
    if role_of(user) != "head" or unit_id != case.unit_id:
        raise RetentionError("Only the head of the case's delivery unit may set or lift a legal hold.")


@transaction.atomic
def set_hold(case: Case, *, reason: str, user: Any) -> LegalHold:
    _require_head(user, case)
    if not reason.strip():
        raise RetentionError("Enter the reason for the legal hold.")
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), set_by=user)
    write_audit("retention.hold_set", user=user, case_ref=case.ref, object_type="legal_hold", object_id=str(hold.pk))
    return hold


@transaction.atomic
def lift_hold(hold: LegalHold, *, reason: str, user: Any) -> LegalHold:
    locked = LegalHold.objects.select_for_update().select_related("case").get(pk=hold.pk)
    _require_head(user, locked.case)
    if locked.lifted_at is not None:
        raise RetentionError("This legal hold has already been lifted.")
    if not reason.strip():
        raise RetentionError("Enter the reason for lifting the legal hold.")
    locked.lifted_at, locked.lifted_by, locked.lift_reason = timezone.now(), user, reason.strip()
    locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    write_audit("retention.hold_lifted", user=user, case_ref=locked.case.ref, object_type="legal_hold",
                object_id=str(locked.pk))
    return locked


def on_hold(case: Case) -> bool:
    return LegalHold.objects.filter(case=case, lifted_at=None).exists()


def past_retention(today: date, years: int | None = None) -> QuerySet[Case]:
    """Cases due for anonymisation: supervision ended more than `years` ago, not done, not on hold."""
    cutoff = _years_before(today, retention_years() if years is None else years)
    holds = LegalHold.objects.filter(case=OuterRef("pk"), lifted_at=None)
    return (Case.objects.filter(ended_on__isnull=False, ended_on__lt=cutoff, archived_at=None,
                                retention_action__isnull=True)
            .exclude(Exists(holds)).order_by("ended_on", "pk"))


def held_past_retention(today: date, years: int | None = None) -> QuerySet[Case]:
    """Cases that would be due but are kept because a legal hold is in force."""
    cutoff = _years_before(today, retention_years() if years is None else years)
    holds = LegalHold.objects.filter(case=OuterRef("pk"), lifted_at=None)
    return Case.objects.filter(ended_on__lt=cutoff, retention_action__isnull=True).filter(Exists(holds))


@dataclass
class Anonymised:
    ref: str
    people: int
    details: int


@transaction.atomic
def anonymise(case: Case, *, years: int | None = None) -> Anonymised:
    """Anonymise one case (its own transaction). Refuses a case on hold or already done."""
    from safeguard.victims.models import ContactDetail, SafetyContact, SupportWorker

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if on_hold(locked):
        raise RetentionError(f"{locked.ref} is on legal hold: it is kept")
    if RetentionAction.objects.filter(case=locked).exists():
        raise RetentionError(f"{locked.ref} has already been anonymised")
    if locked.ended_on is None:
        raise RetentionError(f"{locked.ref} is still under supervision")
    people = locked.people.update(name="", born=None)
    details = 0
    for detail in ContactDetail.objects.filter(record__case=locked):
        detail.value, detail.note = "", ""
        detail.removed_at = detail.removed_at or timezone.now()
        detail.save(update_fields=["value", "note", "removed_at"])
        details += 1
    for worker in SupportWorker.objects.filter(record__case=locked):
        worker.name, worker.phone = "", ""
        worker.save(update_fields=["name", "phone"])
    for contact in SafetyContact.objects.filter(record__case=locked):
        contact.plan = ""
        contact.save(update_fields=["plan"])
    Case.objects.filter(pk=locked.pk).update(name="", born=None)
    RetentionAction.objects.create(case=locked, ended_on=locked.ended_on,
                                   years=retention_years() if years is None else years)
    write_audit("retention.anonymised", case_ref=locked.ref, object_type="case", object_id=str(locked.pk),
                detail={"count": people + details})
    return Anonymised(locked.ref, people, details)


def run(today: date, *, apply: bool, years: int | None = None) -> dict[str, Any]:
    """List (dry run) or anonymise every case past retention; one transaction per case."""
    due = list(past_retention(today, years).values_list("pk", "ref", "ended_on"))
    held = list(held_past_retention(today, years).values_list("ref", flat=True))
    done, failed = [], []
    if apply:
        for pk, ref, _ in due:
            try:
                anonymise(Case.objects.get(pk=pk), years=years)
                done.append(ref)
            except RetentionError as exc:  # e.g. a hold set since the list was read
                failed.append(f"{ref}: {exc}")
    return {"today": today.isoformat(), "years": retention_years() if years is None else years,
            "due": [{"ref": ref, "ended_on": ended.isoformat() if ended else None} for _, ref, ended in due],
            "on_hold": held, "anonymised": done, "refused": failed, "applied": apply}


__all__ = ["Anonymised", "RetentionError", "anonymise", "held_past_retention", "lift_hold", "on_hold",
           "past_retention", "retention_years", "run", "set_hold"]
