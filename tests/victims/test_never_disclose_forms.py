"""Issue 33, finding 2: every web form of free text about one case warns a practitioner (or SPO) who types the
case's never-disclose address, in its own words or another (the postcode alone), saves nothing, shows the text
again with the address taken out, and saving that stores [never disclose: withheld] in its place
(safeguard.victims.forms.NeverDiscloseMixin). The partner world's refuge is "Refuge House, 7 Hidden Lane,
Northtown NT1 9ZZ"."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from partner_world import REFUGE, START, World
from safeguard.actions import record_event
from safeguard.agencies.models import BreachReport, Control
from safeguard.assessments import service as assessments
from safeguard.assessments.models import PlanAction, RiskAssessment
from safeguard.cases.models import CaseEventVoid
from safeguard.interventions import service as interventions
from safeguard.interventions.catalogue import EXCLUSIONS
from safeguard.interventions.models import ReferralTransition, SuitabilityFactor
from safeguard.practice.models import Referral
from safeguard.signals_web.models import SignalDecision
from safeguard.signals_web.service import suggestions_in
from safeguard.timeline import schema
from safeguard.victims.redaction import NEVER_DISCLOSE
from urlwalk import squeeze

pytestmark = pytest.mark.django_db
WARNING = "This text contains an address that must never be disclosed"
WORDINGS = (f"Seen at {REFUGE} on Sunday.", "Seen near nt1 9zz on Sunday.")


@dataclass
class Form:
    who: str
    url: str
    data: dict[str, str]
    field: str
    stored: Callable[[], list[str]]  # the texts this form has saved so far


def _referral(world: World, status: str = "referred") -> Referral:
    referral = interventions.refer(world.case, "bbr", user=world.users["pp"], on=START)
    Referral.objects.filter(pk=referral.pk).update(status=status)
    return referral


def step(world: World) -> Form:
    referral = _referral(world)
    return Form("pp", f"/interventions/referrals/{referral.pk}/suitable_not_ready/", {}, "note",
                lambda: [t.note for t in ReferralTransition.objects.filter(referral=referral, to_status=
                                                                           "suitable_not_ready")])


def decision(world: World) -> Form:
    referral = _referral(world, "assessed_not_suitable")
    return Form("spo", f"/interventions/referrals/{referral.pk}/decision/", {}, "decision",
                lambda: [e.payload["decision"] for e in world.case.events.filter(type="manager_decision")])


def exclusion(world: World) -> Form:
    return Form("pp", f"/interventions/cases/{world.case.ref}/exclusions/", {"code": EXCLUSIONS[0].code}, "note",
                lambda: [f.note for f in SuitabilityFactor.objects.filter(case=world.case)])


def control_terms(world: World) -> Form:
    before = set(Control.objects.filter(case=world.case).values_list("pk", flat=True))
    return Form("pp", f"/agencies/cases/{world.case.ref}/controls/new/", {"control": schema.CONTROLS[-1]}, "terms",
                lambda: [c.terms.terms.unseal()
                         for c in Control.objects.filter(case=world.case).exclude(pk__in=before)])


def breach(world: World) -> Form:
    before = set(BreachReport.objects.values_list("pk", flat=True))
    return Form("pp", "/agencies/breach/", {"case_ref": world.case.ref, "occurred_on": START.isoformat(),
                                            "reported_by": "practitioner"}, "description",
                lambda: [b.description.unseal() for b in BreachReport.objects.exclude(pk__in=before)])


def dismiss(world: World) -> Form:
    event = record_event(world.case, {"on": START.isoformat(), "type": "note", "by": "P1",
                                      "text": "He was arrested last night after a fight."})
    kind = suggestions_in(event)[0].kind
    return Form("pp", f"/cases/{world.case.ref}/new-information/{event.seq}/dismiss/?kind={kind}",
                {"reason": "other"}, "reason_text",
                lambda: [d.reason_text for d in SignalDecision.objects.filter(case=world.case)])


def void(world: World) -> Form:
    event = world.case.events.filter(type="note").order_by("seq").first()
    assert event is not None
    world.case.refresh_from_db()
    return Form("spo", f"/cases/{world.case.ref}/events/{event.seq}/void/", {"version": str(world.case.version)},
                "reason", lambda: [v.reason for v in CaseEventVoid.objects.filter(case=world.case)])


def _assessment(world: World) -> RiskAssessment:
    world.case.refresh_from_db()  # allocated to P1
    return assessments.start_assessment(world.case, world.users["pp"], on=START)


def return_for_changes(world: World) -> Form:
    assessment = _assessment(world)
    RiskAssessment.objects.filter(pk=assessment.pk).update(status="awaiting_countersignature")
    return Form("spo", f"/cases/{world.case.ref}/assessments/{assessment.pk}/return/", {}, "reason",
                lambda: [v.reason for v in assessment.versions.filter(status="returned")])


def plan_done(world: World) -> Form:
    action = PlanAction.objects.create(assessment=_assessment(world), case=world.case, version=1,
                                       action="Home visit with the police", due_on=START)
    return Form("pp", f"/cases/{world.case.ref}/assessments/plan/{action.pk}/done/", {}, "note",
                lambda: [a.done_note for a in PlanAction.objects.filter(pk=action.pk, status="done")])


FORMS = (step, decision, exclusion, control_terms, breach, dismiss, void, return_for_changes, plan_done)


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"no textarea {name}"
    return html.unescape(found.group(1)).strip()


@pytest.mark.parametrize("make", FORMS, ids=[f.__name__ for f in FORMS])
def test_a_never_disclose_address_is_refused_then_saved_redacted(world: World, make: Any) -> None:
    form = make(world)
    client = Client()
    client.force_login(world.users[form.who])
    for typed in WORDINGS:
        response = client.post(form.url, {**form.data, form.field: typed})
        page = response.content.decode()
        assert response.status_code == 400, page
        assert WARNING in page
        assert form.stored() == [], "nothing is saved with the warning"
        shown = textarea(page, form.field)
        assert "nt19zz" not in squeeze(shown) and "hiddenlane" not in squeeze(shown)
        assert shown.startswith("Seen ") and NEVER_DISCLOSE in shown
    again = client.post(form.url, {**form.data, form.field: shown})
    assert again.status_code in (200, 302) and WARNING not in again.content.decode()  # a breach: its own page
    stored = form.stored()
    assert stored == [f"Seen near {NEVER_DISCLOSE} on Sunday."]


def test_a_victim_facing_worker_entitled_to_the_address_is_not_stopped(world: World) -> None:
    form = breach(world)
    client = Client()
    client.force_login(world.users["victim_worker"])
    response = client.post(form.url, {**form.data, "reported_by": "victim", form.field: WORDINGS[0]})
    assert response.status_code == 200 and WARNING not in response.content.decode()
    assert form.stored() == [WORDINGS[0]]
