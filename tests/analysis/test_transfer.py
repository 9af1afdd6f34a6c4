"""Credit transfer and the awarder comparison (issue 4)."""

from __future__ import annotations

import json
from itertools import combinations

import pytest
from hypothesis import strategies as st

from catalog import builtin, load_learner_record
from models import Equivalence, InputError, Status
from solver import transfer, transfer_matrix

from .. import oracle
from ..strategies import full_and_sample, qualifications, unit_ref


def q(number):
    return builtin().get(number)


# -- the seeds ------------------------------------------------------------------------------------
@pytest.mark.parametrize("source, target", [("601/3972/9", "601/4404/X"), ("601/4404/X", "601/3972/9")])
def test_ncfe_and_ocnlr_fully_transfer_into_each_other(source, target):
    # the same 18 Ofqual units (NCFE: "provided that the units have the same Ofqual reference number")
    from solver import plan

    completed = plan(q(source), "minimise glh").units
    result = transfer(q(target), completed)
    assert result.status is Status.optimal and result.glh_to_deliver == 0 and result.to_take == []
    assert result.credit_carried == 23 and all(m.via == "same reference" for m in result.mapping)
    every = transfer(q(target), [u.ref for u in q(source).units])
    assert every.glh_to_deliver == 0


def test_ascentis_units_carry_nothing_into_ncfe_without_an_equivalence():
    result = transfer(q("601/3972/9"), [u.ref for u in q("600/1684/X").units])
    assert result.status is Status.optimal
    assert result.credit_carried == 0 and result.mapping == [] and result.glh_to_deliver == 143
    assert len(result.not_transferred) == 18
    assert all("no unit with this reference in 601/3972/9" in n.reason for n in result.not_transferred)


def test_a_declared_equivalence_changes_the_answer():
    # Suppose NCFE declared Ascentis' "Deal with queries and requests" (H/601/6074) equivalent to
    # its A/506/2113 (11 GLH, Group B): the learner then delivers 11 GLH less... unless the
    # cheaper plan does not use A/506/2113 (it does: 143 uses A/506/2113 and A/506/2094).
    eq = Equivalence(id="test-queries", target="A/506/2113", achieved=["H/601/6074"],
                     source={"document": "test"})
    before = transfer(q("601/3972/9"), ["H/601/6074"])
    after = transfer(q("601/3972/9"), ["H/601/6074"], [eq])
    assert before.glh_to_deliver == 143 and after.glh_to_deliver == 132
    assert after.mapping[0].target_unit == "A/506/2113" and after.mapping[0].via == "equivalence test-queries"


def test_many_to_one_needs_every_unit_and_each_achieved_unit_counts_once():
    pair = Equivalence(id="pair", target="R/506/1792", achieved=["R/601/6071", "M/601/6076"],
                       source={"document": "test"})
    single = Equivalence(id="single", target="L/506/1791", achieved=["R/601/6071"], source={"document": "test"})
    half = transfer(q("601/3972/9"), ["R/601/6071"], [pair])
    assert half.credit_carried == 0
    assert "equivalence pair for R/506/1792 also needs M/601/6076" in half.not_transferred[0].reason
    both = transfer(q("601/3972/9"), ["R/601/6071", "M/601/6076"], [pair, single])
    # R/601/6071 may serve the pair (R/506/1792, 25 GLH) or the single (L/506/1791, 30 GLH), not both
    assert len(both.mapping) == 1 and both.mapping[0].target_unit == "L/506/1791"
    assert both.glh_to_deliver == 143 - 30
    assert [n.ref for n in both.not_transferred] == ["M/601/6076"]


def test_equivalence_restricted_to_another_qualification_does_not_apply():
    eq = Equivalence(id="only-ocn", target="A/506/2113", achieved=["H/601/6074"], qualification="601/4404/X",
                     source={"document": "test"})
    assert transfer(q("601/3972/9"), ["H/601/6074"], [eq]).credit_carried == 0
    assert transfer(q("601/4404/X"), ["H/601/6074"], [eq]).credit_carried == 3


