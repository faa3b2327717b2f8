"""The words practitioners see for the timeline vocabulary: event types, fields, values, obligation kinds.

The schema (safeguard.timeline.schema) says what an event holds; this module says how to ask for it in
plain English. Anything not listed here falls back to the code with underscores turned into spaces, so a
new event type or value still gets a usable (if plainer) form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class EventWording:
    title: str  # "Record a contact"
    past: str  # what it is called on the timeline and in "… recorded": "Contact", "Check reply"
    hint: str = ""


EVENTS: dict[str, EventWording] = {
    # Sentence and supervision
    "court_report_requested": EventWording("Record a court report request", "Court report request",
                                           "The court has asked for a pre-sentence report."),
    "sentenced": EventWording("Record a sentence", "Sentence"),
    "released": EventWording("Record a release on licence", "Release on licence"),
    "allocated": EventWording("Allocate the case", "Allocation"),
    "transferred": EventWording("Transfer the case", "Transfer"),
    "supervision_ended": EventWording("Record the end of supervision", "End of supervision"),
    "previous_offence": EventWording("Record a previous offence", "Previous offence"),
    "registered": EventWording("Add a register", "Registration"),
    "deregistered": EventWording("Remove a register", "Deregistration"),
    # People, relationships and homes
    "person_added": EventWording("Add a linked person", "Linked person",
                                 "A victim, partner, child or family member. Use a reference, not their name."),
    "relationship_started": EventWording("Record a new relationship", "New relationship",
                                         "Add the person first if they are not on the case yet."),
    "relationship_ended": EventWording("Record that a relationship ended", "End of a relationship"),
    "address_proposed": EventWording("Record a proposed address", "Proposed address"),
    "moved": EventWording("Record a move", "Move", "Where he now lives and who he lives with."),
    "pregnancy": EventWording("Record a pregnancy", "Pregnancy"),
    "child_born": EventWording("Record a birth", "Birth"),
    "child_protection": EventWording("Record a child protection status", "Child protection status"),
    # Other agencies
    "check_requested": EventWording("Record a check request", "Check request",
                                    "A request to the police or children's social care for what they know."),
    "check_returned": EventWording("Record information returned from a check", "Check reply"),
    "police_incident": EventWording("Record a police incident", "Police incident"),
    "control_imposed": EventWording("Record an external control", "External control",
                                    "A restraining order, non-molestation order, DAPO, exclusion or licence "
                                    "condition."),
    "control_breached": EventWording("Record a breach of a control", "Breach of a control"),
    "marac_referred": EventWording("Record a MARAC referral", "MARAC referral"),
    "marac_heard": EventWording("Record a MARAC hearing", "MARAC hearing"),
    "mappa": EventWording("Record MAPPA management", "MAPPA"),
    "victim_contact": EventWording("Record contact with a victim", "Victim contact"),
    "disclosure": EventWording("Record a disclosure", "Disclosure",
                               "A disclosure under the Domestic Violence Disclosure Scheme (Clare's Law)."),
    "information_received": EventWording("Record information received", "Information received"),
    # Probation practice
    "assessed": EventWording("Record a risk assessment", "Risk assessment"),
    "countersigned": EventWording("Countersign the assessment", "Countersignature"),
    "contact": EventWording("Record a contact", "Contact"),
    "reviewed": EventWording("Record a review", "Review"),
    "referred": EventWording("Record a programme referral", "Programme referral"),
    "programme_started": EventWording("Record a programme start", "Programme start"),
    "programme_completed": EventWording("Record a programme completion", "Programme completion"),
    "programme_cancelled": EventWording("Record a cancelled programme", "Programme cancellation"),
    "programme_left": EventWording("Record leaving a programme", "Leaving a programme"),
    "enforcement": EventWording("Record an enforcement decision", "Enforcement decision"),
    "manager_decision": EventWording("Record a manager decision", "Manager decision",
                                     "A decision by a senior probation officer, for example to waive an "
                                     "obligation. Give the reasons."),
    "note": EventWording("Add a case note", "Case note"),
}

# The record menu: what a practitioner looks for, most used first.
EVENT_GROUPS: list[tuple[str, list[str]]] = [
    ("Contact and assessment", ["contact", "note", "assessed", "reviewed", "countersigned", "manager_decision"]),
    ("Checks and other agencies", ["check_requested", "check_returned", "police_incident", "information_received",
                                   "marac_referred", "marac_heard", "mappa", "disclosure"]),
    ("People, relationships and homes", ["person_added", "relationship_started", "relationship_ended", "moved",
                                         "address_proposed", "pregnancy", "child_born", "child_protection",
                                         "victim_contact"]),
    ("External controls", ["control_imposed", "control_breached"]),
    ("Interventions and enforcement", ["referred", "programme_started", "programme_completed",
                                       "programme_cancelled", "programme_left", "enforcement"]),
    ("Sentence and supervision", ["court_report_requested", "sentenced", "released", "allocated", "transferred",
                                  "previous_offence", "registered", "deregistered", "supervision_ended"]),
]

# Field labels; (event type, field) overrides the plain field name.
FIELDS: dict[str, str] = {
    "on": "Date", "court_date": "Court date", "report": "Type of report", "curfew_proposed": "A curfew is proposed",
    "order": "Sentence", "months": "Length in months", "requirements": "Requirements", "offence": "Offence",
    "description": "Description", "victims": "Victims", "domestic": "Domestic abuse",
    "licence": "Licence", "address": "Address reference", "conditions": "Licence conditions",
    "practitioner": "Practitioner", "area_changed": "The case moved to another area",
    "reason": "Reason", "offence_on": "Date of the offence", "victim_relationship": "Victim's relationship to him",
    "violent": "Violent offence", "code": "Register", "ref": "Person", "relationship": "Relationship to him",
    "born": "Date of birth", "gender": "Gender", "lives_with_case": "Lives with him",
    "victim": "Victim", "purpose": "Purpose", "occupants": "Who lives there",
    "victims_nearby": "Known victims living close by", "parents": "Parents", "status": "Status",
    "agency": "Agency", "about": "About", "callouts": "Domestic call-outs found",
    "known_to_childrens_services": "Known to children's social care", "summary": "Summary",
    "kind": "Type", "features": "Features", "control": "Control", "protects": "Protects", "until": "Until",
    "reported_by": "Reported by", "actions": "Actions agreed", "category": "MAPPA category", "level": "MAPPA level",
    "by": "By", "safety_plan": "A safety plan is in place", "scheme": "Scheme", "to": "Disclosed to",
    "source": "Source", "text": "Text", "rosh": "Risk of serious harm (RoSH)", "sara_partner": "SARA: risk to partner",
    "sara_others": "SARA: risk to others", "dash_yes": "DASH: number of yes answers",
    "victims_considered": "Victims and children considered", "sources": "Sources used", "analysis": "Analysis",
    "outcome": "Outcome", "programme": "Programme", "action": "Action", "decision": "Decision and reasons",
    "days": "Days", "hours": "Hours", "electronic_monitoring": "Electronically monitored",
}
EVENT_FIELDS: dict[tuple[str, str], str] = {
    ("person_added", "ref"): "Reference for this person",
    ("person_added", "victim"): "A known victim of his abuse",
    ("child_born", "ref"): "Reference for the child",
    ("relationship_started", "ref"): "New partner",
    ("relationship_ended", "ref"): "Former partner",
    ("pregnancy", "ref"): "Who is pregnant",
    ("child_protection", "ref"): "Child",
    ("victim_contact", "ref"): "Victim",
    ("victim_contact", "by"): "Contact made by",
    ("police_incident", "victim"): "Victim",
    ("police_incident", "kind"): "Type of incident",
    ("police_incident", "domestic"): "This was a domestic incident",
    ("control_breached", "protects"): "Person the control protects",
    ("contact", "kind"): "Type of contact",
    ("contact", "by"): "Seen by",
    ("assessed", "by"): "Assessed by",
    ("reviewed", "by"): "Reviewed by",
    ("countersigned", "by"): "Countersigned by",
    ("manager_decision", "by"): "Decided by",
    ("manager_decision", "about"): "What the decision is about",
    ("note", "by"): "Written by",
    ("programme_cancelled", "by"): "Cancelled by",
    ("check_requested", "about"): "People the check is about",
    ("marac_referred", "reason"): "Reason for the referral",
    ("enforcement", "reason"): "Reasons",
    ("information_received", "text"): "What was received",
    ("note", "text"): "Note",
    ("previous_offence", "domestic"): "Domestic abuse offence",
    ("sentenced", "months"): "Length of the order in months",
    ("released", "months"): "Length of the licence in months",
    ("released", "address"): "Release address reference",
    ("moved", "address"): "New address reference",
    ("moved", "occupants"): "Who he now lives with",
    ("address_proposed", "occupants"): "Who lives there",
    ("control_imposed", "until"): "Until (leave blank if open-ended)",
}
HINTS: dict[tuple[str, str], str] = {
    ("person_added", "ref"): "A short reference such as P3. Do not use their name: names are kept with victims' "
                             "records.",
    ("child_born", "ref"): "A short reference such as C2. Do not use the child's name.",
    ("address_proposed", "address"): "A reference for the address, such as A2, not the address itself.",
    ("moved", "address"): "A reference for the address, such as A2, not the address itself.",
    ("released", "address"): "A reference for the address, such as A1, not the address itself.",
    ("moved", "occupants"): "Tick everyone who lives at the new address. Add new people first.",
    ("check_returned", "callouts"): "The number of domestic call-outs the police found. Enter 0 if none.",
    ("assessed", "victims_considered"): "Tick every known victim and child the assessment considers.",
    ("assessed", "sources"): "Tick every source the assessment used, including returned checks.",
    ("reviewed", "sources"): "Tick every source the review used, including returned checks.",
    ("assessed", "dash_yes"): "From 0 to 24. Leave blank if no DASH was completed.",
    ("relationship_started", "ref"): "The person must already be added to the case.",
    ("contact", "kind"): "Phone and public-place contacts do not count as face-to-face contact.",
    ("manager_decision", "decision"): "Record the reasons: they are shown to inspectors with the decision.",
    ("mappa", "category"): "From 1 to 4.",
    ("mappa", "level"): "From 1 to 3.",
}

VALUES: dict[str, str] = {
    # people and relationships
    "partner": "Partner", "ex_partner": "Ex-partner", "parent": "Parent", "child": "Child", "sibling": "Sibling",
    "other_family": "Other family member", "partners_child": "Partner's child", "acquaintance": "Acquaintance",
    "other": "Other", "family": "Family member", "stranger": "Stranger", "none": "None",
    # orders and licences
    "community_order": "Community order", "suspended_sentence_order": "Suspended sentence order",
    "custody": "Custody", "standard": "Standard", "hdc": "Home detention curfew (HDC)",
    "post_sentence_supervision": "Post-sentence supervision", "oral": "Oral", "fast_written": "Fast written",
    "completed": "Completed", "revoked": "Revoked", "breach": "Breach", "died": "Died",
    # requirements and conditions
    "accredited_programme": "Accredited programme", "rar": "Rehabilitation activity requirement (RAR)",
    "unpaid_work": "Unpaid work", "curfew": "Curfew", "exclusion": "Exclusion",
    "alcohol_treatment": "Alcohol treatment", "drug_rehabilitation": "Drug rehabilitation",
    "mental_health_treatment": "Mental health treatment", "no_contact": "No contact",
    "exclusion_zone": "Exclusion zone", "residence": "Residence", "programme": "Programme",
    "disclose_relationships": "Disclose relationships",
    # programmes
    "bbr": "Building Better Relationships", "building_choices": "Building Choices", "kaizen": "Kaizen",
    "drive": "Drive", "toolkit": "Structured one-to-one work (toolkit)",
    # agencies and checks
    "police": "Police", "childrens_services": "Children's social care", "release": "Release",
    "child_in_need": "Child in need", "child_protection_plan": "Child protection plan",
    "looked_after": "Looked after",
    # incidents and controls
    "callout": "Call-out", "arrest": "Arrest", "charge": "Charge", "caution": "Caution",
    "intelligence": "Intelligence", "violence": "Violence", "weapon": "Weapon", "strangulation": "Strangulation",
    "threats_to_kill": "Threats to kill", "stalking": "Stalking", "sexual": "Sexual",
    "coercive_control": "Coercive control", "children_present": "Children present",
    "criminal_damage": "Criminal damage", "pregnancy": "Pregnancy", "restraining_order": "Restraining order",
    "non_molestation_order": "Non-molestation order", "dapo": "Domestic abuse protection order (DAPO)",
    "exclusion_requirement": "Exclusion requirement", "licence_condition": "Licence condition",
    "practitioner": "Practitioner", "partner_link_worker": "Partner link worker",
    "victim_liaison": "Victim liaison officer", "idva": "IDVA", "victim": "Victim",
    "right_to_know": "Right to know", "right_to_ask": "Right to ask",
    # practice
    "low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high",
    "previous_assessments": "Previous assessments", "other_agencies": "Other agencies",
    "office": "Office", "home_visit": "Home visit", "phone": "Phone", "video": "Video",
    "public_place": "Public place", "three_way": "Three-way", "attended": "Attended",
    "failed_to_attend": "Failed to attend", "acceptable_absence": "Acceptable absence",
    "unacceptable_absence": "Unacceptable absence", "provider": "Provider", "case": "The person on probation",
    "non_attendance": "Non-attendance", "deselected": "Deselected", "moved": "Moved",
    "warning": "Warning", "breach_action": "Breach action", "recall": "Recall",
}

REGISTERS: dict[str, str] = {
    "ADVP": "Domestic abuse perpetrator", "REG30": "Domestic abuse history", "ADVV": "Domestic abuse victim",
    "IMAR": "MARAC", "RCCO": "Child concerns", "RCPR": "Child protection", "RCHD": "Risk to children",
    "MAPP": "MAPPA", "REG24": "Women's safety worker", "INVI": "Victim contact", "AV2S": "Risk to staff",
    "RVHR": "RoSH very high", "RHRH": "RoSH high", "RMRH": "RoSH medium", "RLRH": "RoSH low",
}

OBLIGATIONS: dict[str, str] = {
    "flag_domestic_abuse": "Flag as domestic abuse", "police_check": "Police check",
    "childrens_services_check": "Children's services check", "address_check": "Address check",
    "risk_assessment": "Risk assessment", "countersignature": "Countersignature",
    "allocation_review": "Allocation review", "home_visit": "Home visit", "contact": "Face-to-face contact",
    "review": "Review", "intervention_referral": "Intervention referral", "intervention_start": "Intervention start",
    "marac_referral": "MARAC referral", "victim_safety": "Victim safety", "control_check": "Control check",
    "enforcement_decision": "Enforcement decision", "disclosure_consideration": "Disclosure consideration",
    "registration_review": "Register review",
}

# What to record to meet each kind of obligation (the first is offered as the obligation's action),
# with values to start the form with. Only non-sensitive codes ever go in these links.
OBLIGATION_ACTIONS: dict[str, list[tuple[str, dict[str, str]]]] = {
    "flag_domestic_abuse": [("registered", {"code": "ADVP"})],
    "police_check": [("check_requested", {"agency": "police"}), ("check_returned", {"agency": "police"})],
    "childrens_services_check": [("check_requested", {"agency": "childrens_services"}),
                                 ("check_returned", {"agency": "childrens_services"})],
    "address_check": [("contact", {"kind": "home_visit"})],
    "risk_assessment": [("assessed", {})],
    "countersignature": [("countersigned", {})],
    "allocation_review": [("transferred", {})],
    "home_visit": [("contact", {"kind": "home_visit"})],
    "contact": [("contact", {"kind": "office"})],
    "review": [("reviewed", {})],
    "intervention_referral": [("referred", {})],
    "intervention_start": [("programme_started", {})],
    "marac_referral": [("marac_referred", {})],
    "victim_safety": [("victim_contact", {})],
    "control_check": [("check_requested", {"agency": "police"}), ("victim_contact", {})],
    "enforcement_decision": [("enforcement", {})],
    "disclosure_consideration": [("disclosure", {"scheme": "right_to_know"})],
    "registration_review": [("reviewed", {})],
}

CONCERN: dict[str, tuple[str, str]] = {
    # level: (words, GOV.UK tag colour)
    "immediate": ("Immediate", "govuk-tag--red"),
    "serious": ("Serious", "govuk-tag--orange"),
    "watch": ("Watch", "govuk-tag--yellow"),
    "none": ("None", "govuk-tag--grey"),
}


def humanise(code: str) -> str:
    return code.replace("_", " ").capitalize()


def event_title(event_type: str) -> str:
    wording = EVENTS.get(event_type)
    return wording.title if wording else f"Record: {humanise(event_type).lower()}"


def event_past(event_type: str) -> str:
    wording = EVENTS.get(event_type)
    return wording.past if wording else humanise(event_type)


def field_label(event_type: str, name: str) -> str:
    return EVENT_FIELDS.get((event_type, name)) or FIELDS.get(name) or humanise(name)


def field_hint(event_type: str, name: str) -> str:
    return HINTS.get((event_type, name), "")


def value_label(value: object) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    return VALUES.get(text) or REGISTERS.get(text) or OBLIGATIONS.get(text) or humanise(text)


def obligation_label(kind: str) -> str:
    return OBLIGATIONS.get(kind) or humanise(kind)


def register_label(code: str) -> str:
    return REGISTERS.get(code, code)


def long_date(day: date | None) -> str:
    """GOV.UK style: 5 January 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""
