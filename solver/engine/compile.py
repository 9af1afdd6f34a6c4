"""Compile a qualification (plus include/exclude choices) into one CP-SAT model.

One Boolean `x[unit]` per unit, in reference order. The qualification's rule registry
(`qual.rules`) is posted in the order the specification writes it, one `post_*` function per rule
kind. Linear rules (total credits, group credits and counts, level quotas) are written straight into
the proto with one term per unit in scope (zero weights kept) and a handle, so a what-if scenario can
change a unit's credits or level, or a rule's bounds, by editing numbers through a `ProtoEdit`
instead of compiling again. With `track=True` every rule and choice is posted under its own
enforcement literal, so that an infeasible request can be explained.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from models import (
    BarredRule,
    LinearRule,
    MandatoryRule,
    Qualification,
    RuleKind,
    Target,
    Unit,
    UnitRef,
)
from models.registry import exclude_key, include_key

from .layers import domain_of


class Model(cp_model.CpModel):
    """A CP-SAT model without the camelCase aliases OR-Tools adds to every new model for code
    written before PEP 8 (`AddBoolOr` for `add_bool_or`): roc calls none of them, and making
    them took 0.7 ms of each 1.2 ms compile of a seed qualification."""

    def _add_pre_pep8_methods(self) -> None:
        pass


@dataclass(frozen=True)
class PostedRule:
    """One rule or choice as posted: its key, its words, and its enforcement literal when tracked."""

    key: str
    text: str
    kind: RuleKind
    literal: int | None = None  # proto literal


@dataclass(frozen=True)
class LinearHandle:
    """Where a linear rule sits in the proto: its constraint, and the units (positions in
    `CompiledModel.units`) its terms are over, in term order."""

    rule: LinearRule
    constraint: int
    positions: tuple[int, ...]


@dataclass
class CompiledModel:
    """A qualification as a CP-SAT model. Change it only through a `ProtoEdit` (edits.py)."""

    qualification: Qualification
    model: cp_model.CpModel
    units: list[Unit]  # in reference order: the order ties are broken in
    x: list[cp_model.IntVar]
    index: dict[str, int]  # reference digits -> position in `units`
    x_indices: list[int] = field(default_factory=list)  # proto indices of `x`
    posted: list[PostedRule] = field(default_factory=list)  # rules that can be broken, in order
    linear: dict[str, LinearHandle] = field(default_factory=dict)  # every linear rule, by key
    solvers: dict[Any, cp_model.CpSolver] = field(default_factory=dict)  # reused CpSolver objects, by options
    free_constraints: list[int] = field(default_factory=list)  # blank slots left by edits

    def position(self, unit: Unit | UnitRef) -> int:
        ref = unit.ref if isinstance(unit, Unit) else unit
        return self.index[ref.digits]


def compile_qualification(
    qual: Qualification,
    include: Sequence[UnitRef | str] = (),
    exclude: Sequence[UnitRef | str] = (),
    *,
    track: bool = False,
    targets: Sequence[Target] = (),
) -> CompiledModel:
    """The CP-SAT model of `qual`'s rules, with `include`d units required and `exclude`d ones
    forbidden. `track=True` posts each rule under an enforcement literal, assumed true by every
    solve except the conflict search, which assumes them a subset at a time.
    Raises UnknownUnit when a unit given is not part of `qual`."""
    compiled = compile_into(Model(), qual)
    model = compiled.model
    for rule in qual.rules:
        POST[type(rule)](compiled, rule, track)
    for unit in qual.resolve(include, "include"):
        post_choice(compiled, unit, True, track)
    for unit in qual.resolve(exclude, "exclude"):
        post_choice(compiled, unit, False, track)
    for target in targets:
        post_target(compiled, target, track)
    # a tracked model is the same model: every rule holds unless a conflict search says otherwise
    model.proto.assumptions.extend(r.literal for r in compiled.posted if r.literal is not None)
    return compiled


def compile_into(model: cp_model.CpModel, qual: Qualification, prefix: str = "") -> CompiledModel:
    """`qual`'s unit variables, in reference order, in `model` (which may hold other
    qualifications: a cohort has one copy per learner); the rules are posted by the caller."""
    units = sorted(qual.units, key=lambda u: u.ref.digits)
    x = [model.new_bool_var(f"{prefix}x[{u.ref}]") for u in units]
    return CompiledModel(qual, model, units, x, {u.ref.digits: i for i, u in enumerate(units)},
                         x_indices=[var.index for var in x])


def post_rules(compiled: CompiledModel) -> None:
    """Every rule of the qualification, untracked, into the compiled model's CP-SAT model."""
    for rule in compiled.qualification.rules:
        POST[type(rule)](compiled, rule, False)