def test_transfer_matrix_on_the_catalogue():
    cells = {(c.source, c.target): c for c in transfer_matrix(list(builtin()))}
    assert len(cells) == 20
    assert cells[("601/3972/9", "601/4404/X")].from_min_plan == 0
    assert cells[("601/4404/X", "601/3972/9")].from_all_units == 0
    assert cells[("600/1684/X", "601/3972/9")].from_all_units == 143
    # the Award's minimum plan (A/601/6047, R/601/6071, K/601/6075) into the Certificate:
    # M/601/6076 (18) and 4 more Group B credits (16 + 18)
    assert cells[("600/1686/3", "600/1684/X")].from_min_plan == 52
    assert cells[("600/1684/X", "600/1686/3")].from_min_plan == 0
    assert all(c.status is Status.optimal for c in cells.values())


# -- against brute force --------------------------------------------------------------------------
def oracle_to_deliver(qual, achieved: set[str], equivalences) -> int | None:
    """Least GLH to deliver: over every valid set, the best packing of credits into it."""
    options = [(u.ref.digits, (u.ref.digits,)) for u in qual.units if u.ref.digits in achieved]
    options += [(eq.target.digits, tuple(r.digits for r in eq.achieved)) for eq in equivalences
                if qual.unit(eq.target) is not None and all(r.digits in achieved for r in eq.achieved)]
    glh = {u.ref.digits: u.glh for u in qual.units}
    best = None
    for chosen in oracle.valid_sets(qual):
        usable = [o for o in options if o[0] in chosen]
        saved = 0
        for size in range(1, len(usable) + 1):
            for pick in combinations(usable, size):
                targets = [o[0] for o in pick]
                used = [d for o in pick for d in o[1]]
                if len(set(targets)) == len(targets) and len(set(used)) == len(used):
                    saved = max(saved, sum(glh[t] for t in targets))
        cost = sum(glh[d] for d in chosen) - saved
        best = cost if best is None else min(best, cost)
    return best


def _transfer_agrees_on(qual, data) -> None:
    refs = [str(u.ref) for u in qual.units]
    outsiders = [unit_ref(999_990 + i) for i in range(3)]
    achieved = data.draw(st.lists(st.sampled_from(refs + outsiders), unique=True, max_size=6))
    equivalences = [
        Equivalence(id=f"e{i}", target=target, source={"document": "generated"},
                    achieved=data.draw(st.lists(st.sampled_from([r for r in refs + outsiders if r != target]),
                                                min_size=1, max_size=2, unique=True)))
        for i, target in enumerate(data.draw(st.lists(st.sampled_from(refs), max_size=3)))]
    result = transfer(qual, achieved, equivalences)
    expected = oracle_to_deliver(qual, {unit_ref_digits(r) for r in achieved}, equivalences)
    if expected is None:
        assert result.status is Status.infeasible
        return
    assert result.status is Status.optimal and result.glh_to_deliver == expected
    # the set is valid, no achieved unit counts twice, and the totals add up
    assert not oracle.violated_rules(qual, {qual.unit(r).ref.digits for r in result.units})
    used = [a for m in result.mapping for a in m.achieved]
    assert len(used) == len(set(used))
    assert result.glh_to_deliver == sum(u.glh for u in result.to_take)
    assert result.glh_total == result.glh_to_deliver + sum(m.glh_saved for m in result.mapping)


test_transfer_matches_brute_force, test_transfer_matches_brute_force_sample = full_and_sample(
    _transfer_agrees_on, (qualifications(max_units=6), st.data()), 250, 50)


def unit_ref_digits(ref: str) -> str:
    return ref.replace("/", "")[1:]


# -- learner records --------------------------------------------------------------------------------
def test_learner_records_in_yaml_json_and_csv(tmp_path):
    (tmp_path / "r.yaml").write_text("learner: A. Learner\nachieved:\n  - L/506/2083\n"
                                     "  - {ref: Y/506/2085, awarder: NCFE, level: L1, credits: 2, date: 2025-06-30}\n")
    (tmp_path / "r.json").write_text(json.dumps(["L/506/2083", {"ref": "Y/506/2085"}]))
    (tmp_path / "r.csv").write_text("Unit Reference,Awarder,Level,Credits,Date\nL/506/2083,NCFE,1,3,2025-06-30\n"
                                    "Y/506/2085,,,,\n")
    for name in ("r.yaml", "r.json", "r.csv"):
        record = load_learner_record(tmp_path / name)
        assert [str(a.ref) for a in record.achieved] == ["L/506/2083", "Y/506/2085"], name


