"""The baseline: the same qualification as a MILP for scipy.optimize.milp (HiGHS).

Built straight from the qualification (not from roc's compiler), so it also cross-checks roc's
objective values: one binary per unit, one row per bounded rule, x_a + x_b <= 1 per barred pair,
mandatory units fixed by their bounds. Objective only: no tie-breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import Bounds as VarBounds
from scipy.optimize import LinearConstraint, milp
from scipy.sparse import csr_array

from models import Qualification


@dataclass
class MilpModel:
    refs: list[str]
    glh: np.ndarray
    constraint: LinearConstraint
    bounds: VarBounds


def build(qual: Qualification) -> MilpModel:
    units = sorted(qual.units, key=lambda u: u.ref.digits)
    index = {u.ref.digits: i for i, u in enumerate(units)}
    rows, cols, vals, low, high = [], [], [], [], []

    def add(terms: list[tuple[int, float]], lo, hi) -> None:
        row = len(low)
        for col, val in terms:
            rows.append(row), cols.append(col), vals.append(val)
        low.append(-np.inf if lo is None else lo)
        high.append(np.inf if hi is None else hi)

    if not qual.credits.is_open:
        add([(i, u.credits) for i, u in enumerate(units)], qual.credits.min, qual.credits.max)
    lb = np.zeros(len(units))
    for group in qual.groups:
        members = [index[r.digits] for r in group.units]
        if group.mandatory:
            lb[members] = 1
        if group.credits and not group.credits.is_open:
            add([(i, units[i].credits) for i in members], group.credits.min, group.credits.max)
        if group.count and not group.count.is_open:
            add([(i, 1) for i in members], group.count.min, group.count.max)
    for quota in qual.level_quotas:
        scope = ({index[r.digits] for g in quota.groups for r in qual.group_by_id[g].units}
                 if quota.groups else set(range(len(units))))
        add([(i, units[i].credits) for i in sorted(scope) if quota.levels.contains(units[i].level)],
            quota.credits.min, quota.credits.max)
    for pair in qual.barred:
        a, b = (index.get(r.digits) for r in pair.units)
        if a is not None and b is not None and a != b:
            add([(a, 1), (b, 1)], None, 1)
    matrix = csr_array((vals, (rows, cols)), shape=(len(low), len(units)))
    return MilpModel([str(u.ref) for u in units], np.array([u.glh for u in units], dtype=float),
                     LinearConstraint(matrix, np.array(low), np.array(high)),
                     VarBounds(lb, np.ones(len(units))))


def solve_min_glh(model: MilpModel, time_limit: float | None = None):
    options = {"mip_rel_gap": 0.0}  # proven optimal, as roc's answers are (HiGHS's default stops at 1e-4)
    if time_limit:
        options["time_limit"] = time_limit
    return milp(model.glh, constraints=model.constraint, integrality=np.ones(len(model.refs)),
                bounds=model.bounds, options=options)


def highs_of(model: MilpModel):
    """The model in highspy (GLH as the cost, every unit integer), silent, asked for a proven
    optimum (relative gap 0: HiGHS's default of 1e-4 stops short)."""
    import highspy

    matrix = model.constraint.A.tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = len(model.refs), matrix.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = model.glh, model.bounds.lb, model.bounds.ub
    lp.row_lower_ = np.where(np.isinf(model.constraint.lb), -highspy.kHighsInf, model.constraint.lb)
    lp.row_upper_ = np.where(np.isinf(model.constraint.ub), highspy.kHighsInf, model.constraint.ub)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(model.refs)
    highs = highspy.Highs()
    highs.silent()
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.passModel(lp)
    return highs


def solve_min_glh_highs(model: MilpModel, feasibility_jump: bool = False) -> tuple[int | None, bool]:
    """The same model in highspy with HiGHS at its best on these small models: its feasibility-jump
    heuristic off (it costs 3-20 ms on an 18-column model and finds nothing the search does not),
    a proven optimum. Returns the optimum and whether it was proven."""
    import highspy

    highs = highs_of(model)
    highs.setOptionValue("mip_heuristic_run_feasibility_jump", feasibility_jump)
    highs.run()
    proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return (round(highs.getInfo().objective_function_value) if proven else None), proven
