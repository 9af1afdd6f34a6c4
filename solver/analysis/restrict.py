"""Restrictions in a planner's terms: no unit above a level, none at some levels, none from a
group, none whose title mentions a word. They become excluded units; the plan then says what they
cost against the unrestricted optimum and how many valid sets remain."""

from __future__ import annotations

from collections.abc import Sequence

from models import Objective, Qualification, Sense, Target, UnitRef

from ..engine import SolveOptions
from .alternatives import COUNT_LIMIT, count
from .plan import plan
from .results import Plan, RestrictionCost
from .ruled_out import restricted_units

__all__ = ["plan_restricted", "restricted_units"]


def plan_restricted(qual: Qualification, objective: Objective | str, include: Sequence[str] = (),
                    exclude: Sequence[str] = (), words: Sequence[str] = (), ruled_out: Sequence[UnitRef] = (),
                    options: SolveOptions = SolveOptions(), targets: Sequence[Target] = ()) -> Plan:
    """The plan under every restriction, with what they cost against the unrestricted optimum."""
    objective = Objective.parse(objective)
    excluded = list(exclude) + [str(ref) for ref in ruled_out]
    result = plan(qual, objective, include, excluded, options, targets=targets)
    if not (include or exclude or words):
        return result
    free = plan(qual, objective, options=options, explain=False)
    counted = count(qual, include, excluded, options=options, limit=COUNT_LIMIT)
    cost = None
    if result.objective is not None and free.objective is not None:
        cost = (result.objective - free.objective if objective.sense is Sense.minimise
                else free.objective - result.objective)
    words = list(words) + [f"must include {ref}" for ref in include] + [f"must not include {ref}" for ref in exclude]
    return result.model_copy(update={"restriction": RestrictionCost(
        restrictions=words, ruled_out=[str(ref) for ref in ruled_out], measure=objective.measure.value,
        unrestricted_objective=free.objective, cost=cost, valid_sets_left=counted.count,
        valid_sets_left_exact=counted.exact)})
