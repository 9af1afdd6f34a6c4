"""Cohort plans against a brute-force oracle: every learner's valid sets, every combination, the
classes each needs; and the cohort command on the seed qualifications."""

from __future__ import annotations

import json
from itertools import product

from hypothesis import strategies as st

from models.cohort import Cohort
from solver.analysis.cohort import plan_cohort
from tests.oracle import valid_sets, violated_rules
from tests.strategies import full_and_sample, qualifications


def brute(quals, cohort: Cohort, achieved: list[set[str]]) -> tuple[int, int, int] | None:
    """(hours taught, classes, learners' taught GLH), lexicographically least, or None."""
    glh: dict[str, int] = {}
    for qual in quals:
        for unit in qual.units:
            glh[unit.ref.digits] = max(glh.get(unit.ref.digits, 0), unit.glh)
    size = cohort.class_size
    options = []
    for qual, done in zip(quals, achieved):
        include = [str(u.ref) for u in qual.units if u.ref.digits in done]
        options.append(valid_sets(qual, include=include))
    best = None
    for combo in product(*options):
        counts: dict[str, int] = {}
        own = 0
        for chosen, done in zip(combo, achieved):
            for digits in chosen - done:
                counts[digits] = counts.get(digits, 0) + 1
                own += glh[digits]
        classes = {d: (1 if n else 0) if size is None else -(-n // size) for d, n in counts.items()}
        value = (sum(glh[d] * c for d, c in classes.items()), sum(classes.values()), own)
        best = value if best is None or value < best else best
    return best


@st.composite
def cohorts(draw):
    pool = draw(st.lists(qualifications(max_units=5), min_size=1, max_size=2))
    n = draw(st.integers(1, 3))
    picks = [draw(st.integers(0, len(pool) - 1)) for _ in range(n)]
    learners = []
    for i, k in enumerate(picks):
        refs = [str(u.ref) for u in pool[k].units]
        achieved = draw(st.lists(st.sampled_from(refs), max_size=2, unique=True))
        learners.append({"id": f"l{i}", "qualification": f"q{k}", "achieved": achieved})
    cohort = Cohort.model_validate({"learners": learners, "class_size": draw(st.sampled_from([None, 1, 2]))})
    return pool, cohort


def _cohort_agrees_on(case) -> None:
    pool, cohort = case
    quals = [pool[int(learner.qualification[1:])] for learner in cohort.learners]
    achieved = [{ref.digits for ref in learner.achieved} for learner in cohort.learners]
    result = plan_cohort(cohort, lambda spec: pool[int(spec[1:])])
    expected = brute(quals, cohort, achieved)
    if expected is None:
        assert not result.status.found and result.conflict_learner is not None
        return
    assert result.status.value == "optimal"
    assert (result.hours_taught, result.classes, result.learner_glh) == expected
    for plan, qual, done in zip(result.plans, quals, achieved):  # every learner's set is valid
        chosen = {qual.unit(ref).ref.digits for ref in plan.units}
        assert not violated_rules(qual, chosen) and done <= chosen
    assert result.separate_hours >= result.hours_taught and result.saving_hours == result.separate_hours - result.hours_taught


test_cohort_plans_agree_with_brute_force, test_cohort_plans_agree_sample = full_and_sample(
    _cohort_agrees_on, (cohorts(),), 150, 50)


def test_cohort_cli_on_the_seeds_co_teaches_ncfe_and_ocnlr(roc, tmp_path):
    path = tmp_path / "cohort.yaml"
    path.write_text("class_size: 2\nlearners:\n"
                    "  - {id: amy, qualification: 601/3972/9}\n"
                    "  - {id: ben, qualification: 601/4404/X}\n"
                    "  - {id: cal, qualification: 601/4404/X, achieved: [L/506/2083]}\n")
    data = roc("cohort", "plan", str(path), "--json").json()
    assert data["status"] == "optimal" and data["hours_taught"] < data["separate_hours"]
    rows = {r["ref"]: r for r in data["schedule"]}
    assert rows["L/506/1791"]["classes"] == 2 and rows["L/506/1791"]["hours"] == 60  # 3 learners, classes of 2
    assert "L/506/2083" in data["plans"][2]["achieved"] and "cal" not in rows["L/506/2083"]["learners"]
    table = roc("cohort", "plan", str(path))
    assert "teaching schedule" in table.stdout and "saving" in table.stdout
    csv_path = tmp_path / "cohort.csv"
    csv_path.write_text("id,qualification,achieved\namy,601/3972/9,\nben,601/4404/X,\ncal,601/4404/X,L/506/2083\n")
    assert json.loads(roc("cohort", "plan", str(csv_path), "--class-size", "2", "--json").stdout)["hours_taught"] \
        == data["hours_taught"]


def test_a_learner_who_cannot_finish_is_named_with_why(roc, tmp_path):
    path = tmp_path / "cohort.yaml"
    path.write_text("cannot_deliver: {units: [L/506/1791]}\nlearners:\n  - {id: amy, qualification: 601/3972/9}\n")
    result = roc("cohort", "plan", str(path))
    assert result.code == 1 and "learner amy cannot complete" in result.stdout and "L/506/1791" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("learners:\n  - {id: a, qualification: 601/3972/9}\n  - {id: a, qualification: 601/3972/9}\n")
    assert "id 'a' is used twice" in roc("cohort", "plan", str(bad)).stderr
    for text, words in (("class_size: true\n", "class_size: Input should be a valid integer"),
                        ("class_size: 100000000000\n", "less than or equal to 1000")):
        bad.write_text(text + "learners:\n  - {id: a, qualification: 601/3972/9}\n")
        result = roc("cohort", "plan", str(bad))
        assert result.code == 2 and words in result.stderr
    bad.write_text("learners:\n  - {id: amy, qualification: missing.yaml}\n")
    assert "learner amy: " in roc("cohort", "plan", str(bad)).stderr
