"""What-if scenarios on the hot path: compile a qualification once, then for each scenario edit the
model's numbers through a `ProtoEdit` (unit credits and levels, rule bounds, which units may be
taken), solve, and let the edit put the numbers back. Scenarios that change only costs are answered
from the valid-set table without touching the model. `reference.apply_scenario` is the slow path
(a new qualification, compiled from scratch) that the tests compare the template against.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from models import Measure, Objective, Qualification, RuleChange, Scenario, Status, Unit, UnknownRule

from ..engine import (
    OPEN,
    CompiledModel,
    LinearHandle,
    ProtoEdit,
    SolveOptions,
    TieBreak,
    compile_qualification,
    solve_lexicographic,
)
from ..engine.layers import domain_of
from .records import ScenarioResult
from .table import ValidSetTable


def changed_unit(unit: Unit, change) -> Unit:
    """A unit with a scenario's new figures; TQT follows new credits unless it was printed."""
    update = {name: getattr(change, name) for name in type(change).model_fields
              if getattr(change, name) is not None}
    if "credits" in update and "tqt" not in update and not unit.tqt_printed:
        update["tqt"] = update["credits"] * 10
    return unit.model_copy(update=update)


def new_bounds(low: int, high: int, change: RuleChange) -> tuple[int, int]:
    """A rule's bounds after a change: a bound given replaces the old one (null removes it)."""
    given = change.model_fields_set
    if "min" in given:
        low = change.min if change.min is not None else -OPEN
    if "max" in given:
        high = change.max if change.max is not None else OPEN
    return low, high


@dataclass
class Prepared:
    """A scenario in the template's terms: unit positions and numbers."""

    objective: Objective
    units: list[Unit]  # with the scenario's figures
    edited: list[int]  # positions whose figures changed
    rules: list[tuple[LinearHandle, tuple[int, int]]]  # rules with new bounds
    low: list[int]  # per unit: 1 when it must be taken
    high: list[int]  # per unit: 0 when it may not be taken
    costs: list[int]  # per unit, for the objective
    cost_only: bool  # only costs and which units may be taken change: the valid sets stay the same
    targets: list[tuple[list[int], int, int]] = field(default_factory=list)  # (per-unit figures, min, max)

    @property
    def contradictory(self) -> bool:
        """A unit both required and withdrawn, or a rule's min raised above its max."""
        return any(lo > hi for lo, hi in zip(self.low, self.high)) or any(lo > hi for _, (lo, hi) in self.rules)


