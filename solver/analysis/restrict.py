"""Restrictions in a planner's terms: no unit above a level, none at some levels, none from a
group, none whose title mentions a word. They become excluded units; the plan then says what they
cost against the unrestricted optimum and how many valid sets remain."""

from __future__ import annotations

from collections.abc import Sequence

from models import Objective, Qualification, Target, UnitRef

from ..engine import SolveOptions
from .alternatives import COUNT_LIMIT, count
from .plan import plan
from .plan_result import with_restriction
from .results import Plan
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
    return with_restriction(result, objective, free.objective, words, include, exclude, ruled_out, counted.count,
                            counted.exact)
