"""Demo sign-ins, one per role. Only `safeguard demo` calls this, so they exist only in the demo database."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q

from safeguard.accounts.models import Profile
from safeguard.cases.models import Case
from safeguard.workforce.models import DeliveryUnit, Staff

PASSWORD_ENV = "SAFEGUARD_DEMO_PASSWORD"


@dataclass(frozen=True)
class SignIn:
    username: str
    role: str
    label: str
    sees: str


def demo_password() -> tuple[str, bool]:
    """The demo password, and whether it was generated here (so it must be printed)."""
    chosen = os.environ.get(PASSWORD_ENV, "")
    if chosen:
        return chosen, False
    return secrets.token_urlsafe(12), True


def _demo_practitioner(code: str | None) -> Staff:
    """The PO pp.demo signs in as: already linked, the one named, else the PO with the largest caseload."""
    linked = Staff.objects.filter(user__username="pp.demo").first()
    if linked is not None:
        return linked
    if code:
        return Staff.objects.get(code=code)
    busiest = (Staff.objects.filter(grade="PO")
               .annotate(load=Count("cases", filter=Q(cases__ended_on=None, cases__archived_at=None)))
               .order_by("-load", "code").first())
    if busiest is None:
        raise RuntimeError("The demo database has no probation officer: rebuild it with `safeguard demo --reset`")
    return busiest


def _user(username: str, password: str, *, role: str, unit: DeliveryUnit | None, staff: Staff | None = None,
          name: str = "", is_staff: bool = False) -> User:
    model = get_user_model()
    user = model.objects.filter(username=username).first() or model(username=username)
    first, _, last = name.partition(" ")
    user.first_name, user.last_name = first, last
    user.is_staff = is_staff
    user.is_active = True
    user.set_password(password)
    user.save()
    Profile.objects.update_or_create(user=user, defaults={"role": role, "unit": unit})
    others = Staff.objects.filter(user=user)
    (others.exclude(pk=staff.pk) if staff is not None else others).update(user=None)
    if staff is not None and staff.user_id != user.pk:
        staff.user = user
        staff.save(update_fields=["user"])
    return user


@transaction.atomic
def create_demo_users(password: str, practitioner_code: str | None = None) -> list[SignIn]:
    """Create (or reset the password of) the eight demo users. The practitioner is a PO with a caseload; the
    SPO manages that PO's team; the head of unit sees the unit; quality assurance sees the region; partner
    agencies and the administrator see no case records; the victim-facing worker sees victims' safety records
    (seeded here, once)."""
    pp = _demo_practitioner(practitioner_code)
    team = pp.team
    unit = team.unit if team is not None else DeliveryUnit.objects.filter(cases__practitioner=pp).first()
    spo = Staff.objects.filter(team=team, grade="SPO").order_by("code").first() if team is not None else None
    pp_user = _user("pp.demo", password, role="practitioner", unit=unit, staff=pp, name=pp.name)
    spo_name = spo.name if spo is not None else ""
    spo_user = _user("spo.demo", password, role="spo", unit=unit, staff=spo, name=spo_name)
    head_user = _user("head.demo", password, role="head", unit=unit, name="Head of Unit Demo")
    _user("police.demo", password, role="police", unit=unit, name="Police Demo")
    _user("csc.demo", password, role="csc", unit=unit, name="Childrens Services Demo")
    qa_user = _user("qa.demo", password, role="qa", unit=unit, name="Quality Assurance Demo")
    victim_user = _user("victim.demo", password, role="victim_worker", unit=unit, name="Victim Worker Demo")
    from safeguard.victims.demo import seed as seed_victims

    victim_case = seed_victims(pp, victim_user)
    _user("admin.demo", password, role="admin", unit=None, name="Admin Demo", is_staff=True)

    caseload = Case.objects.filter(practitioner=pp, archived_at=None).count()
    team_name = team.name if team is not None else "no team"
    region = unit.region.name if unit is not None else "the region"
    return [
        SignIn("pp.demo", "practitioner", "probation practitioner",
               f"{pp.name} ({pp.grade} {pp.code}): {caseload} cases of their own; "
               f"{Case.objects.visible_to(pp_user).count()} with their team ({team_name})"),
        SignIn("spo.demo", "spo", "senior probation officer",
               f"{spo_name or 'SPO'} ({team_name}): {Case.objects.visible_to(spo_user).count()} team cases"),
        SignIn("head.demo", "head", "head of delivery unit",
               f"{Case.objects.visible_to(head_user).count()} cases in "
               f"{unit.name if unit is not None else 'the unit'}"),
        SignIn("police.demo", "police", "police domestic abuse unit", "no case records (answers requests)"),
        SignIn("csc.demo", "csc", "children's social care", "no case records (answers requests)"),
        SignIn("victim.demo", "victim_worker", "victim-facing worker",
               f"victims' safety records in {unit.name if unit is not None else 'the unit'}"
               + (f" (refuge address on case {victim_case.ref})" if victim_case is not None else "")),
        SignIn("qa.demo", "qa", "quality assurance", f"{Case.objects.visible_to(qa_user).count()} cases in {region}"),
        SignIn("admin.demo", "admin", "administrator", "no case records (user management)"),
    ]
