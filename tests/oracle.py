"""A brute-force oracle: every subset of units, each rule evaluated directly from the model.

Written independently of solver/ so that the two can be compared. Only for small qualifications.
"""

from __future__ import annotations

from itertools import combinations

from models import Bounds, Qualification, Unit


def within(bounds: Bounds | None, value: int) -> bool:
    if bounds is None:
        return True
    return (bounds.min is None or value >= bounds.min) and (bounds.max is None or value <= bounds.max)


def violated_rules(qual: Qualification, chosen: set[str], include=(), exclude=()) -> set[str]:
    """Keys of the rules (and include/exclude choices) a set of units (by reference digits) breaks."""
    units = [u for u in qual.units if u.ref.digits in chosen]
    broken = set()
    for ref in include:
        unit = qual.unit(ref)
        if unit.ref.digits not in chosen:
            broken.add(f"include {unit.ref}")
    for ref in exclude:
        unit = qual.unit(ref)
        if unit.ref.digits in chosen:
            broken.add(f"exclude {unit.ref}")
    if not within(qual.credits, sum(u.credits for u in units)):
        broken.add("credits")
    for group in qual.groups:
        members = [u for u in units if u.ref in group.units]
        if group.mandatory:
            for ref in group.units:
                if ref.digits not in chosen:
                    broken.add(f"group {group.id} mandatory {qual.unit(ref).ref}")
        if not within(group.credits, sum(u.credits for u in members)):
            broken.add(f"group {group.id} credits")
        if not within(group.count, len(members)):
            broken.add(f"group {group.id} count")
    for i, quota in enumerate(qual.level_quotas):
        pool = units if quota.groups is None else [
            u for u in units if any(u.ref in qual.group_by_id[g].units for g in quota.groups)]
        counted = sum(u.credits for u in pool if quota.levels.contains(u.level))
        if not within(quota.credits, counted):
            broken.add(f"level quota {quota.id or i + 1}")
    for pair in qual.barred:
        a, b = pair.units
        if a != b and a.digits in chosen and b.digits in chosen:
            broken.add(f"barred {qual.unit(a).ref} {qual.unit(b).ref}")
    return broken


def measure(unit: Unit, name: str) -> int:
    return {"glh": unit.glh, "tqt": unit.tqt, "credits": unit.credits}[name]


def all_subsets(qual: Qualification, required: frozenset[str] = frozenset()):
    """Every subset of the units (by digits) that contains `required`."""
    digits = sorted(u.ref.digits for u in qual.units if u.ref.digits not in required)
    for size in range(len(digits) + 1):
        for combo in combinations(digits, size):
            yield set(combo) | required


def mandatory(qual: Qualification) -> frozenset[str]:
    return frozenset(ref.digits for g in qual.groups if g.mandatory for ref in g.units)


def valid_sets(qual: Qualification, include=(), exclude=()) -> list[set[str]]:
    inc = {qual.unit(r).ref.digits for r in include}
    exc = {qual.unit(r).ref.digits for r in exclude}
    return [s for s in all_subsets(qual)
            if inc <= s and not (exc & s) and not violated_rules(qual, s)]


def ranked(qual: Qualification, sense: str, name: str, include=(), exclude=()) -> list[list[str]]:
    """Every valid set in roc's order: objective, then fewer units, then reference order."""
    sign = 1 if sense == "minimise" else -1
    by_digits = qual.unit_by_digits
    candidates = sorted(valid_sets(qual, include, exclude),
                        key=lambda s: (sign * sum(measure(by_digits[d], name) for d in s), len(s), sorted(s)))
    return [sorted(str(by_digits[d].ref) for d in s) for s in candidates]


def best(qual: Qualification, sense: str, name: str, include=(), exclude=()) -> list[str] | None:
    """The optimal set under roc's tie-break: objective, then fewer units, then reference order."""
    order = ranked(qual, sense, name, include, exclude)
    return order[0] if order else None


def satisfiable(qual: Qualification, keys: set[str], include=(), exclude=()) -> bool:
    """Can the rules named by `keys` (a subset of all rules and choices) all hold at once?"""
    return any(not (violated_rules(qual, s, include, exclude) & keys) for s in all_subsets(qual))
