"""The timeline format as data: every event type, its fields and what each field accepts.

This module is the single statement of ../shared/spec/timeline.md in code. The validator, the
web forms and the API all check events against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from safeguard.limits import CASE_REF_RULE, LOCAL_REF_RULE, NAME_MAX, TEXT_MAX

FORMAT = "safeguard-timeline/1"

GRADES = ("PO", "PQiP", "PSO", "SPO")
ORDERS = ("community_order", "suspended_sentence_order", "custody")
LICENCES = ("standard", "hdc", "post_sentence_supervision")
PROGRAMMES = ("bbr", "building_choices", "kaizen", "drive", "toolkit", "other")
RELATIONSHIPS = ("partner", "ex_partner", "parent", "child", "sibling", "other_family", "partners_child",
                 "acquaintance", "other")
AGENCIES = ("police", "childrens_services")
CONTROLS = ("restraining_order", "non_molestation_order", "dapo", "exclusion_requirement", "licence_condition")
ROSH = ("low", "medium", "high", "very_high")
SARA = ("low", "medium", "high")
SOURCES = ("police", "childrens_services", "previous_assessments", "victim", "other_agencies")
INCIDENT_FEATURES = ("violence", "weapon", "strangulation", "threats_to_kill", "stalking", "sexual",
                     "coercive_control", "children_present", "criminal_damage", "pregnancy")
REGISTER_CODES = ("ADVP", "REG30", "ADVV", "IMAR", "RCCO", "RCPR", "RCHD", "MAPP", "REG24", "INVI", "AV2S",
                  "RVHR", "RHRH", "RMRH", "RLRH")
OBLIGATION_KINDS = (
    "flag_domestic_abuse", "police_check", "childrens_services_check", "address_check", "risk_assessment",
    "countersignature", "allocation_review", "home_visit", "contact", "review", "intervention_referral",
    "intervention_start", "marac_referral", "victim_safety", "control_check", "enforcement_decision",
    "disclosure_consideration", "registration_review",
)


@dataclass(frozen=True)
class Field:
    """What one field accepts. `kind` is one of the names handled in validate.py."""

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    nullable: bool = False
    shape: dict[str, Field] = field(default_factory=dict)  # for "object"
    variants: dict[str, dict[str, Field]] = field(default_factory=dict)  # for "typed_list": type -> fields
    max_length: int | None = None  # for "text" and "address": at most this many characters (else TEXT_MAX)

    def describe(self) -> str:
        if self.kind == "text":
            return f"text (at most {self.max_length or TEXT_MAX:,} characters)"
        if self.kind in {"enum", "enum_list"}:
            return "one of " + ", ".join(self.choices)
        if self.kind == "int":
            return f"a whole number from {self.minimum} to {self.maximum}" if self.maximum is not None \
                else f"a whole number of at least {self.minimum or 0}"
        return _DESCRIPTIONS[self.kind]


_DESCRIPTIONS = {
    "date": "a date (YYYY-MM-DD)",
    "text": "text",
    "bool": "true or false",
    "person": "a person ref added earlier in the file",
    "persons": "a list of person refs added earlier in the file",
    "new_person": f"a new person ref (not used before in this file; {LOCAL_REF_RULE})",
    "case_ref": f"a case ref ({CASE_REF_RULE})",
    "local_ref": f"a ref ({LOCAL_REF_RULE})",
    "name": f"a name (at most {NAME_MAX} characters, no '<', '>' or control characters)",
    "staff": "a staff ref from the file's staff list",
    "address": "an address ref (text)",
    "object": "an object",
    "typed_list": "a list of objects, each with a 'type'",
    "int": "a whole number",
    "enum": "one of the listed values",
    "enum_list": "a list of the listed values",
}


def enum(*choices: str, required: bool = False) -> Field:
    return Field("enum", required=required, choices=choices)


def enum_list(*choices: str) -> Field:
    return Field("enum_list", choices=choices)


DATE = Field("date")
TEXT = Field("text")
BOOL = Field("bool")
PERSON = Field("person")
PERSONS = Field("persons")
STAFF = Field("staff")
ADDRESS = Field("address", max_length=80)  # cases.Address.ref
GENDER = Field("text", max_length=40)  # Case.gender, LinkedPerson.gender


def count(minimum: int = 0, maximum: int | None = None, required: bool = False) -> Field:
    return Field("int", minimum=minimum, maximum=maximum, required=required)


def req(f: Field) -> Field:
    return replace(f, required=True)


REQUIREMENTS = {
    "accredited_programme": {"programme": enum(*PROGRAMMES)},
    "rar": {"days": count()},
    "unpaid_work": {"hours": count()},
    "curfew": {"address": ADDRESS, "electronic_monitoring": BOOL},
    "exclusion": {"protects": PERSONS},
    "alcohol_treatment": {},
    "drug_rehabilitation": {},
    "mental_health_treatment": {},
}
CONDITIONS = {
    "no_contact": {"protects": PERSONS},
    "exclusion_zone": {"protects": PERSONS},
    "residence": {"address": ADDRESS},
    "curfew": {},
    "programme": {"programme": enum(*PROGRAMMES)},
    "disclose_relationships": {},
}
OFFENCE = {"description": TEXT, "victims": PERSONS,
           "domestic": Field("bool", nullable=True)}
ASSESSMENT_SOURCES = enum_list(*SOURCES)

EVENTS: dict[str, dict[str, Field]] = {
    # Sentence and supervision
    "court_report_requested": {"court_date": req(DATE), "report": enum("oral", "fast_written", "standard"),
                               "curfew_proposed": BOOL},
    "sentenced": {"order": enum(*ORDERS, required=True), "months": count(),
                  "requirements": Field("typed_list", variants=REQUIREMENTS),
                  "offence": Field("object", shape=OFFENCE)},
    "released": {"licence": enum(*LICENCES, required=True), "months": count(), "address": ADDRESS,
                 "conditions": Field("typed_list", variants=CONDITIONS)},
    "allocated": {"practitioner": req(STAFF)},
    "transferred": {"practitioner": req(STAFF), "area_changed": BOOL},
    "supervision_ended": {"reason": enum("completed", "revoked", "breach", "died", "other", required=True)},
    "previous_offence": {"offence_on": DATE, "description": TEXT,
                         "victim_relationship": enum("partner", "ex_partner", "family", "acquaintance", "stranger",
                                                     "none"),
                         "violent": BOOL, "domestic": BOOL},
    "registered": {"code": enum(*REGISTER_CODES, required=True)},
    "deregistered": {"code": enum(*REGISTER_CODES, required=True)},
    # People, relationships and homes
    "person_added": {"ref": req(Field("new_person")), "relationship": enum(*RELATIONSHIPS, required=True),
                     "born": DATE, "gender": GENDER, "lives_with_case": BOOL, "victim": BOOL},
    "relationship_started": {"ref": req(PERSON)},
    "relationship_ended": {"ref": req(PERSON)},
    "address_proposed": {"address": req(ADDRESS), "purpose": enum("curfew", "release", "residence", required=True),
                         "occupants": PERSONS, "victims_nearby": PERSONS},
    "moved": {"address": req(ADDRESS), "occupants": PERSONS},
    "pregnancy": {"ref": req(PERSON)},
    "child_born": {"ref": req(Field("new_person")), "parents": PERSONS},
    "child_protection": {"ref": req(PERSON),
                         "status": enum("none", "child_in_need", "child_protection_plan", "looked_after",
                                        required=True)},
    # Other agencies
    "check_requested": {"agency": enum(*AGENCIES, required=True), "about": PERSONS},
    "check_returned": {"agency": enum(*AGENCIES, required=True), "callouts": count(),
                       "known_to_childrens_services": BOOL, "summary": TEXT},
    "police_incident": {"kind": enum("callout", "arrest", "charge", "caution", "intelligence", required=True),
                        "victim": PERSON, "domestic": BOOL, "features": enum_list(*INCIDENT_FEATURES)},
    "control_imposed": {"control": enum(*CONTROLS, required=True), "protects": PERSONS, "until": DATE},
    "control_breached": {"control": enum(*CONTROLS), "protects": PERSON,
                         "reported_by": enum("victim", "police", "practitioner", "other")},
    "marac_referred": {"reason": TEXT},
    "marac_heard": {"actions": TEXT},
    "mappa": {"category": count(1, 4, required=True), "level": count(1, 3, required=True)},
    "victim_contact": {"ref": req(PERSON),
                       "by": enum("practitioner", "partner_link_worker", "victim_liaison", "idva", required=True),
                       "safety_plan": BOOL},
    "disclosure": {"scheme": enum("right_to_know", "right_to_ask", required=True), "to": PERSON},
    "information_received": {"source": enum("police", "childrens_services", "victim", "family", "unpaid_work",
                                            "programme", "other", required=True),
                              "text": TEXT},
    # Probation practice
    "assessed": {"by": STAFF, "rosh": enum(*ROSH), "sara_partner": enum(*SARA), "sara_others": enum(*SARA),
                 "dash_yes": count(0, 24), "victims_considered": PERSONS, "sources": ASSESSMENT_SOURCES,
                 "analysis": TEXT},
    "countersigned": {"by": req(STAFF)},
    "contact": {"kind": enum("office", "home_visit", "phone", "video", "public_place", "three_way", required=True),
                "outcome": enum("attended", "failed_to_attend", "acceptable_absence", "unacceptable_absence",
                                required=True),
                "by": STAFF},
    "reviewed": {"by": STAFF, "rosh": enum(*ROSH), "sara_partner": enum(*SARA), "sara_others": enum(*SARA),
                 "sources": ASSESSMENT_SOURCES, "analysis": TEXT},
    "referred": {"programme": enum(*PROGRAMMES, required=True)},
    "programme_started": {"programme": enum(*PROGRAMMES, required=True)},
    "programme_completed": {"programme": enum(*PROGRAMMES, required=True)},
    "programme_cancelled": {"programme": enum(*PROGRAMMES, required=True),
                            "by": enum("provider", "case", "practitioner")},
    "programme_left": {"programme": enum(*PROGRAMMES, required=True),
                       "reason": enum("non_attendance", "deselected", "breach", "moved", "other")},
    "enforcement": {"action": enum("warning", "breach_action", "recall", "none", required=True), "reason": TEXT},
    "manager_decision": {"by": STAFF, "about": enum(*OBLIGATION_KINDS, required=True), "decision": TEXT},
    "note": {"by": STAFF, "text": TEXT},
}

CASE_FIELDS: dict[str, Field] = {"ref": Field("case_ref", required=True), "born": DATE, "gender": GENDER,
                                 "pdu": Field("name")}
STAFF_FIELDS: dict[str, Field] = {"ref": Field("local_ref", required=True), "grade": enum(*GRADES, required=True),
                                  "qualified_on": Field("date", nullable=True), "da_trained": BOOL}
DOCUMENT_KEYS = ("format", "case", "staff", "events", "checkpoints")


def event_types() -> list[str]:
    return list(EVENTS)


def field_names(event_type: str) -> list[str]:
    return list(EVENTS[event_type])


def is_person_field(f: Field) -> bool:
    return f.kind in {"person", "persons", "new_person"}


def describe_event(event_type: str) -> dict[str, Any]:
    """A plain description of one event type (for docs and the API reference)."""
    return {name: {"accepts": f.describe(), "required": f.required} for name, f in EVENTS[event_type].items()}
