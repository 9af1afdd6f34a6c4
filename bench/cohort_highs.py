"""The cohort problem as a HiGHS MILP, built apart from roc: the peer roc's cohort planner is
measured against in the same run.

For each kind of learner (the same qualification, the same achieved units), the valid sets are
found here by testing every subset of the qualification's units against `bench/milp.py`'s rows
(written from the rules, not from roc's compiler); an achieved unit of a set is credited, not
taught (the benchmark cohorts declare no equivalences); of the taught sets, only the
inclusion-minimal ones are kept (more units never make fewer classes). Then one integer per kind
and taught set (how many learners take it) and one per unit (its classes): minimise the hours
taught, sum of GLH x classes, with classes x size >= learners taught. HiGHS proves the optimum
(mip_rel_gap 0); roc's answer adds two tie-break stages on top of the same optimum.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from models import Qualification
from models.cohort import Cohort

from .milp import build


def _valid_subsets(qual: Qualification) -> tuple[list[str], np.ndarray]:
    """Every valid set, as rows of a 0/1 matrix over the units in reference order."""
    model = build(qual)
    n = len(model.refs)
    every = ((np.arange(1 << n, dtype=np.int64)[:, None] >> np.arange(n)) & 1).astype(np.int8)
    activity = model.constraint.A @ every.T.astype(float)
    ok = np.all(activity.T >= model.constraint.lb - 1e-9, axis=1) & np.all(activity.T <= model.constraint.ub + 1e-9,
                                                                           axis=1)
    ok &= np.all(every >= model.bounds.lb, axis=1)
    return [ref.split("/", 1)[1].replace("/", "") for ref in model.refs], every[ok]


@dataclass
class HighsAnswer:
    hours: float | None
    bound: float | None
    proven: bool
    seconds: float
    columns: int


def solve(cohort: Cohort, quals: dict[str, Qualification], time_limit: float = 600.0) -> HighsAnswer:
    import highspy

    started = time.perf_counter()
    listed = {number: _valid_subsets(qual) for number, qual in quals.items()}
    kinds: dict[tuple[str, frozenset[str]], int] = {}
    for learner in cohort.learners:  # achieved units outside the qualification change nothing
        inside = set(listed[learner.qualification][0])
        key = (learner.qualification, frozenset(ref.digits for ref in learner.achieved) & inside)
        kinds[key] = kinds.get(key, 0) + 1
    glh: dict[str, float] = {}
    for qual in quals.values():
        for unit in qual.units:
            glh[unit.ref.digits] = max(glh.get(unit.ref.digits, 0), unit.glh)
    columns: list[tuple[int, tuple[str, ...]]] = []  # (kind, units taught)
    counts = list(kinds.values())
    for k, (number, held) in enumerate(kinds):
        digits, sets = listed[number]
        taught = {tuple(d for d, bit in zip(digits, row) if bit and d not in held) for row in sets}
        minimal = [t for t in taught if not any(set(o) < set(t) for o in taught)]
        columns += [(k, t) for t in sorted(minimal)]
    units = sorted({d for _, t in columns for d in t})
    position = {d: i for i, d in enumerate(units)}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", float(time_limit))
    size = cohort.class_size or sum(counts)
    for k, _ in columns:
        h.addVar(0, counts[k])
    for d in units:
        h.addVar(0, highspy.kHighsInf)
    total = len(columns) + len(units)
    h.changeColsIntegrality(total, np.arange(total, dtype=np.int32),
                            np.array([highspy.HighsVarType.kInteger] * total))
    h.changeColsCost(total, np.arange(total, dtype=np.int32),
                     np.array([0.0] * len(columns) + [float(glh[d]) for d in units]))
    for k, count in enumerate(counts):
        mine = np.array([j for j, (kind, _) in enumerate(columns) if kind == k], dtype=np.int32)
        h.addRow(count, count, len(mine), mine, np.ones(len(mine)))
    rows: dict[str, list[int]] = {d: [] for d in units}
    for j, (_, taught) in enumerate(columns):
        for d in taught:
            rows[d].append(j)
    for d in units:
        index = np.array(rows[d] + [len(columns) + position[d]], dtype=np.int32)
        h.addRow(0, highspy.kHighsInf, len(index), index, np.array([-1.0] * len(rows[d]) + [float(size)]))
    h.run()
    proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    info = h.getInfo()
    found = info.objective_function_value if info.primal_solution_status else None
    return HighsAnswer(found, info.mip_dual_bound, proven, time.perf_counter() - started, len(columns))
