"""A never-disclose address is found in free text as an address: whole or by its parts, whatever the case,
spacing, punctuation, line breaks or abbreviations; and nothing else is taken (another house on the street,
the town alone, ordinary words). Pure: no database."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.victims.address_match import ABBREVIATIONS, redact, spans
from safeguard.victims.redaction import NEVER_DISCLOSE, scrub_values

X = "[X]"
REFUGE = "Refuge House, 7 Hidden Lane, Northtown NT1 9ZZ"
FLAT = "Flat 2, Haven House, 12a Park View Road, Northtown, NT1 9ZZ"


@pytest.mark.parametrize("typed", [
    "Refuge House, 7 Hidden Lane, Northtown NT1 9ZZ",
    "refuge house 7 hidden ln northtown nt19zz",
    "REFUGE HOUSE,\n7 HIDDEN LANE,\nNORTHTOWN\nNT1 9ZZ",
    "7 Hidden Lane",
    "7, Hidden Ln",
    "7 hidden-lane",
    "NT1 9ZZ",
    "nt19zz",
    "NT1-9ZZ",
    "Refuge House",
    "refuge hse",
])
def test_the_address_and_each_identifying_part_is_withheld(typed: str) -> None:
    text = f"She said: {typed}. Call back later"
    out = redact(text, [REFUGE], X)
    assert out == f"She said: {X}. Call back later"


@pytest.mark.parametrize("typed", [
    "Flat 2, Haven House", "flat 2 haven hse", "2 Haven House", "Haven House", "12A Park View Rd", "12a park view road",
    "apt 2 haven house",
])
def test_flat_and_building_parts_are_withheld(typed: str) -> None:
    assert redact(f"at {typed} now", [FLAT], X) == f"at {X} now"


@pytest.mark.parametrize("text", [
    "He lives at 9 Hidden Lane.",  # another house on the same street
    "Hidden Lane is closed.",  # the street without the number
    "She grew up in Northtown.",  # the town alone
    "NT1 is the area code.",  # half a postcode
    "She refused the house move; lane closures; 7 days.",  # ordinary words
    "17 Hidden Lane", "7 Hidden Lanes", "Refuge Houses",  # a word inside a longer one
])
def test_near_misses_are_left_alone(text: str) -> None:
    assert redact(text, [REFUGE], X) == text


def test_a_phone_number_is_matched_by_its_digits() -> None:
    out = redact("Ring 07700-900-461, or +44 7700 900461; not 07700 900462", ["07700 900461"], X)
    assert out == f"Ring {X}, or {X}; not 07700 900462"
    assert redact("call 07700900461 - 3 times", ["07700 900461"], X) == f"call {X} - 3 times"
    assert redact("ref 1207700900461", ["07700 900461"], X) == "ref 1207700900461"  # inside a longer number


def test_parts_next_to_each_other_become_one_placeholder() -> None:
    assert redact("at 7 Hidden Lane, NT1 9ZZ.", [REFUGE], X) == f"at {X}."


def test_scrub_values_is_the_public_entry_point_and_detects_by_inequality() -> None:
    assert scrub_values("moved to nt1 9zz", [REFUGE]) == f"moved to {NEVER_DISCLOSE}"
    assert scrub_values("moved to Southtown", [REFUGE]) == "moved to Southtown"


def test_nothing_to_match_changes_nothing() -> None:
    assert redact("7 Hidden Lane", [], X) == "7 Hidden Lane"
    assert redact("7 Hidden Lane", ["", "  ", ",,"], X) == "7 Hidden Lane"
    assert spans("", [REFUGE]) == []


# -- generated: addresses and rewordings ---------------------------------------------------------------------------
NAMES = st.sampled_from(["Hidden", "Example", "Willow", "Harbour", "Oak", "Meadow", "Station", "Church", "Mill"])
TYPES = st.sampled_from(["Road", "Street", "Avenue", "Close", "Drive", "Lane", "Crescent", "Court", "Place", "Gardens",
                         "Square", "Terrace"])
BUILDINGS = st.sampled_from(["Refuge House", "Haven Lodge", "Safe Harbour House", "Rowan Court Hostel"])
TOWNS = st.sampled_from(["Northtown", "Sampletown", "Eastbury"])
FILLER = st.sampled_from(["She is staying at", "Address given:", "Seen near", "moved to", "Letters go to"])
LONG_FORM = {v: k for k, v in ABBREVIATIONS.items()}  # one short spelling of each long one


@st.composite
def addresses(draw: st.DrawFn) -> dict[str, str]:
    area = draw(st.sampled_from(["NT", "ST", "EB", "N", "M"]))
    postcode = f"{area}{draw(st.integers(1, 29))} {draw(st.integers(0, 9))}{draw(st.sampled_from(['ZZ', 'AA', 'QX']))}"
    parts = {"building": draw(BUILDINGS), "number": str(draw(st.integers(1, 300))),
             "street": f"{draw(NAMES)} {draw(TYPES)}", "town": draw(TOWNS), "postcode": postcode}
    parts["value"] = f"{parts['building']}, {parts['number']} {parts['street']}, {parts['town']} {postcode}"
    return parts


def reword(text: str, data: st.DataObject) -> str:
    words = text.split()
    if data.draw(st.booleans(), label="abbreviate"):
        words = [LONG_FORM.get(w.lower(), w) for w in words]
    case = data.draw(st.sampled_from([str.lower, str.upper, str.title, str]), label="case")
    joiners = data.draw(st.lists(st.sampled_from([" ", "  ", ", ", "\n", " ,", ". "]), min_size=len(words),
                                 max_size=len(words)), label="joiners")
    return case("".join(w + j for w, j in zip(words, joiners, strict=True)).strip())


@settings(max_examples=150, deadline=None)
@given(address=addresses(), which=st.sampled_from(["value", "postcode", "number+street", "building"]),
       filler=FILLER, data=st.data())
def test_any_rewording_of_the_address_or_a_part_is_withheld(address: dict[str, str], which: str, filler: str,
                                                           data: st.DataObject) -> None:
    typed = {"number+street": f"{address['number']} {address['street']}"}.get(which) or address[which]
    if which == "postcode" and data.draw(st.booleans(), label="no space"):
        typed = typed.replace(" ", "")
    typed = reword(typed, data)
    out = redact(f"{filler} {typed} (checked)", [address["value"]], X)
    assert X in out
    assert out.endswith("(checked)") and out.startswith(filler)
    left = re.sub(r"[\W_]+", "", out.replace(X, "").replace(filler, "").replace("(checked)", "").lower())
    assert left in {"", re.sub(r"[\W_]+", "", address["town"].lower())}, out


@settings(max_examples=150, deadline=None)
@given(address=addresses(), other=st.integers(1, 300), filler=FILLER, data=st.data())
def test_near_misses_are_never_withheld(address: dict[str, str], other: int, filler: str,
                                        data: st.DataObject) -> None:
    near = [f"{other} {address['street']}" if str(other) != address["number"] else address["street"],
            address["street"], address["town"], address["postcode"].split()[0], "the lane was closed", "house move"]
    for text in near:
        typed = f"{filler} {reword(text, data)} today"
        assert redact(typed, [address["value"]], X) == typed
