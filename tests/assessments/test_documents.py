"""PDFs read back with pypdf: the sections are there, and a protected address never appears in a copy its
reader may not see (not even when someone typed it into the summary)."""

from __future__ import annotations

import copy
import io
import re
from datetime import date

import pytest
from assessment_cases import DAY, HOUSEHOLD_EVENTS, NORFOLK_EVENTS, SUFFICIENT, Team_, build_case, make_team
from pypdf import PdfReader

from safeguard.assessments import service
from safeguard.assessments.documents import (
    VISIBILITY,
    Audience,
    ContactDetails,
    Detail,
    scrub,
    withheld_strings,
)
from safeguard.assessments.models import RiskAssessment

REFUGE = "Flat 2, 17 Harbour Road, Seaport SE4 1AA"
OLD_HOME = "4 Elm Close, Northtown NT1 2BB"
PHONE = "07700 900456"
DETAILS = {
    "P2": ContactDetails((Detail("address", REFUGE, never_disclose=True), Detail("phone", PHONE))),
    "X1": ContactDetails((Detail("address", OLD_HOME),)),
}


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def squashed(text: str) -> str:
    """Without spaces, punctuation or case: a PDF's text may break an address over lines."""
    return re.sub(r"[\W_]+", "", text).lower()


def appears(needle: str, text: str) -> bool:
    return squashed(needle) in squashed(text)


@pytest.fixture
def team(db: None) -> Team_:
    return make_team()


@pytest.fixture
def assessment(team: Team_) -> RiskAssessment:
    case = build_case("X600001", HOUSEHOLD_EVENTS, {"P2": "Amy Stone", "K1": "Lily Stone", "X1": "Jo Reed"})
    draft = service.start_assessment(case, team.pso, on=DAY)
    content = {**SUFFICIENT, "dash_yes": 15,
               "summary": "Amy has moved to flat 2 17 harbour road, seaport se4 1aa with Lily. "
                          + SUFFICIENT["summary"],
               "plan": [*SUFFICIENT["plan"], {"action": "Refer to MARAC", "owner": "PS1", "due_on": "2024-03-18"},
                        {"action": "Go to every BBR session", "owner": "Person on probation",
                         "due_on": "2024-04-30"},
                        {"action": "Keep away from flat 2, 17 Harbour Road, Seaport SE4 1AA", "owner": "PoP",
                         "due_on": "2024-04-30"}],
               "circumstances": {"household": "Lives with P2 and K1."},
               "protective_factors": [{"factor": "Employed", "evidence": "Payslips"}]}
    service.save_draft(draft, content, team.pso, on=DAY)
    submitted = service.submit(draft, team.pso, on=DAY)
    return service.countersign(submitted, team.spo, on=DAY)


SECTIONS = ["Domestic abuse risk assessment", "About this assessment", "Who is at risk", "Nature of the abuse",
            "Pattern and history", "Current circumstances", "Risk factors", "Protective factors",
            "Risk of serious harm", "Sources used", "Risk management plan", "Summary"]


def test_practitioner_copy_has_every_section_and_the_checks_but_never_the_refuge_address(
        assessment: RiskAssessment) -> None:
    text = text_of(service.assessment_pdf(assessment, "practitioner", details=DETAILS))
    for section in [*SECTIONS, "Checks (probation staff only)"]:
        assert appears(section, text), section
    assert appears("Probation staff copy", text)
    assert appears("X1 (Jo Reed), ex-partner and victim of the 2015 offence", text)
    assert appears("Domestic Abuse Act 2021 categories: Physical abuse", text)
    assert appears("Strangled P2 with K1 present", text)  # the history analysis, inline
    assert appears("Police information returned on 12 March 2024", text)  # the source with its date
    assert appears("15 of 24", text) and appears("meets the MARAC threshold (14)", text)
    assert appears("Tier D (provisional)", text)  # RoSH high, not MAPPA
    assert appears(OLD_HOME, text) and appears(PHONE, text)
    assert not appears(REFUGE, text) and not appears("17 Harbour Road", text)
    assert appears("Other details withheld: never to be disclosed", text)


def test_person_on_probation_copy_carries_only_the_allow_listed_fields(assessment: RiskAssessment) -> None:
    """Red team, issue 33 finding 2: his copy was the assessment with parts taken out, and said "never to be
    disclosed". Now it is built from an allow-list: withheld things are simply absent."""
    text = text_of(service.assessment_pdf(assessment, "person_on_probation", details=DETAILS))
    for shown in ("Your risk management plan", "Copy for the person on probation", "Dean Harper", "X600001",
                  "Staff PS1", "Coastal East", "What your order or licence requires", "What you will do",
                  "Go to every BBR session", "30 April 2024"):
        assert appears(shown, text), shown
    for absent in (REFUGE, "17 Harbour Road", OLD_HOME, PHONE, "Four domestic call-outs", "Amy", "Lily", "Jo Reed",
                   "P2", "K1", "X1", "withheld", "never", "disclose", "refuge", "Who is at risk", "Pattern and history",
                   "Risk of serious harm", "Summary", "Refer to MARAC", "Home visit with the police", "MARAC",
                   "Keep away from", "Checks (probation staff only)", "Tier", "DASH", "Strangulation"):
        assert not appears(absent, text), absent


