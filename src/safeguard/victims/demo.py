"""Synthetic victims' safety data for `safeguard demo`: one case of the demo practitioner's gets a victim's
record with contact details (one a refuge address marked never disclose), a victim liaison officer and a
safety plan, so the victims pages show something. All values are invented (Ofcom drama phone numbers)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from safeguard.cases.models import Case, LinkedPerson
from safeguard.victims import actions
from safeguard.victims.models import ContactDetail

REFUGE = "Demo Refuge, 1 Example Close, Sampletown ST1 0AA"


def demo_case(practitioner: Any) -> Case | None:
    """The demo practitioner's first open case with a known victim."""
    with_victims = LinkedPerson.objects.filter(victim=True).values("case_id")
    return (Case.objects.filter(practitioner=practitioner, archived_at=None, ended_on=None, pk__in=with_victims)
            .order_by("ref").first())


@transaction.atomic
def seed(practitioner: Any, worker: Any) -> Case | None:
    """Add the safety data once (a second run finds it and changes nothing). Returns the case used."""
    case = demo_case(practitioner)
    if case is None:
        return None
    records = actions.ensure_records(case)
    victim = next((r for r in records if r.person.victim), None)
    if victim is None or ContactDetail.objects.filter(record__case=case).exists():
        return case
    actions.add_detail(victim, kind="address", value=REFUGE, never_disclose=True,
                       note="Refuge address: never to the person on probation or their practitioner", user=worker)
    actions.add_detail(victim, kind="phone", value="07700 900461", never_disclose=False,
                       note="Safe to call on weekdays", user=worker)
    actions.add_worker(victim, role="victim_liaison", name="Val Liaison", organisation="Demo victim liaison unit",
                       phone="0161 496 0472", user=worker)
    actions.record_safety_contact(victim, by="victim_liaison", safety_plan=True,
                                  plan="Code word agreed with the liaison officer; police marker requested on the "
                                       "refuge; review in four weeks.", user=worker)
    return case
