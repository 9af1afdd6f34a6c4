"""Benchmarks of the hot path: `pytest bench/ --benchmark-only`.

Targets (issue 5), each measured here: a plan on a seed qualification in at most 0.3 ms median
in-process (the template with its valid-set table; CP-SAT alone is measured too); at least 15x faster than scipy.optimize.milp (HiGHS) on the same qualification in the
same run; at least 3,000 scenarios/s for seed-size qualifications on 2 cores; the 2,000-unit
synthetic instance proven optimal in under 1 s. `python -m bench.report` turns the JSON of a run
into the table in bench/README.md.
"""

from __future__ import annotations

import json

import pytest

from catalog import builtin
from models import Scenario
from solver import check, plan, transfer
from solver.engine import compile_qualification
from solver.whatif import Template, expand, run_batch

from .milp import build, solve_min_glh, solve_min_glh_highs
from .synthetic import synthetic_qualification

SEEDS = ["601/4404/X", "601/3972/9", "600/1686/3", "600/1684/X", "600/7736/0"]


@pytest.fixture(scope="module")
def synthetic():
    return synthetic_qualification(units=2000, groups=100, quotas=10, barred=1000)


# -- compile ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("number", SEEDS)
def test_compile_seed(benchmark, number):
    compiled = benchmark(compile_qualification, builtin().get(number))
    assert compiled.units


def test_compile_synthetic_2000(benchmark, synthetic):
    compiled = benchmark(compile_qualification, synthetic)
    assert len(compiled.units) == 2000


# -- solve: a plan on a compiled template (the hot path), from scratch, and HiGHS ---------------------
@pytest.mark.parametrize("number", SEEDS)
def test_plan_seed_template(benchmark, number):
    """The hot path as a batch worker runs it: compiled template, valid-set table built."""
    template = Template(builtin().get(number))
    scenario = Scenario(id="bench", qualification=number)
    template.solve(scenario)  # builds the table once (see test_valid_set_table_build)
    result = benchmark(template.solve, scenario)
    assert result.status == "optimal"
    benchmark.extra_info["glh"] = result.objective


@pytest.mark.parametrize("number", SEEDS)
def test_plan_seed_template_cp_sat(benchmark, number):
    """The same on CP-SAT alone: what rule, credit and level changes cost."""
    template = Template(builtin().get(number))
    scenario = Scenario(id="bench", qualification=number)
    result = benchmark(template.solve, scenario, use_table=False)
    assert result.status == "optimal"


@pytest.mark.parametrize("number", SEEDS)
def test_valid_set_table_build(benchmark, number):
    """The one-time cost of enumerating every valid set (per qualification, per process)."""
    qual = builtin().get(number)
    table = benchmark.pedantic(lambda: Template(qual).table(), rounds=3, iterations=1)
    benchmark.extra_info["valid_sets"] = len(table.rank)


@pytest.mark.parametrize("number", SEEDS)
def test_plan_seed_from_scratch(benchmark, number):
    result = benchmark(plan, builtin().get(number))
    assert result.status.value == "optimal"


@pytest.mark.parametrize("number", SEEDS)
def test_plan_seed_scipy_milp(benchmark, number):
    qual = builtin().get(number)
    model = build(qual)
    result = benchmark(solve_min_glh, model)
    assert result.status == 0 and round(result.fun) == plan(qual).objective  # same optimum as roc


@pytest.mark.parametrize("number", SEEDS)
def test_plan_seed_highspy_best(benchmark, number):
    # HiGHS at its best on the seeds (issue 24's fair anchor): feasibility jump off, model built
    pytest.importorskip("highspy")
    qual = builtin().get(number)
    model = build(qual)
    glh, proven = benchmark(solve_min_glh_highs, model)
    assert proven and glh == plan(qual).objective  # same optimum as roc


def test_plan_synthetic_2000_template(benchmark, synthetic):
    template = Template(synthetic)
    result = benchmark.pedantic(template.solve, args=(Scenario(id="bench", qualification="synthetic"),),
                                rounds=5, iterations=1, warmup_rounds=0)
    assert result.status == "optimal"  # proven
    benchmark.extra_info["glh"] = result.objective


def test_plan_synthetic_2000_scipy_milp(benchmark, synthetic):
    model = build(synthetic)
    result = benchmark.pedantic(solve_min_glh, args=(model,), rounds=5, iterations=1)
    assert result.status == 0
    benchmark.extra_info["glh"] = round(result.fun)


# -- check and transfer ---------------------------------------------------------------------------------
def test_check_seed(benchmark):
    qual = builtin().get("600/1684/X")
    units = plan(qual).units
    assert benchmark(check, qual, units).valid


def test_transfer_seed(benchmark):
    ncfe, ocn = builtin().get("601/3972/9"), builtin().get("601/4404/X")
    achieved = [u.ref for u in ncfe.units][:9]
    result = benchmark(transfer, ocn, achieved)
    assert result.status.value == "optimal"


