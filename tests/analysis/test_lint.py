"""`roc lint` reports each mistake the seed specifications really contain."""

from __future__ import annotations

import pytest

from catalog import builtin, load_file
from models import Severity
from solver import lint


@pytest.fixture(scope="module")
def findings():
    return lint(builtin())


def codes(findings, code, qualification=None):
    return [f for f in findings if f.code == code and (qualification is None or f.qualification == qualification)]


def test_unit_printed_with_two_check_letters_is_one_unit_reported(findings):
    conflicts = {f.subject: f.message for f in codes(findings, "ref-conflict")}
    assert set(conflicts) == {"K/601/6075", "M/601/6076"}
    assert "M/601/6075" in conflicts["K/601/6075"] and "T/601/6076" in conflicts["M/601/6076"]


def test_wrong_check_letters_give_the_expected_letter(findings):
    messages = [f.message for f in codes(findings, "ref-check-letter", "600/1684/X")]
    assert any("'M'" in m and "expected 'K'" in m for m in messages)
    assert any("'T'" in m and "expected 'M'" in m for m in messages)


def test_reference_missing_a_slash(findings):
    found = codes(findings, "ref-format", "600/1686/3")
    assert len(found) == 1 and "M601/6059" in found[0].message and found[0].subject == "M/601/6059"


def test_barred_pairs_naming_units_outside_the_qualification(findings):
    assert {f.subject for f in codes(findings, "barred-outside", "600/1684/X")} == {"J/601/6052", "F/601/6065"}
    # the Award does not offer M/601/6076 (printed T/601/6076 in the pair) either
    assert {f.subject for f in codes(findings, "barred-outside", "600/1686/3")} == {
        "J/601/6052", "F/601/6065", "T/601/6076"}


def test_ascentis_tqt_figures_are_swapped(findings):
    certificate = codes(findings, "published-tqt", "600/1684/X")
    award = codes(findings, "published-tqt", "600/1686/3")
    assert len(certificate) == 1 and "below" in certificate[0].message and "swapped" in certificate[0].message
    assert len(award) == 1 and "swapped" in award[0].message


def test_ncfe_published_glh_below_what_the_rules_allow(findings):
    found = codes(findings, "published-glh")
    assert [f.qualification for f in found] == ["601/3972/9"]
    assert "133" in found[0].message and "143" in found[0].message


def test_corrections_are_reported(findings):
    assert {f.qualification for f in codes(findings, "correction")} == {"600/1684/X", "600/1686/3", "600/7736/0"}
    assert all(f.severity is Severity.info for f in codes(findings, "correction"))


def test_correct_qualifications_have_no_warnings(findings):
    for number in ("601/4404/X", "600/7736/0"):
        assert not [f for f in findings if f.qualification == number and f.severity is not Severity.info]


def test_infeasible_rules_are_an_error(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text("""
number: 601/4404/X
title: impossible
awarder: test
level: L1
source: {document: test}
credits: {min: 10}
units:
  - {ref: L/506/2083, title: a, level: L1, credits: 3, glh: 25}
  - {ref: Y/506/2085, title: b, level: L1, credits: 2, glh: 14}
""")
    found = lint([load_file(path)])
    assert [f.code for f in found if f.severity is Severity.error] == ["infeasible"]


def test_same_unit_with_different_figures_in_two_files(tmp_path):
    ocn = builtin().get("601/4404/X")
    data = ocn.model_dump(mode="json", exclude_none=True)
    data["number"] = "601/3972/9"
    data["units"][0]["glh"] = 26
    path = tmp_path / "q.json"
    import json

    path.write_text(json.dumps(data))
    found = codes(lint([ocn, load_file(path)]), "unit-conflict")
    assert len(found) == 1 and "L/506/2083" in found[0].message and "glh" in found[0].message
