"""Cohort plans against a brute-force oracle: every learner's valid sets, every combination, the
classes each needs; and the cohort command on the seed qualifications."""

from __future__ import annotations

import json
from collections import Counter
from itertools import product

from hypothesis import strategies as st

from models import Qualification
from models.cohort import Cohort
from solver.analysis.cohort import plan_cohort
from tests.oracle import valid_sets, violated_rules
from tests.strategies import full_and_sample, qualifications


def classes_for(takers: int, size, minimum, most) -> int | None:
    """The fewest classes that hold `takers` learners within the limits; None when none can."""
    if takers == 0:
        return 0
    classes = 1 if size is None else -(-takers // size)
    if (minimum is not None and minimum * classes > takers) or (most is not None and classes > most):
        return None
    return classes


def options_of(qual, achieved: set[str], banned: set[str], minimal: bool) -> list[tuple[frozenset, frozenset]]:
    """A learner's choices, written from the rules: (whole valid set, units taught) for every valid
    set whose taught units the centre can deliver, an achieved unit of the set counting as
    credit; with `minimal`, only the sets whose taught units include no other choice's."""
    found = {}
    for chosen in valid_sets(qual):
        taught = frozenset(chosen - achieved)
        if not taught & banned:
            found.setdefault(taught, frozenset(chosen))
    if minimal:
        found = {t: s for t, s in found.items() if not any(o < t for o in found)}
    return [(s, t) for t, s in found.items()]


def brute(quals, cohort: Cohort, achieved: list[set[str]], minimise: str = "hours"):
    """(learners without a plan, hours or pence, classes, learners' taught GLH), least first, by
    trying every combination of every learner's choices (and, where a class limit can bite, no
    plan for a learner); None when no learner can have a plan."""
    glh: dict[str, int] = {}
    for qual in quals:
        for unit in qual.units:
            glh[unit.ref.digits] = max(glh.get(unit.ref.digits, 0), unit.glh)
    per_hour = cohort.cost_per_glh or 0
    price = {d: round(100 * {r.digits: v for r, v in cohort.unit_costs.items()}.get(d, h * per_hour))
             for d, h in glh.items()}
    banned = {r.digits for r in cohort.cannot_deliver.units}
    limited = cohort.min_class_size is not None or cohort.max_classes is not None
    choices = [options_of(q, a, banned, minimal=cohort.min_class_size is not None) + ([None] if limited else [])
               for q, a in zip(quals, achieved)]
    best = None
    for combo in product(*choices):
        counts: Counter[str] = Counter()
        own = 0
        for choice, qual in zip(combo, quals):
            if choice is not None:
                counts.update(choice[1])
                own += sum(qual.unit_by_digits[d].glh for d in choice[1])
        classes = {d: classes_for(n, cohort.class_size, cohort.min_class_size, cohort.max_classes)
                   for d, n in counts.items()}
        if any(c is None for c in classes.values()) or all(choice is None for choice in combo):
            continue
        per_class = price if minimise == "cost" else glh
        value = (sum(choice is None for choice in combo), sum(per_class[d] * c for d, c in classes.items()),
                 sum(classes.values()), own)
        best = value if best is None or value < best else best
    return best


@st.composite
def cohorts(draw):
    def taught_something(qual: Qualification) -> dict:
        """The qualification with its first unit mandatory, so that every learner has a class."""
        data = qual.model_dump(mode="json", exclude={"corrections"})
        data["groups"].append({"id": "must", "units": [data["units"][0]["ref"]], "mandatory": True})
        return data

    first = taught_something(draw(qualifications(max_units=5)))
    second = {**first, "units": [{**unit, "glh": draw(st.integers(0, 30))} for unit in first["units"]]}
    pool = [Qualification.model_validate(first), Qualification.model_validate(second),  # one unit, two GLH
            Qualification.model_validate(taught_something(draw(qualifications(max_units=4))))]
    n = draw(st.integers(1, 4))
    learners = []
    for i in range(n):
        k = draw(st.sampled_from([0, 0, 1, 1, 2]))  # mostly the two that share their units
        refs = sorted({str(u.ref) for q in pool for u in q.units})
        achieved = draw(st.lists(st.sampled_from(refs), max_size=3, unique=True))
        learners.append({"id": f"l{i}", "qualification": f"q{k}", "achieved": achieved})
    refs = sorted({str(u.ref) for q in pool for u in q.units})
    size = draw(st.sampled_from([None, 1, 1, 2, 2, 3]))
    cohort = Cohort.model_validate({
        "learners": learners, "class_size": size,
        "min_class_size": draw(st.sampled_from([None, None, 2])) if size != 1 else None,
        "max_classes": draw(st.sampled_from([None, None, 1])),
        "cost_per_glh": draw(st.sampled_from([None, 30.5])),
        "cannot_deliver": {"units": draw(st.lists(st.sampled_from(refs), max_size=1))}})
    return pool, cohort, draw(st.sampled_from(["hours", "cost"])) if cohort.cost_per_glh else "hours"


def _cohort_agrees_on(case) -> None:
    pool, cohort, minimise = case
    quals = [pool[int(learner.qualification[1:])] for learner in cohort.learners]
    achieved = [{ref.digits for ref in learner.achieved} for learner in cohort.learners]
    result = plan_cohort(cohort, lambda spec: pool[int(spec[1:])], minimise=minimise)
    expected = brute(quals, cohort, achieved, minimise)
    if expected is None:
        assert result.hours_taught is None and not result.status.found or not result.plans
        return
    assert result.status.value == "optimal", result
    pence = round(100 * result.cost) if result.cost is not None else 0
    got = (len(result.unserved), pence if minimise == "cost" else result.hours_taught, result.classes,
           result.learner_glh)
    assert got == expected
    banned = {r.digits for r in cohort.cannot_deliver.units}
    for plan in result.plans:  # every set valid, every taught unit deliverable, credit only from prior learning
        k = next(i for i, learner in enumerate(cohort.learners) if learner.id == plan.id)
        qual, done = quals[k], achieved[k]
        chosen = {qual.unit(ref).ref.digits for ref in plan.units}
        taught = {qual.unit(ref).ref.digits for ref in plan.taught}
        assert not violated_rules(qual, chosen) and taught == chosen - done and not taught & banned
        assert plan.glh_taught == sum(qual.unit_by_digits[d].glh for d in taught)
    for row in result.schedule:  # class lists: every taker once, sizes within one of each other
        sizes = [len(c.learners) for c in row.classes]
        assert sorted(sum((c.learners for c in row.classes), [])) == sorted(row.learners)
        assert len(sizes) == row.class_count and max(sizes) - min(sizes) <= 1
        assert cohort.class_size is None or max(sizes) <= cohort.class_size
        assert cohort.min_class_size is None or min(sizes) >= cohort.min_class_size
    if not result.unserved:
        assert result.saving_hours == result.baseline_hours - result.hours_taught


test_cohort_plans_agree_with_brute_force, test_cohort_plans_agree_sample = full_and_sample(
    _cohort_agrees_on, (cohorts(),), 200, 25)


def _same_in_every_order(case) -> None:
    pool, cohort, minimise = case
    figures = None
    for order in (cohort.learners, cohort.learners[::-1], cohort.learners[1:] + cohort.learners[:1]):
        result = plan_cohort(cohort.model_copy(update={"learners": order}), lambda spec: pool[int(spec[1:])],
                             minimise=minimise)
        now = (result.status, result.hours_taught, result.classes, result.learner_glh, result.cost,
               result.baseline_hours, result.taught_alone_hours, result.saving_hours, len(result.unserved))
        assert figures is None or now == figures
        figures = now


test_cohort_figures_do_not_depend_on_learner_order, test_learner_order_sample = full_and_sample(
    _same_in_every_order, (cohorts(),), 100, 12)


def test_taught_alone_counts_each_learner_s_own_glh_in_either_order():
    """Two qualifications give one unit 10 and 50 GLH: taught alone is 60 in either order."""
    unit = {"ref": "K/601/6075", "title": "one unit", "level": "L1", "credits": 1}
    quals = [Qualification.model_validate({"number": "601/4404/X", "title": t, "awarder": "x", "level": "L1",
                                            "source": {"document": "test"}, "units": [{**unit, "glh": g}],
                                            "groups": [{"id": "A", "units": ["K/601/6075"], "mandatory": True}]})
             for t, g in (("ten", 10), ("fifty", 50))]
    for names in (["q0", "q1"], ["q1", "q0"]):
        cohort = Cohort.model_validate({"learners": [{"id": f"l{n}", "qualification": n} for n in names]})
        result = plan_cohort(cohort, lambda spec: quals[int(spec[1:])])
        assert result.taught_alone_hours == 60 and result.hours_taught == 50 and result.baseline_hours == 50
        assert sorted(p.glh_taught for p in result.plans) == [10, 50]


def test_prior_learning_is_credit_to_use_not_units_to_force():
    """The issue's two learners into 601/4404/X, against `roc transfer`."""
    from catalog import builtin
    from solver import transfer

    target = builtin().get("601/4404/X")
    for achieved in (["L/506/1791", "M/502/8587", "R/506/2134"],
                     ["H/506/2154", "L/506/1791", "M/502/8587", "R/502/8601"]):
        cohort = Cohort.model_validate({"learners": [{"id": "x", "qualification": "601/4404/X", "achieved": achieved}]})
        result = plan_cohort(cohort, builtin().resolve)
        assert result.status.value == "optimal"
        assert result.hours_taught == transfer(target, achieved).glh_to_deliver  # 99, then 93


def test_cohort_cli_on_the_seeds_co_teaches_ncfe_and_ocnlr(roc, tmp_path):
    path = tmp_path / "cohort.yaml"
    path.write_text("class_size: 2\nlearners:\n"
                    "  - {id: amy, qualification: 601/3972/9}\n"
                    "  - {id: ben, qualification: 601/4404/X}\n"
                    "  - {id: cal, qualification: 601/4404/X, achieved: [L/506/2083]}\n")
    data = roc("cohort", "plan", str(path), "--json").json()
    assert data["status"] == "optimal" and data["hours_taught"] <= data["baseline_hours"] < data["taught_alone_hours"]
    rows = {r["ref"]: r for r in data["schedule"]}
    assert rows["L/506/1791"]["class_count"] == 2 and rows["L/506/1791"]["hours"] == 60  # 3 learners, classes of 2
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


def test_a_declared_equivalence_counts_in_a_cohort_as_in_transfer():
    """T/601/6077 (an Ascentis unit) declared equivalent to H/506/2154 of 601/3972/9: the learner
    is not taught H/506/2154 when their set includes it, exactly as transfer says."""
    from catalog import builtin
    from models import Equivalence
    from solver import transfer

    declared = [Equivalence.model_validate({"id": "phone", "target": "H/506/2154", "achieved": ["T/601/6077"],
                                            "source": "a letter from NCFE"})]
    cohort = Cohort.model_validate({"learners": [{"id": "x", "qualification": "601/3972/9",
                                                  "achieved": ["T/601/6077"]}]})
    with_it = plan_cohort(cohort, builtin().resolve, equivalences=declared)
    without = plan_cohort(cohort, builtin().resolve)
    target = builtin().get("601/3972/9")
    assert with_it.hours_taught == transfer(target, ["T/601/6077"], declared).glh_to_deliver
    assert without.hours_taught == transfer(target, ["T/601/6077"]).glh_to_deliver > with_it.hours_taught
    assert with_it.plans[0].achieved == ["H/506/2154"] and "H/506/2154" not in with_it.plans[0].taught



def test_cannot_deliver_is_a_list_of_units_or_units_and_levels(roc, tmp_path):
    """The natural guess (a list) and the documented form give the same plan; a mistake in it is
    one line naming the field."""
    path = tmp_path / "c.yaml"
    plans = []
    for written in ("[L/506/2083]", "{units: [L/506/2083]}"):
        path.write_text(f"cannot_deliver: {written}\nlearners:\n  - {{id: a, qualification: 601/4404/X}}\n")
        data = roc("cohort", "plan", str(path), "--json").json()
        assert all(row["ref"] != "L/506/2083" for row in data["schedule"])
        plans.append(data["plans"])
    assert plans[0] == plans[1]
    path.write_text("cannot_deliver: {unit: [L/506/2083]}\nlearners:\n  - {id: a, qualification: 601/4404/X}\n")
    bad = roc("cohort", "plan", str(path))
    assert bad.code == 2 and "cannot_deliver" in bad.stderr and len(bad.stderr.splitlines()) == 1


def _per_learner_agrees_on(case) -> None:
    """The per-learner model (for qualifications with too many valid sets to list) gives the same
    figures as brute force wherever every learner can be served."""
    from solver.analysis import cohort as planner

    pool, cohort, minimise = case
    quals = [pool[int(learner.qualification[1:])] for learner in cohort.learners]
    achieved = [{ref.digits for ref in learner.achieved} for learner in cohort.learners]
    expected = brute(quals, cohort, achieved, minimise)
    if expected is None or expected[0] or cohort.min_class_size is not None:
        return  # it serves every learner or none, and gives learners any set, minimal or not
    listed, planner._valid_masks = planner._valid_masks, lambda qual: None
    try:
        result = plan_cohort(cohort, lambda spec: pool[int(spec[1:])], minimise=minimise)
    finally:
        planner._valid_masks = listed
    assert result.formulation == "per learner" and result.status.value == "optimal"
    pence = round(100 * result.cost) if result.cost is not None else 0
    assert (pence if minimise == "cost" else result.hours_taught, result.classes, result.learner_glh) == expected[1:]


test_the_per_learner_model_agrees, test_the_per_learner_model_agrees_sample = full_and_sample(
    _per_learner_agrees_on, (cohorts(),), 120, 15)