# -- batch throughput ------------------------------------------------------------------------------------
def test_suggest_seed_award_into_certificate(benchmark):
    # every unit of the Ascentis Award against the NCFE Certificate: 17 x 18 scores and 8 transfer solves
    from solver import suggest

    award, ncfe = builtin().get("600/1686/3"), builtin().get("601/3972/9")
    result = benchmark(suggest, ncfe, [u.ref for u in award.units], source=award)
    assert len(result.maybes) == 6 and result.glh_to_deliver_all_maybes == 98


def _batch_throughput(benchmark, tmp_path, entries: list[dict], workers: int) -> None:
    """`run_batch` over `entries`, 3 rounds, each into a new results file; scenarios per second."""
    source = tmp_path / "scenarios.jsonl"
    source.write_text("".join(json.dumps(e) + "\n" for e in entries))
    outputs = iter(range(100))

    def setup():
        return (source, tmp_path / f"out-{next(outputs)}.jsonl"), {"workers": workers}

    summary = benchmark.pedantic(run_batch, setup=setup, rounds=3, iterations=1)
    assert summary.written == len(entries)
    benchmark.extra_info["scenarios"] = len(entries)
    benchmark.extra_info["scenarios_per_second"] = round(summary.rate)


@pytest.mark.parametrize("workers", [1, 2])
def test_batch_throughput_seed_scenarios(benchmark, tmp_path, workers):
    entries = list(expand(list(builtin()), ["minimise glh", "maximise glh"], True,
                          list(range(-20, 21, 2)), cross=True, each_unit=True))
    _batch_throughput(benchmark, tmp_path, entries, workers)


# -- cohorts: roc against the same problem in HiGHS, in the same run -------------------------------------
COHORT_LIMIT = 120.0  # seconds for each solver on each cohort; a run that stops says what it proved


@pytest.mark.parametrize("learners", [60, 500, 2000])
def test_cohort_roc(benchmark, learners):
    """bench/cohorts.py's cohort (five seeds, a third with prior learning) in classes of 16."""
    from solver import SolveOptions, plan_cohort

    from .cohorts import cohort

    group = cohort(learners, 16)
    result = benchmark.pedantic(plan_cohort, args=(group, builtin().resolve),
                                kwargs={"options": SolveOptions(time_limit=COHORT_LIMIT)}, rounds=1, iterations=1)
    assert result.status.found and not result.unserved
    benchmark.extra_info.update(status=result.status.value, hours_taught=result.hours_taught,
                                hours_bound=result.hours_bound, baseline_hours=result.baseline_hours,
                                formulation=result.formulation)


@pytest.mark.parametrize("learners", [60, 500, 2000])
def test_cohort_highs(benchmark, learners):
    pytest.importorskip("highspy")
    from .cohort_highs import solve
    from .cohorts import cohort

    group = cohort(learners, 16)
    quals = {number: builtin().get(number) for number in {learner.qualification for learner in group.learners}}
    answer = benchmark.pedantic(solve, args=(group, quals, COHORT_LIMIT), rounds=1, iterations=1)
    benchmark.extra_info.update(proven=answer.proven, hours_taught=answer.hours, hours_bound=answer.bound,
                                columns=answer.columns)


# -- what-if scenarios that change rules (CP-SAT on the template) against HiGHS in a loop --------------
@pytest.mark.parametrize("workers", [1, 2])
def test_whatif_rule_scenarios(benchmark, tmp_path, workers):
    from .whatif_rules import rule_scenarios

    _batch_throughput(benchmark, tmp_path, rule_scenarios(repeat=8), workers)


def test_whatif_rule_scenarios_highs_loop(benchmark):
    from .whatif_rules import highs_loop, prepared, rule_scenarios

    changed = prepared(rule_scenarios())
    seconds, solved = benchmark.pedantic(highs_loop, args=(changed,), rounds=3, iterations=1)
    assert solved == len(changed)
    benchmark.extra_info["scenarios"] = len(changed)
    benchmark.extra_info["scenarios_per_second"] = round(len(changed) / seconds)


# -- count and all-optimal: the layered enumeration, and CP-SAT's (before it) ---------------------------
def _cp_sat_enumeration(monkeypatch):
    import solver.engine.enumeration as enumeration

    monkeypatch.setattr(enumeration, "layered", lambda *a, **k: None)


@pytest.mark.parametrize("path", ["layered", "cp_sat"])
@pytest.mark.parametrize("number", SEEDS[:4])
def test_count_seed(benchmark, monkeypatch, number, path):
    from solver import count

    if path == "cp_sat":
        _cp_sat_enumeration(monkeypatch)
    result = benchmark.pedantic(count, args=(builtin().get(number),), rounds=5, iterations=1)
    assert result.exact
    benchmark.extra_info["valid_sets"] = result.count


@pytest.mark.parametrize("path", ["layered", "cp_sat"])
@pytest.mark.parametrize("number", SEEDS[:4])
def test_all_optimal_seed(benchmark, monkeypatch, number, path):
    from solver import all_optimal

    if path == "cp_sat":
        _cp_sat_enumeration(monkeypatch)
    result = benchmark.pedantic(all_optimal, args=(builtin().get(number), "maximise glh"), rounds=5, iterations=1)
    assert result.complete and result.plans
    benchmark.extra_info["optimal_sets"] = len(result.plans)