def test_marac_pack_is_prefilled_from_the_assessment_and_never_shows_the_refuge_address(
        assessment: RiskAssessment) -> None:
    text = text_of(service.marac_pdf(assessment, details=DETAILS))
    for section in ("MARAC referral", "Why this case is referred", "Person causing harm", "Victims and partners",
                    "Children", "Nature of the abuse", "History of domestic abuse and serious harm",
                    "Probation's assessment of risk", "Probation's risk management plan", "Sources"):
        assert appears(section, text), section
    assert appears("DASH: 15 yes answers, which meets the MARAC threshold of 14", text)
    assert appears("Visible high risk: strangulation and threats to kill: Domestic police call-out (10 February 2024)",
                   text)
    assert appears("Dean Harper", text) and appears("Amy Stone", text)
    assert appears("Refer to MARAC", text)
    assert appears(OLD_HOME, text)
    assert not appears(REFUGE, text) and not appears("17 Harbour Road", text)
    assert not appears("Checks (probation staff only)", text)


def test_no_audience_sees_a_never_disclose_detail_and_scrubbing_ignores_case_and_punctuation() -> None:
    for audience in Audience:
        assert REFUGE in withheld_strings(audience, DETAILS)
    assert withheld_strings(Audience.PRACTITIONER, DETAILS) == [REFUGE]
    assert set(withheld_strings(Audience.PERSON_ON_PROBATION, DETAILS)) == {REFUGE, OLD_HOME, PHONE}
    assert not VISIBILITY[Audience.PERSON_ON_PROBATION].contact_details
    typed = {"summary": ["She is at FLAT 2 17 harbour rd? no: flat 2, 17 Harbour Road Seaport SE4 1AA."]}
    # The number and street alone are part of the address too (issue 33), whatever the abbreviation.
    assert scrub(typed, [REFUGE]) == {"summary": ["She is at [withheld]? no: [withheld]."]}
    assert scrub("Not 19 Harbour Road, nor Seaport", [REFUGE]) == "Not 19 Harbour Road, nor Seaport"


def test_a_draft_assessment_prints_too(team: Team_) -> None:
    case = build_case("X600002", HOUSEHOLD_EVENTS)
    draft = service.start_assessment(case, team.pso, on=date(2024, 3, 15))
    text = text_of(service.assessment_pdf(draft, "practitioner", details={}))
    assert appears("Not yet submitted", text) and appears("Not considered", text)


def test_the_person_on_probation_copy_is_refused_for_a_draft_or_an_uncountersigned_assessment(team: Team_) -> None:
    """Red team, issue 33 finding 2: a draft could be printed as his copy. Only a countersigned final one is his."""
    case = build_case("X600003", HOUSEHOLD_EVENTS)
    draft = service.start_assessment(case, team.pso, on=date(2024, 3, 15))
    with pytest.raises(service.AssessmentError, match="only from a final, countersigned assessment: this one is"):
        service.assessment_pdf(draft, "person_on_probation", details={})
    events = copy.deepcopy(NORFOLK_EVENTS)
    events[-1]["practitioner"] = "PO1"
    mine = service.start_assessment(build_case("X600004", events), team.po, on=date(2023, 1, 30))
    service.save_draft(mine, {"rosh": "high", "rosh_rationale": "Axe threats.", "sara_partner": "high",
                              "sara_others": "medium", "people": {"EX1": {"judgement": "high"},
                                                                  "CH1": {"judgement": "medium"}}},
                       team.po, on=date(2023, 1, 30))
    final = service.submit(mine, team.po, on=date(2023, 1, 30))  # an experienced, trained PO: final at once
    assert final.status == "final" and final.countersigned_by is None
    with pytest.raises(service.AssessmentError, match="not countersigned by a senior probation officer"):
        service.assessment_pdf(final, "person_on_probation", details={})


# -- the details stored in victims' records (encrypted), as each reader is entitled to them ---------------------

HER_EMAIL = "amy.stone@example.org"
OLD_REFUGE = "Room 5, 9 Quay Street, Seaport SE5 2CC"