def test_learner_record_errors_name_the_row_and_field(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("ref,level\nL/506/2083,1\nY/506/2085,Level 12\n")
    with pytest.raises(InputError, match=r"r\.csv: row 3\.level: .*'Level 12'"):
        load_learner_record(path)
    path.write_text("unit code,level\nX,1\n")
    with pytest.raises(InputError, match="no unit reference column"):
        load_learner_record(path)


def test_record_figures_that_disagree_with_the_catalogue_are_noted():
    from models import AchievedUnit

    result = transfer(q("601/3972/9"), [AchievedUnit(ref="l/506/2083", credits=4, level="L2")])
    messages = " ".join(n.message for n in result.notes)
    assert "matched unit L/506/2083" in messages and "4 credits" in messages and "Level 2" in messages


# -- CLI ------------------------------------------------------------------------------------------------
def test_transfer_cli(roc, tmp_path):
    data = roc("transfer", "--achieved", "L/506/2083", "Y/506/2085", "T/601/6077", "--to", "601/3972/9",
               "--json").json()
    assert data["status"] == "optimal" and data["credit_carried"] == 5 and data["glh_to_deliver"] == 104
    assert data["not_transferred"][0]["ref"] == "T/601/6077"
    eqs = tmp_path / "eq.yaml"
    eqs.write_text("equivalences:\n  - {id: x, target: A/506/2113, achieved: [T/601/6077], "
                   "source: {document: test}}\n")
    data = roc("transfer", "--achieved", "T/601/6077", "--to", "601/3972/9", "--equivalences", str(eqs),
               "--json").json()
    assert data["glh_to_deliver"] == 132
    record = tmp_path / "learner.csv"
    record.write_text("ref\nL/506/2083\n")
    assert roc("transfer", "--record", str(record), "--to", "601/4404/X", "--json").json()["glh_to_deliver"] == 118
    nothing = roc("transfer", "--to", "601/4404/X")
    assert nothing.code == 2 and nothing.says("no achieved units")
    bad = tmp_path / "bad.yaml"
    bad.write_text("equivalences:\n  - {id: x, target: A/506/2113, achieved: []}\n")
    result = roc("transfer", "--achieved", "T/601/6077", "--to", "601/3972/9", "--equivalences", str(bad))
    assert result.code == 2 and "equivalences[0]" in result.stderr


@pytest.mark.slow
def test_compare_in_every_format(roc):
    rows = roc("compare", "--format", "json").json()
    by_number = {r["number"]: r for r in rows}
    assert by_number["601/3972/9"]["min_glh"] == 143 and by_number["601/3972/9"]["published_glh"] == "133"
    assert by_number["601/4404/X"]["max_glh"] == 178 and by_number["601/4404/X"]["valid_sets"] == 110
    assert by_number["600/1684/X"]["published_tqt"] == 70 and by_number["600/1684/X"]["min_tqt"] == 130
    assert by_number["601/4404/X"]["findings"] == 0 and by_number["601/3972/9"]["findings"] == 1
    csv_text = roc("compare", "--format", "csv").stdout.splitlines()
    assert csv_text[0].startswith("awarder,number,title") and len(csv_text) == 6
    markdown = roc("compare", "--format", "markdown").stdout.splitlines()
    table = [line for line in markdown if line.startswith("|")]
    assert markdown[0] == "## roc compare: achievable against published"
    assert table[0].startswith("| awarder |") and table[1].startswith("|---") and len(table) == 7
    assert "OCN London" in roc("compare").stdout


def test_transfer_matrix_cli(roc):
    rows = roc("transfer-matrix", "601/3972/9", "601/4404/X", "--format", "json").json()
    assert [(r["source"], r["target"], r["from_min_plan"]) for r in rows] == [
        ("601/3972/9", "601/4404/X", 0), ("601/4404/X", "601/3972/9", 0)]
