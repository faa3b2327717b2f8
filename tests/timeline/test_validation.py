"""Malformed timelines are refused with the exact location, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from safeguard.cli import main
from safeguard.timeline.validate import TimelineError, validate_document


def refuse(doc: dict[str, Any]) -> str:
    with pytest.raises(TimelineError) as caught:
        validate_document(doc, "case.json")
    return str(caught.value)


def test_valid_document_passes(timeline_doc: dict[str, Any]) -> None:
    timeline = validate_document(timeline_doc, "case.json")
    assert len(timeline.events) == 6
    assert [d.isoformat() for d in timeline.checkpoints] == ["2021-06-04", "2021-06-20"]


def test_unknown_event_type_names_index_and_type(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][2] = {"on": "2021-06-02", "type": "allocation", "practitioner": "P1"}
    message = refuse(timeline_doc)
    assert message.startswith("case.json: events[2]: field 'type': expected one of court_report_requested")
    assert "got 'allocation'" in message


def test_unknown_field_is_an_error(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][2]["colour"] = "blue"
    assert refuse(timeline_doc) == ("case.json: events[2] (allocated): unknown field 'colour' "
                                    "(allowed: practitioner)")


def test_bad_enum_value(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][4]["agency"] = "probation"
    assert refuse(timeline_doc) == ("case.json: events[4] (check_returned): field 'agency': expected one of police, "
                                    "childrens_services, got 'probation'")


def test_bad_enum_inside_a_requirement(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][1]["requirements"] = [{"type": "accredited_programme", "programme": "bbq"}]
    message = refuse(timeline_doc)
    assert message.startswith("case.json: events[1] (sentenced): field 'requirements[0]': field 'programme': "
                              "expected one of bbr")


def test_dates_going_backwards(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][3]["on"] = "2021-05-30"
    assert refuse(timeline_doc) == ("case.json: events[3] (check_requested): field 'on': dates must not go "
                                    "backwards: 2021-05-30 comes after 2021-06-02")


def test_unknown_person_ref(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][1]["offence"]["victims"] = ["V1", "V9"]
    message = refuse(timeline_doc)
    assert message.startswith("case.json: events[1] (sentenced): field 'offence': field 'victims': "
                              "unknown person ref 'V9'")


def test_person_used_before_added(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"].insert(0, {"on": "2021-05-01", "type": "pregnancy", "ref": "V1"})
    assert "events[0] (pregnancy): field 'ref': expected a person ref added earlier" in refuse(timeline_doc)


def test_unknown_staff_ref(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][2]["practitioner"] = "P7"
    assert refuse(timeline_doc) == ("case.json: events[2] (allocated): field 'practitioner': expected a staff ref "
                                    "from the staff list (known: P1, S1), got 'P7'")


def test_missing_required_field(timeline_doc: dict[str, Any]) -> None:
    del timeline_doc["events"][4]["agency"]
    assert "events[4] (check_returned): field 'agency' is required" in refuse(timeline_doc)


def test_wrong_format_and_unknown_top_level_key(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["format"] = "safeguard-timeline/2"
    assert "field 'format': expected 'safeguard-timeline/1'" in refuse(timeline_doc)
    timeline_doc["format"] = "safeguard-timeline/1"
    timeline_doc["extra"] = 1
    assert refuse(timeline_doc) == ("case.json: unknown field 'extra' (allowed: format, case, staff, events, "
                                    "checkpoints)")


def test_bool_and_count_types(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][4]["callouts"] = "3"
    assert "field 'callouts': expected a whole number of at least 0, got '3'" in refuse(timeline_doc)
    timeline_doc["events"][4]["callouts"] = 3
    timeline_doc["events"][0]["victim"] = "yes"
    assert "events[0] (person_added): field 'victim': expected true or false, got 'yes'" in refuse(timeline_doc)


def test_offence_domestic_may_be_null(timeline_doc: dict[str, Any]) -> None:
    timeline_doc["events"][1]["offence"]["domestic"] = None
    validate_document(timeline_doc, "case.json")


@pytest.mark.django_db
@pytest.mark.parametrize("breakage", ["unknown_type", "unknown_field", "bad_enum", "backwards", "unknown_person"])
def test_import_of_a_malformed_file_exits_2_and_writes_nothing(
    tmp_path: Path, timeline_doc: dict[str, Any], breakage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from safeguard.cases.models import Case, CaseEvent
    from safeguard.workforce.models import Staff

    events = timeline_doc["events"]
    # The breakage is in the last event, so a partial import would have written the others.
    last = events[-1]
    if breakage == "unknown_type":
        last["type"] = "registerd"
    elif breakage == "unknown_field":
        last["reason"] = "x"
    elif breakage == "bad_enum":
        last["code"] = "DV"
    elif breakage == "backwards":
        last["on"] = "2021-01-01"
    else:
        events.append({"on": "2021-06-16", "type": "victim_contact", "ref": "V2", "by": "idva"})
    good = tmp_path / "good.json"
    other = dict(timeline_doc, case={"ref": "X900002", "pdu": "North City"}, events=[])
    good.write_text(json.dumps(other))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(timeline_doc))

    assert main(["import", str(good), str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and f"events[{len(events) - 1}]" in err
    assert Case.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert Staff.objects.count() == 0


def test_replay_of_a_malformed_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["replay", str(bad), "--json"]) == 2
    assert f"{bad}: line 1 column 2: not valid JSON" in capsys.readouterr().err