class Template:
    """A qualification compiled once, solved for many scenarios."""

    def __init__(self, qual: Qualification) -> None:
        self.qualification = qual
        self.compiled: CompiledModel = compile_qualification(qual)
        # unit position -> [(rule, term position)] for every linear rule it has a term in
        self.terms: dict[int, list[tuple[LinearHandle, int]]] = defaultdict(list)
        for handle in self.compiled.linear.values():
            for k, position in enumerate(handle.positions):
                self.terms[position].append((handle, k))
        self.costs: dict[Measure, list[int]] = {}
        self._table: ValidSetTable | None | bool = False  # False: not built yet; None: too large
        self._resolved: dict[str, int] = {}  # a reference as given -> unit position

    def table(self) -> ValidSetTable | None:
        """The valid-set table, built on first use; None when the qualification is too large."""
        if self._table is False:
            self._table = ValidSetTable.build(self.compiled)
        return self._table  # type: ignore[return-value]

    def _positions(self, refs, field: str) -> list[int]:
        """Positions of the units `refs` name (each reference as text resolved once per template)."""
        found = []
        for ref in refs:
            position = self._resolved.get(ref) if isinstance(ref, str) else None
            if position is None:
                position = self.compiled.position(self.qualification.resolve([ref], field)[0])
                if isinstance(ref, str):
                    self._resolved[ref] = position
            found.append(position)
        return found

    def prepare(self, scenario: Scenario) -> Prepared:
        """The scenario's changes as positions and numbers. Raises UnknownUnit or UnknownRule."""
        compiled, objective = self.compiled, scenario.objective
        units = list(compiled.units)
        for ref, change in scenario.units.items():
            position = self._positions([ref], f"units[{ref}]")[0]
            units[position] = changed_unit(units[position], change)
        rules = []
        for rule_change in scenario.rules:
            handle = compiled.linear.get(rule_change.rule)
            if handle is None:
                raise UnknownRule(f"no rule {rule_change.rule!r} in {self.qualification.number} "
                                  f"(rules: {', '.join(compiled.linear)})", field="rules")
            rules.append((handle, new_bounds(*domain_of(handle.rule.bounds), rule_change)))
        low, high = [0] * len(units), [1] * len(units)
        for position in self._positions(list(scenario.withdraw) + list(scenario.exclude), "withdraw/exclude"):
            high[position] = 0
        for position in self._positions(scenario.include, "include"):
            low[position] = 1
        edited = [p for p, unit in enumerate(units) if unit is not compiled.units[p]]
        costs = self.costs.get(objective.measure)
        if costs is None:
            costs = self.costs[objective.measure] = [objective.measure.of(u) for u in compiled.units]
        achieved = self._positions(scenario.achieved, "achieved")
        if edited or achieved:
            costs = list(costs)
            for position in edited:
                costs[position] = objective.measure.of(units[position])
            if objective.measure is not Measure.credits:  # delivered hours cost nothing
                for position in achieved:
                    costs[position] = 0
        cost_only = not rules and not scenario.targets and all(change.credits is None and change.level is None
                                                               for change in scenario.units.values())
        return Prepared(objective, units, edited, rules, low, high, costs, cost_only,
                        self._targets(scenario, units, set(achieved)))

    @staticmethod
    def _targets(scenario: Scenario, units: list[Unit], achieved: set[int]) -> list[tuple[list[int], int, int]]:
        """Each target as per-unit figures (an achieved unit counts no hours) and its bounds."""
        found = []
        for target in scenario.targets:
            hours = target.measure is not Measure.credits
            figures = [0 if hours and p in achieved else target.measure.of(u) for p, u in enumerate(units)]
            found.append((figures, target.min if target.min is not None else -OPEN,
                          target.max if target.max is not None else OPEN))
        return found

    def answer(self, prepared: Prepared, options: SolveOptions = SolveOptions(),
               use_table: bool = True) -> tuple[Status, list[int] | None]:
        """The status and the chosen unit positions (None when there is no set)."""
        if prepared.contradictory:
            return Status.infeasible, None
        if use_table and self.tabled(prepared, options):
            table = self.table()
            assert table is not None
            sign = prepared.objective.sign
            chosen = table.best([sign * c for c in prepared.costs], prepared.low, prepared.high)
            return (Status.optimal if chosen is not None else Status.infeasible), chosen
        with ProtoEdit(self.compiled) as edit:
            self._apply(edit, prepared)
            for figures, low, high in prepared.targets:
                edit.add_linear(self.compiled.x_indices, figures, low, high)
            outcome = solve_lexicographic(self.compiled, prepared.objective, options, prepared.costs)
        return outcome.objective_status, outcome.values

    def tabled(self, prepared: Prepared, options: SolveOptions = SolveOptions()) -> bool:
        """Whether the valid-set table answers this scenario (costs or takeable units change, the
        full tie-break applies, the qualification is small enough to tabulate)."""
        return (not prepared.contradictory and prepared.cost_only
                and options.ties(len(prepared.units)) is TieBreak.full and self.table() is not None)

    def answer_tabled(self, many: list[Prepared]) -> list[tuple[Status, list[int] | None]]:
        """`answer` for many tabled scenarios of one objective at once (see `tabled`)."""
        table = self.table()
        assert table is not None and len({p.objective for p in many}) <= 1
        if not many:
            return []
        objective = many[0].objective
        base = np.array(self.costs[objective.measure], dtype=np.int64) * objective.sign  # the unedited costs
        chosen = table.best_many(np.array([p.costs for p in many], dtype=np.int64) * objective.sign,
                                 np.array([p.low for p in many]), np.array([p.high for p in many]), base)
        return [(Status.optimal if c is not None else Status.infeasible, c) for c in chosen]

    def _apply(self, edit: ProtoEdit, prepared: Prepared) -> None:
        for position in prepared.edited:
            for handle, k in self.terms[position]:
                edit.set_coefficient(handle.constraint, k, handle.rule.weigh(prepared.units[position]))
        for handle, (low, high) in prepared.rules:
            edit.set_rule_bounds(handle.constraint, low, high)
        for position, (low, high) in enumerate(zip(prepared.low, prepared.high)):
            if low or not high:
                edit.set_variable_bounds(self.compiled.x_indices[position], low, high)

    def solve(self, scenario: Scenario, options: SolveOptions = SolveOptions(),
              use_table: bool = True) -> ScenarioResult:
        """One scenario's result line (raises InputError for a scenario that names no unit or
        rule of the qualification)."""
        started = time.perf_counter()
        prepared = self.prepare(scenario)
        status, chosen = self.answer(prepared, options, use_table)
        return self.result(scenario, prepared, status, chosen, time.perf_counter() - started)

    def result(self, scenario: Scenario, prepared: Prepared, status: Status, chosen: list[int] | None,
               seconds: float) -> ScenarioResult:
        """A scenario's result line from the set chosen for it."""
        picked = [prepared.units[p] for p in chosen or []]
        found = chosen is not None
        return ScenarioResult(
            id=scenario.id, qualification=str(self.qualification.number), goal=str(prepared.objective),
            status=status, objective=sum(prepared.costs[p] for p in chosen or []) if found else None,
            units=[str(u.ref) for u in picked], glh=sum(u.glh for u in picked) if found else None,
            tqt=sum(u.tqt for u in picked) if found else None,
            credits=sum(u.credits for u in picked) if found else None,
            solve_ms=round(seconds * 1000, 3))
