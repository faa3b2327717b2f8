"""Creating cases and the organisation records a case needs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from safeguard.audit.log import write_audit
from safeguard.cases.models import Case, LinkedPerson
from safeguard.limits import Refused, case_ref_problem, name_problem
from safeguard.workforce.models import DeliveryUnit, Region, Staff, Team

DEFAULT_REGION = "Unassigned region"
T = TypeVar("T")


def ensure_unit(name: str, region: str = DEFAULT_REGION) -> DeliveryUnit:
    _check_name("delivery unit", name)
    _check_name("region", region)
    # get_or_create: two imports naming a new unit at once both get the one the first committed. (Looked up
    # first so that an existing unit does not make the default region.)
    unit = DeliveryUnit.objects.filter(name=name).first()
    if unit is None:
        unit = DeliveryUnit.objects.get_or_create(
            name=name, defaults={"region": Region.objects.get_or_create(name=region)[0]})[0]
    return unit


def _check_name(where: str, name: str) -> None:
    problem = name_problem(name)
    if problem:
        raise Refused(where, "name", problem)


def ensure_team(unit: DeliveryUnit, name: str) -> Team:
    _check_name("team", name)
    return Team.objects.get_or_create(unit=unit, name=name)[0]


def ensure_staff(member: dict[str, Any], *, team: Team | None = None, name: str = "") -> Staff:
    """The staff record with this timeline ref, created from the timeline's description when new (by
    get_or_create: two imports naming a new member of staff at once both get the one the first committed)."""
    qualified = member.get("qualified_on")
    return Staff.objects.get_or_create(code=member["ref"], defaults={
        "grade": member["grade"], "da_trained": bool(member.get("da_trained")),
        "qualified_on": date.fromisoformat(qualified) if qualified else None, "team": team, "name": name,
    })[0]


def create_case(ref: str, unit: DeliveryUnit, *, born: date | None = None, gender: str = "", name: str = "",
                user: AbstractBaseUser | AnonymousUser | None = None, audit: bool = True,
                savepoint: bool = True) -> Case:
    """A new case, and its `case.created` audit entry (`audit=False`: the caller writes that entry itself, in
    the same transaction; the timeline import writes it with its events' entries, see actions.bulk).
    `savepoint=False` inside a caller's transaction that a failure here fails anyway (the import's): two
    round trips fewer."""
    problem = case_ref_problem(ref)
    if problem:
        raise Refused("case", "ref", problem)
    with transaction.atomic(savepoint=savepoint):
        case = Case.objects.create(ref=ref, unit=unit, born=born, gender=gender or "", name=name)
        if audit:
            write_audit("case.created", user=user, case_ref=ref, object_type="case", object_id=str(case.pk))
    return case


class KnownRecords:
    """Delivery units and staff already read (or made) by this process in committed transactions, by name and
    by timeline ref: a run of `safeguard import` names the same units and staff case after case, and would
    otherwise read each again for every case (two round trips a case). Rows are kept as first read: changes
    others make to them during the run are not seen by the cases imported after (the next evaluation of each
    case reads them afresh). A row is kept only once its transaction commits, so none that was rolled back is
    handed out."""

    def __init__(self) -> None:
        self.units: dict[str, DeliveryUnit] = {}
        self.staff: dict[str, Staff] = {}

    def unit(self, name: str) -> DeliveryUnit:
        """ensure_unit(name), read once a run."""
        return self._kept(self.units, name, lambda: ensure_unit(name))

    def staff_member(self, member: dict[str, Any]) -> Staff:
        """ensure_staff(member), read once a run."""
        return self._kept(self.staff, member["ref"], lambda: ensure_staff(member))

    @staticmethod
    def _kept(rows: dict[str, T], key: str, read: Callable[[], T]) -> T:
        if key in rows:
            return rows[key]
        row = read()
        transaction.on_commit(lambda: rows.setdefault(key, row))
        return row


def name_people(case: Case, names: dict[str, str], *, user: AbstractBaseUser | AnonymousUser | None = None) -> None:
    """Give the people linked to a case their names (timelines carry refs only)."""
    for person in LinkedPerson.objects.filter(case=case, ref__in=list(names)):
        person.name = names[person.ref]
        person.save(update_fields=["name"])
    write_audit("case.people_named", user=user, case_ref=case.ref, object_type="case", object_id=str(case.pk),
                detail={"refs": sorted(names)})
