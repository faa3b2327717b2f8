"""The detector: each kind, negation, hypotheticals, who the sentence is about, near misses and offsets.

The sentences here are written for the tests and are not in the evaluation corpus.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from safeguard.signals import KINDS, candidates, detect
from safeguard.signals.detector import _sentence_starts
from safeguard.signals.rules import RULES


def kinds(text: str) -> set[str]:
    return {s.kind for s in detect(text)}


POSITIVES: dict[str, list[str]] = {
    "new_relationship": [
        "He disclosed that he has a new girlfriend called Shannon.",
        "Mr Tolland has been seeing someone he met at a wedding in May.",
        "He admitted he met a woman on a dating app and they are now in a relationship.",
    ],
    "separation": [
        "He says he and Becky split up on Sunday.",
        "Ms Sadler has ended the relationship and changed the locks.",
        "She kicked him out after the row and he is at his brother's.",
    ],
    "pregnancy": [
        "His partner is 22 weeks pregnant.",
        "He told me they are expecting a baby in August.",
        "Children's services are planning a pre-birth assessment for the unborn child.",
    ],
    "birth": [
        "Ms Redfern gave birth to a boy on Thursday.",
        "He said his daughter was born last night at the General.",
        "Health visitor saw the newborn at home on Monday.",
    ],
    "moved": [
        "He has moved to 4 Mill Lane, Hazelford, without telling us.",
        "He is now living with his aunt in Fernbridge.",
        "Change of address recorded: flat 2, 19 Oak Road.",
    ],
    "child_contact_dispute": [
        "He has a family court hearing next month about seeing his son.",
        "Cafcass have asked for our view on the risk he poses to the children.",
        "He is furious that she won't let him see the kids at Christmas.",
    ],
    "police_callout": [
        "Police were called to the address at 02:00 by Ms Wilding.",
        "Police DA check: five call-outs in the last two years.",
        "Officers attended after neighbours reported shouting.",
    ],
    "arrest": [
        "He was arrested on Saturday for assault.",
        "Police update: he has been charged with harassment.",
        "He was remanded in custody at the magistrates' court this morning.",
    ],
    "breach_of_order": [
        "He breached his restraining order by going to her mother's.",
        "Police confirm he is in breach of the non-molestation order.",
        "EM alerts show he entered the exclusion zone twice.",
    ],
    "contact_with_protected_person": [
        "He admitted he texted the victim on her birthday.",
        "Ms Lambley says he has been phoning her from a new number.",
        "He met up with his ex-partner at the park last week.",
    ],
    "weapon": [
        "She said he held a knife to her during the argument.",
        "He was found in possession of a bladed article.",
        "He threatened her with a hammer.",
    ],
    "strangulation": [
        "She reports he put his hands round her neck.",
        "Police report non-fatal strangulation.",
        "He choked her until she could not breathe.",
    ],
    "threats_to_kill": [
        "She says he told her he would kill her if she went to the police.",
        "Police are investigating threats to kill made on Friday.",
        "He texted 'I'm going to kill you' at 3am.",
    ],
    "threats_of_suicide": [
        "He said he would kill himself if she left.",
        "He disclosed that he has been feeling suicidal.",
        "He talked about taking an overdose.",
    ],
    "stalking": [
        "He turned up at her house twice at night.",
        "She thinks he has been following her to work.",
        "He keeps driving past her address.",
    ],
    "escalation": [
        "The incidents are becoming more frequent.",
        "Police describe his behaviour as escalating.",
        "She says the abuse is getting worse.",
    ],
    "substance_relapse": [
        "He has relapsed and is drinking daily.",
        "His mother says he is back on the drink.",
        "His drug test was positive for cocaine.",
    ],
    "financial_stress": [
        "He is in rent arrears and has a court date.",
        "He lost his job on Friday.",
        "His Universal Credit has been sanctioned.",
    ],
}


def test_every_kind_has_rules_and_examples() -> None:
    assert set(POSITIVES) == set(KINDS)
    assert {rule.kind for rule in RULES} == set(KINDS)


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in POSITIVES.items() for t in texts])
def test_each_kind_is_found(kind: str, text: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize(("text", "kind"), [
    ("He denies any new relationship.", "new_relationship"),
    ("There is no evidence of a new partner.", "new_relationship"),
    ("She is not pregnant.", "pregnancy"),
    ("The pregnancy test came back negative.", "pregnancy"),
    ("He has never been arrested.", "arrest"),
    ("No arrests were made.", "arrest"),
    ("He did not have a knife.", "weapon"),
    ("No weapons were involved.", "weapon"),
    ("He denies strangling her.", "strangulation"),
    ("He has had no contact with the victim.", "contact_with_protected_person"),
    ("Police check: no call-outs.", "police_callout"),
    ("Call-outs: none.", "police_callout"),
    ("He denies being back on the drink.", "substance_relapse"),
    ("He denies any suicidal thoughts.", "threats_of_suicide"),
    ("No breaches of the restraining order have been reported.", "breach_of_order"),
    ("He has no debts.", "financial_stress"),
])
def test_negation_in_the_clause_stops_a_signal(text: str, kind: str) -> None:
    assert kind not in kinds(text)
    assert any(c.suppressed == "negated" and c.signal.kind == kind for c in candidates(text))


def test_negation_does_not_cross_a_clause() -> None:
    text = "He denies drinking, but police report he was arrested on Friday."
    assert "arrest" in kinds(text)
    assert "substance_relapse" not in kinds("He denies drinking.")
    assert "new_relationship" in kinds("He has not been drinking; however he now has a new girlfriend.")


def test_no_further_action_is_not_a_negation() -> None:
    assert "arrest" in kinds("No further action was taken after he was arrested.")


@pytest.mark.parametrize(("text", "kind"), [
    ("He was reminded that any contact with the victim would be a breach of his licence.",
     "contact_with_protected_person"),
    ("Explained the consequences of breaching the restraining order.", "breach_of_order"),
    ("If he breaches the order he will be arrested.", "breach_of_order"),
])
def test_warnings_and_conditions_are_not_signals(text: str, kind: str) -> None:
    assert kind not in kinds(text)


def test_threats_are_signals_even_when_conditional() -> None:
    assert "threats_to_kill" in kinds("He said that if she leaves he will kill her.")
    assert "threats_of_suicide" in kinds("He said he would kill himself if she went to the police.")


@pytest.mark.parametrize(("text", "kind"), [
    ("His brother was arrested on Friday.", "arrest"),
    ("Her ex-partner was arrested for assaulting her.", "arrest"),
    ("His sister is pregnant with her second child.", "pregnancy"),
    ("His friend was stabbed in town last year.", "weapon"),
    ("His cousin has been using heroin again.", "substance_relapse"),
    ("His parents separated when he was young.", "separation"),
    ("The IDVA contacted the victim to update the safety plan.", "contact_with_protected_person"),
    ("I spoke to the victim on the phone.", "contact_with_protected_person"),
    ("The neighbour's dog was choked by its collar.", "strangulation"),
    ("Her new partner has threatened to kill her ex.", "threats_to_kill"),
    ("He says his girlfriend's ex keeps following her.", "stalking"),
    ("He was threatened with a knife by a man outside the shop.", "weapon"),
    ("Ms Fenwick was arrested after the incident.", "arrest"),
])
def test_a_sentence_about_someone_else_does_not_fire(text: str, kind: str) -> None:
    assert kind not in kinds(text)
    assert any(c.suppressed == "third_party" and c.signal.kind == kind for c in candidates(text))


@pytest.mark.parametrize(("text", "kind"), [
    ("He assaulted his brother and was arrested.", "arrest"),
    ("He and his brother were arrested.", "arrest"),
    ("His brother says he was arrested on Friday.", "arrest"),
    ("Mr Tolland was arrested.", "arrest"),
    ("The person on probation was arrested last night.", "arrest"),
    ("Arrested 14/03 on suspicion of ABH.", "arrest"),
    ("She told police that he strangled her.", "strangulation"),
    ("His partner is pregnant.", "pregnancy"),
    ("Police arrested him at his mother's house.", "arrest"),
])
def test_a_sentence_about_him_or_with_no_subject_fires(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize("text", [
    "He plays darts to kill time in the evenings.",
    "He ate his dinner with a knife and fork at the AP.",
    "He has completed the relationship course (Building Better Relationships).",
    "He likes old comedies such as Arrested Development.",
    "Escalated to the SPO for a countersignature.",
    "Breach action taken for two missed appointments.",
    "We moved on to talk about his children.",
    "His date of birth is 03/04/1990.",
    "He got choked up talking about his nan.",
    "He is seeing someone about his drinking at the GP.",
    "His appointment was moved to Friday.",
    "UPW: used a hammer and nails to repair fence panels.",
    "He said the boredom is killing him.",
    "Credit to him for attending every session.",
    "Meeting with our new partner agencies in the hub.",
    "His father died of a cardiac arrest.",
    "He volunteers at the food bank.",
    "The group was separated into pairs.",
])
def test_near_misses_raise_nothing(text: str) -> None:
    assert detect(text) == []


def test_offsets_point_at_the_matched_words() -> None:
    text = "OV. Discussed his week.\nHe told me he has a new girlfriend; police say he choked her on 3 May."
    signals = detect(text)
    assert [s.kind for s in signals] == ["new_relationship", "strangulation"]
    for s in signals:
        assert text[s.start:s.end] == s.text
    assert signals[1].text.startswith("choked")


def test_offsets_count_characters_not_bytes() -> None:
    text = "Café visit — “He put his hands round her neck,” she said. Ünder review."
    [signal] = detect(text)
    assert signal.kind == "strangulation"
    assert text[signal.start:signal.end] == signal.text == "hands round her neck"


def test_offsets_survive_letters_that_lower_case_to_two_characters() -> None:
    text = "İSTANBUL trip in May. HE WAS ARRESTED on his return."
    [signal] = detect(text)
    assert (signal.kind, signal.text) == ("arrest", "ARRESTED")
    assert text[signal.start:signal.end] == "ARRESTED"


def test_signals_are_in_order_of_position_and_overlaps_merge() -> None:
    text = "He breached the restraining order by texting the victim, then was arrested."
    signals = detect(text)
    assert [s.start for s in signals] == sorted(s.start for s in signals)
    assert [s.kind for s in signals] == ["breach_of_order", "contact_with_protected_person", "arrest"]
    assert len({(s.kind, s.start) for s in signals}) == len(signals)


def test_one_signal_per_place_even_when_two_phrases_match() -> None:
    text = "Police report non-fatal strangulation."
    assert [s.kind for s in detect(text)] == ["strangulation"]


def test_empty_and_plain_text() -> None:
    assert detect("") == []
    assert detect("   \n ") == []
    assert detect("Attended on time. Discussed his plans for college.") == []


def test_abbreviations_do_not_end_a_sentence() -> None:
    text = "He met Mr. Tolland at the AP. Then he left.\nNext line"
    assert _sentence_starts(text) == [0, text.index("Then"), text.index("Next")]


def test_candidates_explain_why_a_note_raised_nothing() -> None:
    [c] = candidates("He denies any new relationship.")
    assert (c.signal.kind, c.suppressed, c.cue) == ("new_relationship", "negated", "denies")


def test_signal_as_dict() -> None:
    [s] = detect("He was arrested.")
    assert s.as_dict() == {"kind": "arrest", "start": 7, "end": 15, "text": "arrested"}


def test_long_text_is_handled() -> None:
    text = "Attended on time and engaged well. " * 2000 + "He has relapsed."
    assert [s.kind for s in detect(text)] == ["substance_relapse"]


def test_the_package_needs_no_django() -> None:
    code = ("import sys; import safeguard.signals, safeguard.signals.command, safeguard.signals.suggestions, "
            "safeguard.signals.evaluate; safeguard.signals.detect('He was arrested.'); "
            "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_word_start_index_finds_what_a_plain_scan_finds() -> None:
    """The detector tries at each word only the phrases that can start there; a plain scan of every rule over
    the whole text (IGNORECASE, original text) must find the same phrases."""
    import re

    from safeguard.signals import rules
    from safeguard.signals.detector import _expand, _lower, _matches
    from safeguard.signals.evaluate import load_corpus

    plain = [re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{_expand(p)})" for p in rule.phrases) + r")(?!\w)",
                        re.IGNORECASE) for rule in rules.RULES]
    texts = [n.text for n in load_corpus()] + [t for ts in POSITIVES.values() for t in ts]
    texts += [" ".join(texts[i:i + 6]).upper() for i in range(0, 300, 6)]  # longer notes, capitals
    for text in texts:
        expected = {(i, m.span()) for i, pattern in enumerate(plain) for m in pattern.finditer(text)}
        assert {(i, m.span()) for i, m in _matches(text, _lower(text))} == expected, text
