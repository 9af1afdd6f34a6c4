"""Levels, references and rule models: parsing, ordering, validation."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models import Bounds, Level, LevelRange, Qualification, QualNumber, Unit, UnitRef


@pytest.mark.parametrize("text, level", [
    ("E3", Level.E3), ("Entry 3", Level.E3), ("entry level 1", Level.E1), ("L1", Level.L1),
    ("Level 1", Level.L1), ("1", Level.L1), (2, Level.L2), ("level 8", Level.L8),
])
def test_level_parses_the_ways_specifications_write_it(text, level):
    assert Level.parse(text) is level


@pytest.mark.parametrize("text", ["Entry 4", "Level 9", "L0", "E", "", "beginner", True, 1.5])
def test_level_rejects_what_is_not_a_level(text):
    with pytest.raises(ValueError):
        Level.parse(text)


def test_levels_are_ordered_entry_before_level():
    assert Level.E1 < Level.E2 < Level.E3 < Level.L1 < Level.L2 < Level.L8
    assert Level.E3.label == "Entry 3" and Level.L1.label == "Level 1"


@pytest.mark.parametrize("ref", [
    # every unit reference printed correctly in the seeds
    "R/601/6071", "M/601/6076", "A/601/6047", "R/601/6054", "D/601/6056", "K/601/6058", "M/601/6059",
    "M/601/6062", "A/601/6064", "L/601/6067", "R/601/6068", "H/601/6074", "K/601/6075", "T/601/6077",
    "A/601/6078", "F/601/6079", "T/601/6080", "A/601/6081", "J/601/6052", "F/601/6065", "Y/501/4375",
    "L/506/2083", "Y/506/2085", "L/506/1791", "R/506/1792", "Y/506/1793", "A/506/2094", "A/506/2113",
    "T/506/2126", "H/506/2154", "K/506/2155", "R/506/2134", "H/506/1795", "A/506/1799", "F/503/0392",
    "F/503/0361", "T/505/4673", "M/502/8587", "R/502/8601",
])
def test_check_letter_holds_for_the_seed_references(ref):
    parsed = UnitRef.parse(ref)
    assert parsed.check_ok and parsed.problems() == []


def test_misprinted_check_letters_are_found_with_the_expected_letter():
    # Ofqual reference check character: the Ascentis barred table prints M/601/6075 and T/601/6076
    wrong = UnitRef.parse("M/601/6075")
    assert not wrong.check_ok and wrong.expected_check == "K"
    assert UnitRef.parse("T/601/6076").expected_check == "M"
    assert wrong == UnitRef.parse("K/601/6075")  # one unit, compared by its digits
    assert hash(wrong) == hash(UnitRef.parse("K/601/6075"))


def test_missing_slash_is_normalised_and_reported():
    ref = UnitRef.parse("M601/6059")
    assert str(ref) == "M/601/6059" and ref.printed == "M601/6059"
    assert any("normalised" in p for p in ref.problems())
    assert UnitRef.parse(" k/601/6075 ").normalised == "K/601/6075"


@pytest.mark.parametrize("text", ["601/6075", "KK/601/6075", "K/60/6075", "K/601/607", 601, None])
def test_malformed_unit_references_are_rejected(text):
    with pytest.raises(ValueError):
        UnitRef.parse(text)


@pytest.mark.parametrize("number", ["600/1686/3", "600/1684/X", "600/7736/0", "601/3972/9", "601/4404/X"])
def test_seed_qualification_numbers_have_the_right_check_character(number):
    assert QualNumber.parse(number).check_ok


def test_qualification_number_check_and_equality():
    assert QualNumber.parse("601/4404/x") == QualNumber.parse("601/4404/X")
    wrong = QualNumber.parse("601/4404/3")
    assert not wrong.check_ok and wrong.expected_check == "X"


def test_bounds():
    assert Bounds(exact=23).min == 23 and Bounds(exact=23).max == 23
    assert Bounds(min=6).describe("credits") == "at least 6 credits"
    assert Bounds(min=3).shortfall(1) == -2 and Bounds(max=3).shortfall(5) == 2
    with pytest.raises(ValidationError):
        Bounds(min=5, max=2)
    with pytest.raises(ValidationError):
        Bounds(min=-1)
    with pytest.raises(ValidationError):
        Bounds(exact=3, min=2)


def test_level_range():
    quota = LevelRange(min="L1")
    assert quota.contains(Level.L2) and not quota.contains(Level.E3)
    with pytest.raises(ValidationError):
        LevelRange(min="L2", max="E3")


def test_unit_tqt_defaults_to_ten_hours_a_credit():
    unit = Unit(ref="K/601/6075", title="t", level="L1", credits=2, glh=18)
    assert unit.tqt == 20
    assert Unit(ref="K/601/6075", title="t", level="L1", credits=2, glh=18, tqt=25).tqt == 25


def test_a_file_written_from_a_qualification_keeps_which_tqt_was_printed():
    """`roc show --json` writes the file's own schema: a TQT the document did not print (credits
    x 10) must load back as not printed, or a what-if credit change would no longer move it."""
    qual = Qualification.model_validate({
        "number": "601/4404/X", "title": "t", "awarder": "a", "level": "L1", "source": {"document": "d"},
        "units": [{"ref": "R/100/0000", "title": "derived", "level": "E1", "credits": 2, "glh": 5},
                  {"ref": "M/101/7919", "title": "printed", "level": "E1", "credits": 2, "glh": 5, "tqt": 20}]})
    again = Qualification.model_validate(qual.file_data())
    assert [(u.tqt, u.tqt_printed) for u in again.units] == [(20, False), (20, True)]
    data = again.file_data()
    data["units"][0]["credits"] = 3
    assert Qualification.model_validate(data).units[0].tqt == 30  # follows the credits