@pytest.fixture
def stored(assessment: RiskAssessment, team: Team_) -> RiskAssessment:
    """The assessment's case with real safety records: P2 in a refuge (never disclose) with a phone number and
    an email, X1 at her old home, and a refuge address P2 left (removed, never disclose)."""
    from safeguard.victims.actions import add_detail, ensure_records, remove_detail

    records = {r.person.ref: r for r in ensure_records(assessment.case)}
    add_detail(records["P2"], kind="address", value=REFUGE, never_disclose=True, user=team.victim_worker())
    add_detail(records["P2"], kind="phone", value=PHONE, never_disclose=False, user=team.pso)
    add_detail(records["P2"], kind="email", value=HER_EMAIL, never_disclose=False, user=team.pso)
    add_detail(records["X1"], kind="address", value=OLD_HOME, never_disclose=False, user=team.pso)
    left = add_detail(records["P2"], kind="address", value=OLD_REFUGE, never_disclose=True,
                      user=team.victim_worker())
    remove_detail(left, user=team.victim_worker())
    return assessment


def test_contact_details_come_from_the_victims_records_as_the_maker_may_see_them(
        stored: RiskAssessment, team: Team_) -> None:
    from safeguard.assessments.documents import contact_details

    held = contact_details(stored.case, team.pso)
    assert set(held) == {"P2", "X1"} and held["P2"].entitled and held["P2"].never_disclose
    assert sorted(d.value for d in held["P2"].visible(Audience.PARTNER_AGENCY)) == sorted([PHONE, HER_EMAIL])
    assert held["P2"].visible(Audience.PERSON_ON_PROBATION) == []
    # Removed and never-disclose values are never shown, but every one is scrubbed.
    assert {REFUGE, OLD_REFUGE} <= set(withheld_strings(Audience.PRACTITIONER, held))
    assert not contact_details(stored.case, team.outsider)["P2"].entitled


def test_each_reader_gets_the_stored_details_they_may_see_and_never_the_refuge(
        stored: RiskAssessment, team: Team_) -> None:
    # The practitioner's own copy and the partner agencies' copies carry the ordinary details...
    staff_copy = text_of(service.assessment_pdf(stored, "practitioner", user=team.pso))
    agency_copy = text_of(service.assessment_pdf(stored, "partner_agency", user=team.pso))
    marac = text_of(service.marac_pdf(stored, user=team.pso))
    for text in (staff_copy, agency_copy, marac):
        assert appears(PHONE, text) and appears(HER_EMAIL, text) and appears(OLD_HOME, text)
        assert appears("Other details withheld: never to be disclosed", text)
    # ...the person on probation's copy carries none...
    theirs = text_of(service.assessment_pdf(stored, "person_on_probation", user=team.pso))
    for secret in (PHONE, HER_EMAIL, OLD_HOME, "withheld", "never", "Amy"):
        assert not appears(secret, theirs), secret
    assert appears("Go to every BBR session", theirs)
    # ...and no copy carries a refuge address, current or left, though the summary names the current one.
    for text in (staff_copy, agency_copy, marac, theirs):
        for secret in (REFUGE, "17 Harbour Road", OLD_REFUGE, "9 Quay Street"):
            assert not appears(secret, text), secret
    for text in (staff_copy, agency_copy, marac):
        assert appears("Amy has moved to [withheld] with Lily", text)


def test_someone_who_may_not_see_victims_records_makes_copies_without_contact_details(
        stored: RiskAssessment, team: Team_) -> None:
    from safeguard.accounts.access import can_see_victims
    from sign_ins import make_user

    head = make_user("head1", "head", None, stored.case.unit)
    assert not can_see_victims(head, stored.case)
    for pdf in (service.assessment_pdf(stored, "practitioner", user=head), service.marac_pdf(stored, user=head)):
        text = text_of(pdf)
        for secret in (PHONE, HER_EMAIL, OLD_HOME, REFUGE, "17 Harbour Road"):
            assert not appears(secret, text), secret
        assert appears("whoever made this copy may not see victims' contact details", text)


def test_the_pdf_pages_use_the_signed_in_users_entitlement(stored: RiskAssessment, team: Team_) -> None:
    from django.test import Client

    client = Client()
    client.force_login(team.pso)
    base = f"/cases/{stored.case.ref}/assessments/{stored.pk}"
    agency = text_of(client.get(f"{base}/assessment.pdf?audience=partner_agency").content)
    assert appears(PHONE, agency) and not appears(REFUGE, agency)
    theirs = text_of(client.get(f"{base}/assessment.pdf?audience=person_on_probation").content)
    assert not appears(PHONE, theirs) and not appears(OLD_HOME, theirs) and not appears(REFUGE, theirs)
    marac = text_of(client.get(f"{base}/marac-referral.pdf").content)
    assert appears(OLD_HOME, marac) and not appears(REFUGE, marac)
