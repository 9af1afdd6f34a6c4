"""Compile a qualification (plus include/exclude choices) into one CP-SAT model.

One Boolean `x[unit]` per unit; each rule kind is posted by one function below, in the order the
specifications write them. With `track=True` every rule and choice is posted under its own
enforcement literal, so that an infeasible request can be explained by assumptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import BarredPair, Bounds, Group, LevelQuota, Qualification, Unit, UnitRef, UnknownUnit


@dataclass(frozen=True)
class Rule:
    """One rule or choice as posted: a stable key, plain words, and its literal when tracked."""

    key: str
    text: str
    literal: cp_model.IntVar | None = None


@dataclass
class CompiledModel:
    qualification: Qualification
    model: cp_model.CpModel
    units: list[Unit]  # in reference order: the order ties are broken in
    x: list[cp_model.IntVar]
    index: dict[str, int]  # reference digits -> position in `units`
    rules: list[Rule] = field(default_factory=list)

    assumptions: list[cp_model.IntVar] = field(default_factory=list)  # always assumed
    measures: dict[tuple, cp_model.IntVar] = field(default_factory=dict)

    def var(self, ref: UnitRef) -> cp_model.IntVar:
        return self.x[self.index[ref.digits]]

    def measure_var(self, name: str, coefs: Sequence[int],
                    over: Sequence[cp_model.IntVar]) -> cp_model.IntVar:
        """An integer variable equal to sum(coefs * over), created once per name and sense of
        coefficients (a definition, not a rule)."""
        key = (name, tuple(coefs))
        if key not in self.measures:
            low = sum(c for c in coefs if c < 0)
            high = sum(c for c in coefs if c > 0)
            var = self.model.NewIntVar(low, high, name)
            self.model.Add(var == sum(c * v for c, v in zip(coefs, over) if c))
            self.measures[key] = var
        return self.measures[key]

    def chosen(self, solver: cp_model.CpSolver) -> list[Unit]:
        return [u for u, var in zip(self.units, self.x) if solver.BooleanValue(var)]


def resolve_refs(qual: Qualification, refs: Iterable[UnitRef | str], what: str) -> list[UnitRef]:
    """Match references given by a user to the qualification's units (by digits)."""
    found = []
    for ref in refs:
        try:
            parsed = ref if isinstance(ref, UnitRef) else UnitRef.parse(ref)
        except ValueError as exc:
            raise UnknownUnit(f"{what}: {exc}") from None
        unit = qual.unit(parsed)
        if unit is None:
            raise UnknownUnit(f"{what}: unit {parsed} is not part of {qual.number}")
        found.append(unit.ref)
    return found


def compile_qualification(
    qual: Qualification,
    include: Sequence[UnitRef | str] = (),
    exclude: Sequence[UnitRef | str] = (),
    *,
    track: bool = False,
) -> CompiledModel:
    units = sorted(qual.units, key=lambda u: u.ref.digits)
    model = cp_model.CpModel()
    x = [model.NewBoolVar(f"x[{u.ref}]") for u in units]
    compiled = CompiledModel(qual, model, units, x, {u.ref.digits: i for i, u in enumerate(units)})

    def literal(key: str, text: str) -> cp_model.IntVar | None:
        lit = model.NewBoolVar(key) if track else None
        compiled.rules.append(Rule(key, text, lit))
        return lit

    post_credit_total(compiled, qual.credits, literal)
    for group in qual.groups:
        post_group(compiled, group, literal)
    for i, quota in enumerate(qual.level_quotas):
        post_level_quota(compiled, quota, i, literal)
    for pair in qual.barred:
        post_barred_pair(compiled, pair, literal)
    for ref in resolve_refs(qual, include, "--include"):
        _enforce(model.Add(compiled.var(ref) == 1), literal(f"include {ref}", f"include {ref}"))
    for ref in resolve_refs(qual, exclude, "--exclude"):
        _enforce(model.Add(compiled.var(ref) == 0), literal(f"exclude {ref}", f"exclude {ref}"))
    return compiled


