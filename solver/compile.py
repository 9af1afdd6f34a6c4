"""Compile a qualification (plus include/exclude choices) into one CP-SAT model.

One Boolean `x[unit]` per unit; each rule kind is posted by one function below, in the order the
specifications write them. Credit and count rules are linear constraints written straight into
the model's proto with one term per unit in scope (zero coefficients kept) and a handle, so a
scenario can change a unit's credits or level, or a rule's bounds, by editing numbers in place
instead of compiling again (see `scenario.py`). With `track=True` every rule and choice is posted
under its own enforcement literal, so that an infeasible request can be explained.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models import BarredPair, Bounds, Group, LevelQuota, Qualification, Unit, UnitRef, UnknownUnit

# Bounds of a rule with no bound of its own: kept in the model so a scenario can set one.
OPEN = 1 << 40


@dataclass(frozen=True)
class Rule:
    """One rule or choice as posted: a stable key, plain words, and its literal when tracked."""

    key: str
    text: str
    literal: cp_model.IntVar | None = None


@dataclass(frozen=True)
class LinearRule:
    """Where a credit or count rule sits in the proto: its constraint, the units its terms are
    over (positions in `CompiledModel.units`), and how a unit's coefficient is worked out."""

    key: str
    constraint: int
    positions: tuple[int, ...]
    coefficient: Callable[[Unit], int]


@dataclass
class CompiledModel:
    qualification: Qualification
    model: cp_model.CpModel
    units: list[Unit]  # in reference order: the order ties are broken in
    x: list[cp_model.IntVar]
    index: dict[str, int]  # reference digits -> position in `units`
    rules: list[Rule] = field(default_factory=list)
    linear: dict[str, LinearRule] = field(default_factory=dict)
    assumptions: list[cp_model.IntVar] = field(default_factory=list)  # always assumed
    solvers: dict = field(default_factory=dict)  # reused CpSolver objects, by options

    @property
    def x_indices(self) -> list[int]:
        """Proto indices of the unit variables (cached: read on every solve)."""
        cached = self.__dict__.get("_x_indices")
        if cached is None or len(cached) != len(self.x):
            cached = self.__dict__["_x_indices"] = [var.Index() for var in self.x]
        return cached
    measures: dict[str, tuple[cp_model.IntVar, int]] = field(default_factory=dict)

    def var(self, ref: UnitRef) -> cp_model.IntVar:
        return self.x[self.index[ref.digits]]

    def measure_var(self, name: str, coefs: Sequence[int],
                    over: Sequence[cp_model.IntVar]) -> cp_model.IntVar:
        """An integer variable equal to sum(coefs * over): a definition, not a rule. Created once
        per name; later calls with other coefficients edit it in place, so the model never grows."""
        low = sum(c for c in coefs if c < 0)
        high = sum(c for c in coefs if c > 0)
        proto = self.model.Proto()
        if name not in self.measures:
            var = self.model.NewIntVar(low, high, name)
            constraint = proto.constraints.add()
            constraint.linear.vars.extend([v.Index() for v in over] + [var.Index()])
            constraint.linear.coeffs.extend(list(coefs) + [-1])
            constraint.linear.domain.extend([0, 0])
            self.measures[name] = (var, len(proto.constraints) - 1)
            return var
        var, index = self.measures[name]
        coeffs = proto.constraints[index].linear.coeffs
        for k, c in enumerate(coefs):
            if coeffs[k] != c:
                coeffs[k] = c
        domain = proto.variables[var.Index()].domain
        domain[0], domain[1] = low, high
        return var


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


# Rule keys: the names `roc check`, conflicts and scenarios use for a rule. Written here only.
def mandatory_key(group_id: str, ref: UnitRef) -> str:
    return f"group {group_id} mandatory {ref}"


def group_key(group_id: str, kind: str) -> str:
    """kind: "credits" or "count"."""
    return f"group {group_id} {kind}"


def barred_key(a: UnitRef, b: UnitRef) -> str:
    return f"barred {a} {b}"


def domain_of(bounds: Bounds | None) -> tuple[int, int]:
    if bounds is None:
        return -OPEN, OPEN
    return (bounds.min if bounds.min is not None else -OPEN,
            bounds.max if bounds.max is not None else OPEN)


