"""Restrictions in a planner's terms: no unit above a level, none at some levels, none from a
group, none whose title mentions a word. They become excluded units; the plan then says what they
cost against the unrestricted optimum and how many valid sets remain."""

from __future__ import annotations

from collections.abc import Sequence

from models import InputError, Level, Objective, Qualification, Sense, Target, UnitRef, did_you_mean

from ..engine import SolveOptions
from .alternatives import COUNT_LIMIT, count
from .plan import plan
from .results import Plan, RestrictionCost


def _levels(texts: Sequence[str], option: str) -> list[Level]:
    try:
        return [Level.parse(text) for text in texts]
    except ValueError as exc:
        raise InputError(str(exc), field=option) from None


def restricted_units(qual: Qualification, exclude_levels: Sequence[str] = (), max_level: str | None = None,
                     exclude_groups: Sequence[str] = (), exclude_titles: Sequence[str] = ()
                     ) -> tuple[list[str], list[UnitRef]]:
    """The restrictions in words, and the units they rule out."""
    levels, top = _levels(exclude_levels, "exclude_level"), _levels([max_level], "max_level") if max_level else []
    for text in exclude_titles:
        if not text.strip():
            raise InputError("an empty title word is in every title: it would rule out every unit; give a word",
                             field="exclude_title")
    for name in exclude_groups:
        if name not in qual.group_by_id:
            raise InputError(f"no group {name!r} in {qual.number}{did_you_mean(name, qual.group_by_id)} (groups: "
                             f"{', '.join(qual.group_by_id)})", field="exclude_group")
    words = ([f"no unit above {top[0].label}"] if top else []) + [f"no unit at {lv.label}" for lv in levels]
    words += [f"nothing from group {g}" for g in exclude_groups] + [f"no title containing {t!r}" for t in exclude_titles]
    ruled_out = []
    for unit in qual.units:
        if ((top and unit.level > top[0]) or unit.level in levels
                or any(unit.ref in qual.group_by_id[g].units for g in exclude_groups)
                or any(t.lower() in unit.title.lower() for t in exclude_titles)):
            ruled_out.append(unit.ref)
    return words, ruled_out


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