def _enforce(constraint: cp_model.Constraint, lit: cp_model.IntVar | None) -> None:
    if lit is not None:
        constraint.OnlyEnforceIf(lit)


def _post_bounds(compiled: CompiledModel, expr, bounds: Bounds, lit) -> None:
    if bounds.min is not None:
        _enforce(compiled.model.Add(expr >= bounds.min), lit)
    if bounds.max is not None:
        _enforce(compiled.model.Add(expr <= bounds.max), lit)


def _credits(compiled: CompiledModel, units: Iterable[Unit]):
    return sum(u.credits * compiled.var(u.ref) for u in units)


def post_credit_total(compiled: CompiledModel, bounds: Bounds, literal) -> None:
    # "Minimum credits: 13" / "learners must complete 23 credits in total"
    if bounds.is_open:
        return
    lit = literal("credits", f"total credits: {bounds.describe('credits')}")
    _post_bounds(compiled, _credits(compiled, compiled.units), bounds, lit)


def post_group(compiled: CompiledModel, group: Group, literal) -> None:
    qual = compiled.qualification
    members = [qual.unit(ref) for ref in group.units]
    if group.mandatory:
        # "learners must take the following mandatory units"
        for unit in members:
            assert unit is not None
            lit = literal(f"group {group.id} mandatory {unit.ref}",
                          f"group {group.id}: mandatory unit {unit.ref}")
            _enforce(compiled.model.Add(compiled.var(unit.ref) == 1), lit)
    if group.credits is not None and not group.credits.is_open:
        # "a minimum of 6 credits must be taken from Optional Group B"
        lit = literal(f"group {group.id} credits",
                      f"group {group.id}: {group.credits.describe('credits')}")
        _post_bounds(compiled, _credits(compiled, members), group.credits, lit)
    if group.count is not None and not group.count.is_open:
        lit = literal(f"group {group.id} count", f"group {group.id}: {group.count.describe('units')}")
        _post_bounds(compiled, sum(compiled.var(u.ref) for u in members), group.count, lit)


def quota_units(qual: Qualification, quota: LevelQuota) -> list[Unit]:
    """The units whose credits a level quota counts: at the right level, in the named groups."""
    if quota.groups is None:
        pool = qual.units
    else:
        digits = {ref.digits for name in quota.groups for ref in qual.group_by_id[name].units}
        pool = [u for u in qual.units if u.ref.digits in digits]
    return [u for u in pool if quota.levels.contains(u.level)]


def quota_key(quota: LevelQuota, position: int) -> str:
    return f"level quota {quota.id or position + 1}"


def quota_text(quota: LevelQuota, position: int) -> str:
    scope = f" from group {', '.join(quota.groups)}" if quota.groups else ""
    return (f"{quota_key(quota, position)}: {quota.credits.describe('credits')}{scope} "
            f"{quota.levels.describe()}")


def post_level_quota(compiled: CompiledModel, quota: LevelQuota, position: int, literal) -> None:
    # "2 credits required which must be at Level 1"
    lit = literal(quota_key(quota, position), quota_text(quota, position))
    counted = quota_units(compiled.qualification, quota)
    _post_bounds(compiled, _credits(compiled, counted), quota.credits, lit)


def post_barred_pair(compiled: CompiledModel, pair: BarredPair, literal) -> None:
    # "May not be taken with". A pair naming a unit outside the qualification cannot bind
    # (`roc lint` reports it).
    a, b = pair.units
    if a.digits not in compiled.index or b.digits not in compiled.index or a == b:
        return
    a, b = compiled.units[compiled.index[a.digits]].ref, compiled.units[compiled.index[b.digits]].ref
    lit = literal(f"barred {a} {b}", f"barred: {a} may not be taken with {b}")
    _enforce(compiled.model.AddBoolOr([compiled.var(a).Not(), compiled.var(b).Not()]), lit)