def _post_linear(compiled: CompiledModel, key: str, text: str, units: Sequence[Unit],
                 coefficient: Callable[[Unit], int], bounds: Bounds | None, literal) -> None:
    """sum(coefficient(u) * x[u] for u in units) within bounds: one editable proto constraint.
    A rule with no bound is posted open (no literal: it can never be part of a conflict)."""
    is_open = bounds is None or bounds.is_open
    lit = None if is_open else literal(key, text)
    proto = compiled.model.Proto()
    positions = tuple(compiled.index[u.ref.digits] for u in units)
    constraint = proto.constraints.add()
    constraint.linear.vars.extend([compiled.x[p].Index() for p in positions])
    constraint.linear.coeffs.extend([coefficient(compiled.units[p]) for p in positions])
    constraint.linear.domain.extend(domain_of(bounds))
    if lit is not None:
        constraint.enforcement_literal.append(lit.Index())
    compiled.linear[key] = LinearRule(key, len(proto.constraints) - 1, positions, coefficient)


def _credits(unit: Unit) -> int:
    return unit.credits


def _one(unit: Unit) -> int:
    return 1


def post_credit_total(compiled: CompiledModel, bounds: Bounds, literal) -> None:
    # "Minimum credits: 13" / "learners must complete 23 credits in total"
    _post_linear(compiled, "credits", f"total credits: {bounds.describe('credits')}", compiled.units,
                 _credits, bounds, literal)


def post_group(compiled: CompiledModel, group: Group, literal) -> None:
    qual = compiled.qualification
    members = [qual.unit(ref) for ref in group.units]
    if group.mandatory:
        # "learners must take the following mandatory units"
        for unit in members:
            assert unit is not None
            lit = literal(mandatory_key(group.id, unit.ref),
                          f"group {group.id}: mandatory unit {unit.ref}")
            _enforce(compiled.model.Add(compiled.var(unit.ref) == 1), lit)
    # "a minimum of 6 credits must be taken from Optional Group B"
    credits = group.credits or Bounds()
    _post_linear(compiled, group_key(group.id, "credits"), f"group {group.id}: {credits.describe('credits')}",
                 members, _credits, group.credits, literal)
    count = group.count or Bounds()
    _post_linear(compiled, group_key(group.id, "count"), f"group {group.id}: {count.describe('units')}",
                 members, _one, group.count, literal)


def quota_scope(qual: Qualification, quota: LevelQuota) -> list[Unit]:
    """The units a level quota looks at: the named groups' units, or every unit."""
    if quota.groups is None:
        return list(qual.units)
    digits = {ref.digits for name in quota.groups for ref in qual.group_by_id[name].units}
    return [u for u in qual.units if u.ref.digits in digits]


def quota_units(qual: Qualification, quota: LevelQuota) -> list[Unit]:
    """The units whose credits a level quota counts: at the right level, in the named groups."""
    return [u for u in quota_scope(qual, quota) if quota.levels.contains(u.level)]


def quota_key(quota: LevelQuota, position: int) -> str:
    return f"level quota {quota.id or position + 1}"


def quota_text(quota: LevelQuota, position: int) -> str:
    scope = f" from group {', '.join(quota.groups)}" if quota.groups else ""
    return (f"{quota_key(quota, position)}: {quota.credits.describe('credits')}{scope} "
            f"{quota.levels.describe()}")


def post_level_quota(compiled: CompiledModel, quota: LevelQuota, position: int, literal) -> None:
    # "2 credits required which must be at Level 1": every unit in scope has a term, with its
    # credits as coefficient when its level counts and 0 when not (a scenario may change levels).
    def counted_credits(unit: Unit) -> int:
        return unit.credits if quota.levels.contains(unit.level) else 0

    _post_linear(compiled, quota_key(quota, position), quota_text(quota, position),
                 quota_scope(compiled.qualification, quota), counted_credits, quota.credits, literal)


def post_barred_pair(compiled: CompiledModel, pair: BarredPair, literal) -> None:
    # "May not be taken with". A pair naming a unit outside the qualification cannot bind
    # (`roc lint` reports it).
    a, b = pair.units
    if a.digits not in compiled.index or b.digits not in compiled.index or a == b:
        return
    a, b = compiled.units[compiled.index[a.digits]].ref, compiled.units[compiled.index[b.digits]].ref
    lit = literal(barred_key(a, b), f"barred: {a} may not be taken with {b}")
    _enforce(compiled.model.AddBoolOr([compiled.var(a).Not(), compiled.var(b).Not()]), lit)