def _literal(compiled: CompiledModel, key: str, text: str, kind: RuleKind,
             track: bool) -> cp_model.IntVar | None:
    literal = compiled.model.new_bool_var(key) if track else None
    compiled.posted.append(PostedRule(key, text, kind, None if literal is None else literal.index))
    return literal


def post_linear(compiled: CompiledModel, rule: LinearRule, track: bool) -> None:
    """sum(weigh(u) * x[u] for u in scope) within bounds: one editable proto constraint. A rule
    with no bound is posted open (no literal: it can never be part of a conflict)."""
    literal = None if rule.is_open else _literal(compiled, rule.key, rule.text, rule.kind, track)
    proto = compiled.model.proto
    positions = tuple(compiled.index[digits] for digits in rule.scope)
    constraint = proto.constraints.add()
    constraint.linear.vars.extend([compiled.x_indices[p] for p in positions])
    constraint.linear.coeffs.extend([rule.weigh(compiled.units[p]) for p in positions])
    constraint.linear.domain.extend(domain_of(rule.bounds))
    if literal is not None:
        constraint.enforcement_literal.append(literal.index)
    compiled.linear[rule.key] = LinearHandle(rule, len(proto.constraints) - 1, positions)


def post_mandatory(compiled: CompiledModel, rule: MandatoryRule, track: bool) -> None:
    # "learners must take the following mandatory units"
    literal = _literal(compiled, rule.key, rule.text, rule.kind, track)
    constraint = compiled.model.add(compiled.x[compiled.position(rule.unit)] == 1)
    if literal is not None:
        constraint.only_enforce_if(literal)


def post_barred(compiled: CompiledModel, rule: BarredRule, track: bool) -> None:
    # "May not be taken with"
    literal = _literal(compiled, rule.key, rule.text, rule.kind, track)
    a, b = (compiled.x[compiled.position(unit)] for unit in rule.units)
    constraint = compiled.model.add_bool_or([~a, ~b])
    if literal is not None:
        constraint.only_enforce_if(literal)


def post_choice(compiled: CompiledModel, unit: Unit, taken: bool, track: bool) -> None:
    """--include (taken) or --exclude (not taken) a unit."""
    key = include_key(unit.ref) if taken else exclude_key(unit.ref)
    kind = RuleKind.include if taken else RuleKind.exclude
    literal = _literal(compiled, key, key, kind, track)
    constraint = compiled.model.add(compiled.x[compiled.position(unit)] == int(taken))
    if literal is not None:
        constraint.only_enforce_if(literal)


def post_target(compiled: CompiledModel, target: Target, track: bool) -> None:
    """A bound on the set's total of one measure (`--glh-at-least 150`)."""
    literal = _literal(compiled, target.key, target.text, RuleKind.target, track)
    total = sum(target.measure.of(unit) * x for unit, x in zip(compiled.units, compiled.x))
    constraint = compiled.model.add_linear_constraint(total, *domain_of(target))
    if literal is not None:
        constraint.only_enforce_if(literal)


POST: dict[type, Callable[[CompiledModel, Any, bool], None]] = {
    LinearRule: post_linear, MandatoryRule: post_mandatory, BarredRule: post_barred}
