"""The command line's quick path (a plan read off the list of valid sets, without OR-Tools) gives
the answer the solver gives, and the solver's own brute-force oracle agrees with both."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import strategies as st

from catalog import builtin
from models import Objective, Status, Target
from solver.analysis.quick import quick_plan_restricted
from solver.analysis.restrict import plan_restricted
from solver.service import PlanQuestion, SolveOptions, answer_plan

from .. import oracle
from ..strategies import full_and_sample, qualifications

GOALS = ["minimise glh", "maximise glh", "minimise tqt", "maximise credits"]


def _same(qual, data) -> None:
    refs = [str(u.ref) for u in qual.units]
    include = data.draw(st.lists(st.sampled_from(refs), max_size=1, unique=True))
    exclude = data.draw(st.lists(st.sampled_from(refs), max_size=2, unique=True))
    targets = data.draw(st.lists(st.builds(lambda m, lo: Target(measure=m, min=lo), st.sampled_from(["glh", "credits"]),
                                           st.integers(0, 40)), max_size=1))
    goal = data.draw(st.sampled_from(GOALS))
    quick = quick_plan_restricted(qual, goal, include, exclude, targets=targets)
    solved = plan_restricted(qual, goal, include, exclude, targets=targets)
    assert quick is not None  # every qualification the strategy draws is small enough to list
    skip = {"solve_seconds", "stages"}
    assert quick.model_dump(exclude=skip) == solved.model_dump(exclude=skip)
    if solved.status is Status.infeasible:
        assert quick.conflict  # the rules that cannot all hold, named
        return
    sense, name = goal.split()
    meets = [chosen for chosen in oracle.ranked(qual, sense, name, include, exclude)
             if all(t.min is None or sum(t.measure.of(qual.unit(r)) for r in chosen) >= t.min for t in targets)]
    assert sorted(quick.units) == meets[0]


def _quick_matches_solver(qual, data) -> None:
    _same(qual, data)


test_quick_path_matches_the_solver, test_quick_path_matches_the_solver_sample = full_and_sample(
    _quick_matches_solver, (qualifications(), st.data()), 600, 50)


def test_quick_path_on_every_seed_with_restrictions():
    for qual in builtin():
        first = sorted(qual.units, key=lambda u: u.ref.digits)[0]
        for question in (PlanQuestion(), PlanQuestion(objective="maximise glh"),
                         PlanQuestion(exclude=[str(first.ref)]), PlanQuestion(max_level="L1"),
                         PlanQuestion(glh_at_least=150)):
            quick = answer_plan(qual, question, SolveOptions(from_table=True))
            solved = answer_plan(qual, question)
            assert quick.model_dump(exclude={"solve_seconds", "stages"}) == \
                solved.model_dump(exclude={"solve_seconds", "stages"}), (qual.number, question)


def test_roc_plan_on_a_seed_does_not_load_or_tools():
    probe = ("import sys; from solver.cli import main; sys.argv = ['roc', 'plan', '601/3972/9', '--json']\n"
             "try:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('ortools' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "False"
    assert '"glh": 143' in done.stdout and '"status": "optimal"' in done.stdout


def test_the_quick_path_steps_aside_for_large_qualifications():
    from bench.synthetic import synthetic_qualification

    assert quick_plan_restricted(synthetic_qualification(units=60, groups=10, quotas=2, barred=20),
                                 Objective()) is None
