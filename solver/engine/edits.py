"""The one way to change a compiled model: a `ProtoEdit`, which undoes every change on exit.

A compiled model is solved many times (tie-break stages, top-K, what-if scenarios, conflict
searches), so nothing may stay behind: a coefficient, a bound, a constraint, an objective, an
assumption or a hint set for one solve is put back when the `with` block ends, whatever happens.
The proto cannot delete constraints or variables, so added ones are blanked and kept on the
compiled model's free lists for the next edit to reuse: the model never grows past the most that
one request needed at once. Edits nest (each undoes its own changes, last in first out).

Literals here are proto literals: a variable's index, or -index-1 for its negation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ortools.sat.python import cp_model_helper

if TYPE_CHECKING:  # pragma: no cover
    from .compile import CompiledModel

_BLANK = cp_model_helper.ConstraintProto()


class ProtoEdit:
    """Changes to a compiled model's proto for the length of a `with` block."""

    def __init__(self, compiled: "CompiledModel") -> None:
        self.compiled = compiled
        self.proto = compiled.model.proto
        self._values: list[tuple[object, int, int]] = []  # (repeated field, position, old value)
        self._constraints: list[int] = []
        self._objective: tuple[list[int], list[int]] | None = None
        self._assumptions: list[int] | None = None
        self._hint: tuple[list[int], list[int]] | None = None

    def __enter__(self) -> "ProtoEdit":
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    # -- numbers in place ---------------------------------------------------------------------------
    def _set(self, field: Any, position: int, value: int) -> None:
        old = field[position]
        if old != value:
            self._values.append((field, position, old))
            field[position] = value

    def set_variable_bounds(self, variable: int, low: int, high: int) -> None:
        domain = self.proto.variables[variable].domain
        self._set(domain, 0, low)
        self._set(domain, 1, high)

    def set_rule_bounds(self, constraint: int, low: int, high: int) -> None:
        domain = self.proto.constraints[constraint].linear.domain
        self._set(domain, 0, low)
        self._set(domain, 1, high)

    def set_coefficient(self, constraint: int, term: int, value: int) -> None:
        self._set(self.proto.constraints[constraint].linear.coeffs, term, value)

    # -- constraints and variables, blanked on exit ----------------------------------------------------
    def _slot(self) -> int:
        free = self.compiled.free_constraints
        slot = free.pop() if free else len(self.proto.constraints)
        if slot == len(self.proto.constraints):
            self.proto.constraints.add()
        self._constraints.append(slot)
        return slot

    def add_linear(self, variables: Sequence[int], coeffs: Sequence[int], low: int, high: int) -> int:
        """sum(coeffs * variables) in [low, high]; returns the constraint's index."""
        slot = self._slot()
        linear = self.proto.constraints[slot].linear
        linear.vars.extend(variables)
        linear.coeffs.extend(coeffs)
        linear.domain.extend([low, high])
        return slot

    def add_bool_or(self, literals: Sequence[int]) -> int:
        slot = self._slot()
        self.proto.constraints[slot].bool_or.literals.extend(literals)
        return slot

    # -- objective, assumptions, hints ------------------------------------------------------------------
    def set_objective(self, variables: Sequence[int], coeffs: Sequence[int]) -> None:
        proto = self.proto
        if self._objective is None:
            self._objective = ((list(proto.objective.vars), list(proto.objective.coeffs))
                               if proto.has_objective() else ([], []))
        proto.clear_objective()
        proto.objective.vars.extend(variables)
        proto.objective.coeffs.extend(coeffs)

    def assume(self, literals: Sequence[int], *, instead: bool = False) -> None:
        """Solve under these literals as well as the model's own (a tracked model assumes every
        rule's literal), replacing what this edit assumed before; `instead=True` drops the
        model's own, as the conflict search does to try rules one subset at a time."""
        if self._assumptions is None:
            self._assumptions = list(self.proto.assumptions)
        self.compiled.model.clear_assumptions()
        self.proto.assumptions.extend(([] if instead else list(self._assumptions)) + list(literals))

    def hint(self, variables: Sequence[int], values: Sequence[int]) -> None:
        proto = self.proto
        if self._hint is None:
            self._hint = ((list(proto.solution_hint.vars), list(proto.solution_hint.values))
                          if proto.has_solution_hint() else ([], []))
        proto.clear_solution_hint()
        proto.solution_hint.vars.extend(variables)
        proto.solution_hint.values.extend(values)

    # -- undo ---------------------------------------------------------------------------------------------
    def restore(self) -> None:
        """Put the model back as this edit found it (called on leaving the `with` block)."""
        proto = self.proto
        for field, position, old in reversed(self._values):
            field[position] = old  # type: ignore[index]
        self._values.clear()
        for slot in reversed(self._constraints):
            proto.constraints[slot].copy_from(_BLANK)
            self.compiled.free_constraints.append(slot)
        self._constraints.clear()
        if self._objective is not None:
            proto.clear_objective()
            if self._objective[0]:
                proto.objective.vars.extend(self._objective[0])
                proto.objective.coeffs.extend(self._objective[1])
            self._objective = None
        if self._assumptions is not None:
            self.compiled.model.clear_assumptions()
            proto.assumptions.extend(self._assumptions)
            self._assumptions = None
        if self._hint is not None:
            proto.clear_solution_hint()
            if self._hint[0]:
                proto.solution_hint.vars.extend(self._hint[0])
                proto.solution_hint.values.extend(self._hint[1])
            self._hint = None


def negated(literal: int) -> int:
    """The proto literal for NOT literal."""
    return -literal - 1
