"""Transfer suggestions: Match, Maybe, Miss (issue 14)."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from bench.catalogue import AREAS, catalogue_entries
from catalog import builtin, load_equivalences
from models import AchievedUnit, Equivalence, Level, Qualification, Status
from solver.analysis.results import SuggestionLabel
from solver.analysis.similarity import Facts, TermWeights, score, title_terms
from solver.analysis.suggest import equivalence_for, suggest

from ..strategies import qualifications, unit_ref
from .test_transfer import oracle_to_deliver, unit_ref_digits


def q(number: str) -> Qualification:
    return builtin().get(number)


# Read from the titles: the Ascentis unit, and the NCFE / OCN London unit a person would ask the
# awarding organisation to accept for it ...
EXPECTED = {
    "H/601/6074": "A/506/2113",  # Deal with queries and requests -> Deal with customer queries, requests and problems
    "A/601/6078": "Y/506/2085",  # Positive communication with customers -> Communication in customer service
}
# ... and pairs whose titles agree but where the incoming unit is smaller or at a lower level than the
# unit it would stand for: an equivalence cannot cover a bigger or higher unit (shared/REFERENCE.md),
# so each is a Miss that says why
TOO_SMALL = {
    "K/601/6075": ("A/506/2094", "smaller: 2 credits against 3"),  # Record and communicate customer problems
    "R/601/6054": ("A/506/2113", "lower level: Entry 3 against Level 1"),  # deal with queries, Entry 3
    "T/601/6077": ("H/506/2154", "smaller: 2 credits against 3"),  # Answer telephone calls (Level 2 too)
    "M/601/6062": ("Y/506/2085", "lower level: Entry 3 against Level 1"),  # Communicate effectively
    "M/601/6076": ("L/506/2083", "smaller: 2 credits against 3"),  # Working in customer service
}
# ... and units a person would not pair with any of them
MISSES = {
    "R/601/6071": "legislation and procedures: no NCFE unit is about them",
    "A/601/6047": "appearance and behaviour",
    "K/601/6058": "the job role",
    "T/601/6080": "the customer service experience",
    "M/601/6059": "telephone calls at Entry 3; NCFE's are Level 2, two levels up",
}


@pytest.mark.parametrize("source", ["600/1684/X", "600/1686/3"])
@pytest.mark.parametrize("target", ["601/3972/9", "601/4404/X"])
def test_ascentis_units_get_the_maybes_a_person_would_accept(source, target):
    src = q(source)
    result = suggest(q(target), [u.ref for u in src.units], source=src)
    held = {str(u.ref) for u in src.units}
    maybes = {(s.achieved, s.target_unit) for s in result.maybes}
    assert maybes == {(a, t) for a, t in EXPECTED.items() if a in held}
    labels = {s.achieved: s.label for s in result.suggestions}
    for ref in MISSES:
        assert labels[ref] is SuggestionLabel.miss, MISSES[ref]
    for ref, (nearest, why) in TOO_SMALL.items():
        if ref in held:
            row = next(s for s in result.suggestions if s.achieved == ref)
            assert row.label is SuggestionLabel.miss and row.target_unit == nearest and why in row.reason, row
    assert result.suggestions[0].label is SuggestionLabel.maybe
    level_gap = next(s for s in result.suggestions if s.achieved == "M/601/6059")
    assert level_gap.target_unit == "H/506/2154" and "levels two or more apart" in level_gap.reason
    # every Maybe is worth something to a learner who holds every unit, and says why in words
    for s in result.maybes:
        assert s.glh_saved is not None and s.glh_saved > 0
        assert s.shared_words and s.shared_words[0] in (s.target_title or "").lower()
    assert result.status is Status.optimal
    assert result.glh_to_deliver == 143  # nothing transfers from Ascentis without an equivalence
    assert result.glh_to_deliver_all_maybes is not None and result.glh_to_deliver_all_maybes < 143 - max(
        s.glh_saved or 0 for s in result.maybes) + 1


@pytest.mark.parametrize("source", ["601/3972/9", "601/4404/X"])
def test_the_same_pairs_the_other_way(source):
    src = q(source)
    result = suggest(q("600/1684/X"), [u.ref for u in src.units], source=src)
    # the other way the incoming unit is the bigger or higher one: every pair is a Maybe
    pairs = {**EXPECTED, **{a: t for a, (t, _) in TOO_SMALL.items()}}
    # and NCFE's "Communication in customer service" for Ascentis's Entry 3 "Communicate customers'
    # problems with others", once "others" no longer counts as a subject
    assert {(s.achieved, s.target_unit) for s in result.maybes} == {(t, a) for a, t in pairs.items()} | {
        ("Y/506/2085", "D/601/6056")}


def test_reasons_show_the_words_as_both_titles_print_them_and_everyday_words_do_not_count():
    from solver.analysis.similarity import title_terms

    target = q("601/3972/9")
    row = next(s for s in suggest(target, ["T/601/6077"], known=list(builtin())).suggestions)
    assert "shares answer ~ incoming, telephone, calls" in row.reason  # "Answer telephone calls from customers"
    assert "shares incoming," not in row.reason  # the achieved title has no "incoming"
    assert "other" not in title_terms("Work with others in a business environment")


def test_a_smaller_unit_is_never_a_maybe_for_a_bigger_one():
    # issue 25: NCFE's 2-credit "Working in customer service" and OCNLR's 3-credit L/506/2083 were
    # offered for ProQual's only unit, Y/501/4375 (6 credits), saving all 30 GLH
    for source in ("601/3972/9", "601/4404/X"):
        src = q(source)
        result = suggest(q("600/7736/0"), [u.ref for u in src.units], source=src)
        assert not result.maybes
        for row in result.suggestions:
            if row.target_unit == "Y/501/4375" and row.score and row.score >= result.threshold:
                assert row.label is SuggestionLabel.miss and "smaller" in row.reason


def test_proqual_principles_is_a_maybe_for_ncfe_customer_service_environment():
    src = q("600/7736/0")
    result = suggest(q("601/3972/9"), [u.ref for u in src.units], source=src)
    assert [(s.achieved, s.target_unit) for s in result.maybes] == [("Y/501/4375", "L/506/2083")]
    assert "general units of customer service" in result.maybes[0].reason


def test_same_reference_is_a_match_and_is_not_offered_again():
    result = suggest(q("601/3972/9"), ["L/506/2083", "T/601/6077"], known=list(builtin()))
    match = next(s for s in result.suggestions if s.achieved == "L/506/2083")
    assert match.label is SuggestionLabel.match and match.reason == "same reference"
    assert all(s.target_unit != "L/506/2083" for s in result.suggestions if s.label is not SuggestionLabel.match)


def test_a_declared_equivalence_is_a_match():
    declared = [Equivalence(id="letter", target="A/506/2094", achieved=["K/601/6075"], source="letter from NCFE")]
    result = suggest(q("601/3972/9"), ["K/601/6075"], declared, known=list(builtin()))
    assert [(s.label, s.target_unit, s.reason) for s in result.suggestions] == [
        (SuggestionLabel.match, "A/506/2094", "equivalence letter")]


def test_a_unit_roc_knows_nothing_of_is_a_miss_that_says_so():
    result = suggest(q("601/3972/9"), ["T/123/4567"])
    assert result.suggestions[0].label is SuggestionLabel.miss and "no title" in result.suggestions[0].reason
    # ... and the learner record's own title, level and credits are enough to score it
    typed = AchievedUnit(ref="T/123/4567", title="Handling incoming telephone calls", level="L2", credits=3)
    found = suggest(q("601/3972/9"), [typed]).maybes
    assert found[0].target_unit == "H/506/2154" and "size" in found[0].reason


# -- the score ------------------------------------------------------------------------------------
def test_titles_are_normalised_before_they_are_compared():
    assert set(title_terms("Handling customers' enquiries")) == set(title_terms("Deal with customer queries"))
    assert title_terms("Understand how to work in a business environment") == {"busi": "business"}
    weights = TermWeights(["Deal with queries", "Record problems", "Record details"], ["Customer Service"])
    assert weights("custom") == 0 and weights("record") < weights("queri")


def test_size_and_level_alone_never_make_a_maybe():
    weights = TermWeights(["Operate a till", "Make up beds in guest rooms"])
    same_size = score(Facts("Operate a till", Level.L1, 2, 18), Facts("Make up beds in guest rooms", Level.L1, 2, 18),
                      weights)
    assert same_size.title == 0 and not same_size.maybe(threshold=0.0)


@pytest.mark.slow
def test_no_maybes_across_unrelated_subjects_in_a_synthetic_catalogue():
    quals = [Qualification.model_validate(entry) for entry in catalogue_entries(10, seed=1)]
    across, within = [], []
    for s, source in enumerate(quals):
        for t, target in enumerate(quals):
            if s != t:
                found = suggest(target, [u.ref for u in source.units], source=source).maybes
                (within if s % len(AREAS) == t % len(AREAS) else across).extend(found)
    assert across == []
    # the control: the same catalogue does give Maybes within a subject (its units share titles)
    assert len(within) > 20 and all(m.achieved_title == m.target_title for m in within)


# -- the saving against brute force ----------------------------------------------------------------
TOPICS = ["welding", "plumbing", "bricklaying", "carpentry", "roofing", "glazing", "tiling", "plastering"]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(max_units=6), st.data())
def test_each_saving_agrees_with_brute_force(qual, data):
    # titles a person could read; achieved units are the target's own (Match) and look-alikes of
    # them under other references (Maybe: the same title, level and credits)
    raw = qual.model_dump(mode="json")
    for unit, topic in zip(raw["units"], TOPICS):
        unit["title"] = f"Safe {topic} practice"
    qual = Qualification.model_validate(raw)
    own = data.draw(st.lists(st.sampled_from(qual.units), unique_by=lambda u: str(u.ref), max_size=3))
    twins = data.draw(st.lists(st.sampled_from(qual.units), unique_by=lambda u: str(u.ref), max_size=3))
    achieved = [AchievedUnit(ref=u.ref) for u in own] + [
        AchievedUnit(ref=unit_ref(999_000 + i), title=u.title, level=u.level, credits=u.credits)
        for i, u in enumerate(twins)]
    result = suggest(qual, achieved, candidates=6)
    held = {unit_ref_digits(str(a.ref)) for a in achieved}
    base = oracle_to_deliver(qual, held, [])
    assert result.glh_to_deliver == base
    if base is None:
        assert all(s.glh_saved is None for s in result.suggestions)
        return
    assert result.maybes or not twins
    for row in result.maybes:
        with_it = oracle_to_deliver(qual, held, [equivalence_for(row, qual)])
        assert row.glh_saved == base - with_it
    every = [equivalence_for(row, qual) for row in result.maybes]
    assert result.glh_to_deliver_all_maybes == oracle_to_deliver(qual, held, every)


# -- the command line -----------------------------------------------------------------------------
def test_suggestions_never_change_the_default_answer(roc):
    args = ["transfer", "--to", "601/3972/9", "--achieved", "H/601/6074", "A/601/6078", "L/506/2083", "--json"]
    plain, suggested = roc(*args).json(), roc(*args, "--suggest").json()
    found = suggested.pop("suggestions")
    for data in (plain, suggested):
        data.pop("solve_seconds")
    assert suggested == plain and plain["glh_to_deliver"] == 118
    assert {(s["achieved"], s["target_unit"]) for s in found["suggestions"] if s["label"] == "Maybe"} == {
        ("H/601/6074", "A/506/2113"), ("A/601/6078", "Y/506/2085")}
    assert found["glh_to_deliver"] == 118 and found["glh_to_deliver_all_maybes"] < 118


def test_written_suggestions_come_back_as_declared_equivalences(roc, tmp_path):
    written = tmp_path / "suggested.yaml"
    result = roc("equivalences", "suggest", "600/1686/3", "601/3972/9", "--write-equivalences", str(written),
                 "--json")
    assert result.code == 0 and f"wrote {written}" in result.stderr
    found = json.loads(result.stdout)
    maybes = [s for s in found["suggestions"] if s["label"] == "Maybe"]
    declared = load_equivalences(written).equivalences
    assert [(str(e.achieved[0]), str(e.target)) for e in declared] == [(s["achieved"], s["target_unit"]) for s in maybes]
    assert all(e.source.document == "suggested by roc, needs confirmation" for e in declared)
    assert "needs confirmation" in written.read_text().splitlines()[1]
    # passed back, they are declared: the learner holding every Award unit has what "all Maybes" said
    units = [str(u.ref) for u in q("600/1686/3").units]
    after = roc("transfer", "--to", "601/3972/9", "--achieved", *units, "--equivalences", str(written), "--json").json()
    assert after["glh_to_deliver"] == found["glh_to_deliver_all_maybes"] < found["glh_to_deliver"]
    assert any(n["code"] == "unconfirmed" for n in after["notes"])
    # written again: an earlier output of the same command is replaced
    assert roc("equivalences", "suggest", "600/1686/3", "601/3972/9", "--write-equivalences", str(written)).code == 0


def test_suggestions_refuse_to_write_over_the_users_files(roc, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("equivalences:\n  - {id: letter, target: A/506/2094, achieved: [K/601/6075], source: letter}\n")
    before = mine.read_bytes()
    result_file = tmp_path / "result.json"
    for extra in (["--equivalences", str(mine)], []):
        result = roc("transfer", "--to", "601/3972/9", "--achieved", "T/601/6077", "--suggest", *extra,
                     "--write-equivalences", str(mine), "--out", str(result_file))
        assert result.code == 2 and str(mine) in result.stderr and mine.read_bytes() == before
        assert not result_file.exists()  # refused before any work: no result presented either
    # an earlier output for another target is not this command's to replace
    other = tmp_path / "other.yaml"
    assert roc("equivalences", "suggest", "600/1686/3", "601/4404/X", "--write-equivalences", str(other)).code == 0
    kept = other.read_bytes()
    assert roc("equivalences", "suggest", "600/1686/3", "601/3972/9", "--write-equivalences", str(other)).code == 2
    assert other.read_bytes() == kept
    same = roc("equivalences", "suggest", "601/3972/9", "601/3972/9")
    assert same.code == 2 and "give two qualifications" in same.stderr
    wild = roc("equivalences", "suggest", "600/1686/3", "601/3972/9", "--threshold", "2")
    assert wild.code == 2 and "--threshold" in wild.stderr


def test_a_learner_records_titles_are_scored(roc, tmp_path):
    record = tmp_path / "learner.csv"
    record.write_text("ref,title,level,credits\nT/123/4567,Answering telephone calls from customers,L2,3\n"
                      "L/506/2083,,,\n")
    found = roc("transfer", "--to", "601/3972/9", "--record", str(record), "--suggest", "--json").json()
    labels = {(s["achieved"], s["label"], s["target_unit"]) for s in found["suggestions"]["suggestions"]}
    assert {("T/123/4567", "Maybe", "H/506/2154"), ("L/506/2083", "Match", "L/506/2083")} <= labels
    assert found["glh_to_deliver"] == 118  # the transfer itself counts only the same reference


def test_suggestions_in_a_workbook(roc, tmp_path):
    book = tmp_path / "suggestions.xlsx"
    assert roc("equivalences", "suggest", "600/1686/3", "601/3972/9", "--out", str(book)).code == 0
    sheet = load_workbook(book)["suggestions"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in row])) for row in sheet.iter_rows(min_row=2)]
    queries = next(r for r in rows if r["achieved"] == "H/601/6074")
    assert queries["label"] == "Maybe" and queries["target_unit"] == "A/506/2113"
    assert isinstance(queries["glh_saved"], int) and queries["glh_saved"] > 0
    telephone = next(r for r in rows if r["achieved"] == "T/601/6077")
    assert telephone["label"] == "Miss" and "smaller: 2 credits against 3" in telephone["reason"]


def test_the_readme_shows_what_roc_suggests():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    block = text.split("<!-- suggestions: 600/1686/3 601/3972/9 -->\n", 1)[1].split("<!-- /suggestions -->", 1)[0]
    shown = [[cell.strip() for cell in line.strip("|").split("|")] for line in block.splitlines()[2:]]
    src = q("600/1686/3")
    result = suggest(q("601/3972/9"), [u.ref for u in src.units], source=src)
    assert shown == [[f"{s.achieved} {s.achieved_title}", s.label.value,
                      f"{s.target_unit} {s.target_title}" if s.target_unit else "-",
                      "" if s.score is None else f"{s.score:.2f}", "" if s.glh_saved is None else str(s.glh_saved)]
                     for s in result.suggestions]
    assert (result.glh_to_deliver, result.glh_to_deliver_all_maybes, len(result.maybes)) == (143, 118, 2)
    assert "143 GLH to deliver" in text and "with both Maybes declared, 118" in text
