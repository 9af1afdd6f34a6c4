"""`roc import spec` as a user runs it: the draft written (never over a file of the user's), the
review list and the check on screen, the draft usable by `roc plan` at once; a document with
several qualifications asks for --qualification."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"  # copies of ../shared/seeds
SPECS = ROOT / "tests" / "fixtures" / "specs"


def test_a_draft_is_written_reviewed_checked_and_planned(roc, tmp_path):
    out = tmp_path / "bakery.yaml"
    made = roc("import", "spec", str(SPECS / "bakery-columns.md"), "--out", str(out))
    assert made.code == 0, made.stderr
    assert "review: nothing flagged" in made.stderr
    assert "check: the drafted rules admit a valid set; minimum 88 GLH (optimal), published 96" in made.stderr
    text = out.read_text()
    assert text.startswith("# DRAFT by `roc import spec`") and "#   credits: line 10: Learners must achieve a minimum of 15 credits." in text
    assert roc("plan", str(out), "--json").json()["glh"] == 88  # the hand-worked optimum (test_spec.py)
    out.write_text("my own edits\n")
    again = roc("import", "spec", str(SPECS / "bakery-columns.md"), "--out", str(out))
    assert again.code == 2 and out.read_text() == "my own edits\n"  # a file of the user's is never replaced


@pytest.mark.slow
def test_a_document_of_two_qualifications_asks_which_and_drafts_the_one_named(roc, tmp_path):
    document = str(SEEDS / "000_0d7823bd9020fbdf.txt")
    asked = roc("import", "spec", document)
    assert asked.code == 2 and "choose one with --qualification" in asked.stderr
    award = roc("import", "spec", document, "--qualification", "600/1686/3")
    assert award.code == 0 and "number: 600/1686/3" in award.stdout
    assert "M/601/6075 is printed unlike the unit K/601/6075" in award.stderr  # flagged for review
    assert "lint: warning: barred[3][1]: unit reference check character 'M'" in award.stderr  # and linted
    assert "minimum 57 GLH (optimal), published 57" in award.stderr
    wrong = roc("import", "spec", document, "--qualification", "601/4404/X")
    assert wrong.code == 2 and "601/4404/X is not in the document" in wrong.stderr
