"""What-if scenarios on the hot path: compile a qualification once, then for each scenario edit the
model's numbers in place (unit credits and levels, rule bounds, which units may be taken), solve,
and put the numbers back. `apply_scenario` is the slow reference: a new qualification, compiled
from scratch, which the tests compare the template against.
"""

from __future__ import annotations

import time
from collections import defaultdict

from pydantic import ValidationError

from models import Qualification, RuleChange, Scenario, Unit, UnitRef, UnknownUnit
from models.errors import InputError

from .compile import OPEN, CompiledModel, compile_qualification, group_key, quota_key, resolve_refs
from .results import Measure, ScenarioResult, Sense, Status
from .solve import SolveOptions, parse_objective, solve_levels, standard_levels


class UnknownRule(InputError):
    pass


def changed_unit(unit: Unit, change) -> Unit:
    """A unit with a scenario's new figures; TQT follows new credits unless it was printed."""
    update = {name: getattr(change, name) for name in type(change).model_fields
              if getattr(change, name) is not None}
    if "credits" in update and "tqt" not in update and "tqt" not in unit.model_fields_set:
        update["tqt"] = update["credits"] * 10
    return unit.model_copy(update=update)


def _new_bounds(low: int, high: int, change: RuleChange) -> tuple[int, int]:
    given = change.model_fields_set
    if "min" in given:
        low = change.min if change.min is not None else -OPEN
    if "max" in given:
        high = change.max if change.max is not None else OPEN
    return low, high


TABLE_UNITS = 40  # enumerate valid sets only for qualifications this small ...
TABLE_SETS = 20_000  # ... and with at most this many valid sets


class ValidSetTable:
    """Every valid unit set of a qualification, enumerated once by CP-SAT (exhaustive, so the
    argmin over it is a proof of optimality). A scenario that changes only what units cost or
    which may be taken (GLH or TQT revised, units withdrawn, included, excluded or achieved) is
    answered by one matrix-vector product and an argmin, in roc's tie-break order."""

    def __init__(self, sets: list[list[int]], units: int) -> None:
        import numpy as np

        self.np = np
        self.member = np.zeros((len(sets), units), dtype=np.int64)
        for row, chosen in enumerate(sets):
            self.member[row, chosen] = 1
        # tie-break rank: fewer units, then reference order (the earliest reference first)
        weights = np.array([1 << (units - 1 - j) for j in range(units)], dtype=np.int64)
        order = np.lexsort((-(self.member @ weights), self.member.sum(axis=1)))
        self.rank = np.empty(len(sets), dtype=np.int64)
        self.rank[order] = np.arange(len(sets))

    def best(self, costs: list[int], low: list[int], high: list[int]) -> list[int] | None:
        """Positions of the best set, or None when no valid set meets the bounds."""
        np = self.np
        mask = np.ones(len(self.rank), dtype=bool)
        for position, (lo, hi) in enumerate(zip(low, high)):
            if lo:
                mask &= self.member[:, position] == 1
            if not hi:
                mask &= self.member[:, position] == 0
        if not mask.any():
            return None
        key = (self.member @ np.array(costs, dtype=np.int64)) * len(self.rank) + self.rank
        row = int(np.where(mask, key, np.iinfo(np.int64).max).argmin())
        return [int(p) for p in np.flatnonzero(self.member[row])]


class Template:
    """A qualification compiled once, solved for many scenarios."""

    def __init__(self, qual: Qualification) -> None:
        self.qualification = qual
        self.compiled: CompiledModel = compile_qualification(qual)
        proto = self.compiled.model.Proto()
        # unit position -> [(rule, term position)] for every editable rule it has a term in
        self.terms: dict[int, list] = defaultdict(list)
        for rule in self.compiled.linear.values():
            for k, position in enumerate(rule.positions):
                self.terms[position].append((rule, k))
        self.costs: dict = {}
        self._table: ValidSetTable | None | bool = False  # False: not built yet; None: too large
        self.domains = {key: tuple(proto.constraints[rule.constraint].linear.domain)
                        for key, rule in self.compiled.linear.items()}

    def table(self) -> ValidSetTable | None:
        """The valid-set table, built on first use; None when the qualification is too large."""
        if self._table is False:
            self._table = None
            if len(self.compiled.units) <= TABLE_UNITS:
                from .alternatives import _enumerate

                self.compiled.model.clear_objective()
                sets, exact, _ = _enumerate(self.compiled, SolveOptions(), limit=TABLE_SETS + 1)
                if exact and len(sets) <= TABLE_SETS:
                    self._table = ValidSetTable(sets, len(self.compiled.units))
        return self._table

    def _costs(self, objective) -> list[int]:
        """Each unit's measure for an objective, as compiled (cached)."""
        costs = self.costs.get(objective.measure)
        if costs is None:
            costs = self.costs[objective.measure] = [objective.measure.of(u) for u in self.compiled.units]
        return costs

    def _position(self, ref: UnitRef | str, what: str) -> int:
        return self.compiled.index[resolve_refs(self.qualification, [ref], what)[0].digits]

    def solve(self, scenario: Scenario, options: SolveOptions = SolveOptions(),
              use_table: bool = True) -> ScenarioResult:
        started = time.perf_counter()
        compiled, proto = self.compiled, self.compiled.model.Proto()
        objective = parse_objective(scenario.objective)
        units = list(compiled.units)
        for ref, change in scenario.units.items():
            position = self._position(ref, f"units[{ref}]")
            units[position] = changed_unit(units[position], change)
        rule_changes = []
        for change in scenario.rules:
            rule = compiled.linear.get(change.rule)
            if rule is None:
                raise UnknownRule(f"rules: no rule {change.rule!r} in {self.qualification.number} "
                                  f"(rules: {', '.join(compiled.linear)})")
            rule_changes.append((rule, _new_bounds(*self.domains[rule.key], change)))
        low, high = [0] * len(units), [1] * len(units)
        for ref in list(scenario.withdraw) + list(scenario.exclude):
            high[self._position(ref, "withdraw/exclude")] = 0
        for ref in scenario.include:
            low[self._position(ref, "include")] = 1
        achieved = {self._position(ref, "achieved") for ref in scenario.achieved}

        edited_units = [p for p, unit in enumerate(units) if unit is not compiled.units[p]]
        bounded = [p for p in range(len(units)) if low[p] or not high[p]]
        costs = self._costs(objective)
        if edited_units or achieved:
            costs = list(costs)
            for position in edited_units:
                costs[position] = objective.measure.of(units[position])
            if objective.measure is not Measure.credits:  # delivered hours cost nothing
                for position in achieved:
                    costs[position] = 0
        table = None  # decided (and built, on first use) before the model is edited
        if use_table and not rule_changes and options.ties(len(units)) == "full" and all(
                change.credits is None and change.level is None for change in scenario.units.values()):
            table = self.table()
        try:
            for position in edited_units:
                for rule, k in self.terms[position]:
                    proto.constraints[rule.constraint].linear.coeffs[k] = rule.coefficient(units[position])
            for rule, (lo, hi) in rule_changes:
                domain = proto.constraints[rule.constraint].linear.domain
                domain[0], domain[1] = lo, hi
            for position in bounded:
                domain = proto.variables[compiled.x[position].Index()].domain
                domain[0], domain[1] = low[position], high[position]
            if any(low[p] > high[p] for p in bounded) or any(lo > hi for _, (lo, hi) in rule_changes):
                # the same unit both required and withdrawn, or a rule's min raised above its max
                status, values = Status.infeasible, None
            elif table is not None:
                sign = 1 if objective.sense is Sense.minimise else -1
                chosen = table.best([sign * c for c in costs], low, high)
                status = Status.optimal if chosen is not None else Status.infeasible
                values = None if chosen is None else [int(p in chosen) for p in range(len(units))]
            else:
                status, values, _ = solve_levels(
                    compiled, standard_levels(compiled, objective, options.ties(len(units)), costs),
                    compiled.x, options)
        finally:
            for position in edited_units:
                for rule, k in self.terms[position]:
                    proto.constraints[rule.constraint].linear.coeffs[k] = rule.coefficient(compiled.units[position])
            for rule, _ in rule_changes:
                domain = proto.constraints[rule.constraint].linear.domain
                domain[0], domain[1] = self.domains[rule.key]
            for position in bounded:
                domain = proto.variables[compiled.x[position].Index()].domain
                domain[0], domain[1] = 0, 1
        picked = [p for p, v in enumerate(values or []) if v]
        chosen = [units[p] for p in picked]
        found = values is not None
        return ScenarioResult(
            id=scenario.id, qualification=str(self.qualification.number), goal=str(objective),
            status=status.value, objective=sum(costs[p] for p in picked) if found else None,
            units=[str(u.ref) for u in chosen], glh=sum(u.glh for u in chosen) if found else None,
            tqt=sum(u.hours for u in chosen) if found else None,
            credits=sum(u.credits for u in chosen) if found else None,
            solve_ms=round((time.perf_counter() - started) * 1000, 3))


def apply_scenario(qual: Qualification, scenario: Scenario) -> tuple[Qualification, list, list]:
    """The reference path: a new qualification with the scenario's changes, and the include and
    exclude lists to plan it with. Achieved units cost no more hours: their GLH and TQT become 0
    (their credits still count)."""
    data = qual.model_dump(mode="json", exclude={"corrections"})
    by_digits = {UnitRef.parse(u["ref"]).digits: u for u in data["units"]}
    for ref, change in scenario.units.items():
        digits = UnitRef.parse(ref).digits
        if digits not in by_digits:
            raise UnknownUnit(f"units[{ref}]: unit {ref} is not part of {qual.number}")
        unit = qual.unit(ref)
        by_digits[digits].update(changed_unit(unit, change).model_dump(mode="json", exclude_none=True))
    for ref in scenario.achieved:
        if ref.digits in by_digits:
            by_digits[ref.digits].update(glh=0, tqt=0)
    for change in scenario.rules:
        target = _rule_bounds(qual, data, change.rule)
        if target is None:
            raise UnknownRule(f"rules: no rule {change.rule!r} in {qual.number}")
        holder, name = target
        bounds = dict(holder.get(name) or {})
        bounds.pop("exact", None)
        for side in ("min", "max"):
            if side in change.model_fields_set:
                bounds[side] = getattr(change, side)
        holder[name] = {k: v for k, v in bounds.items() if v is not None}
    try:
        changed = Qualification.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"the scenario's changes contradict the rules: {exc.errors()[0]['msg']}") from None
    return changed, list(scenario.include), list(scenario.withdraw) + list(scenario.exclude)


def _rule_bounds(qual: Qualification, data: dict, key: str):
    """Where the bounds of the rule named `key` sit in the qualification's raw data."""
    if key == "credits":
        return data, "credits"
    for group, raw in zip(qual.groups, data.get("groups", [])):
        for kind in ("credits", "count"):
            if key == group_key(group.id, kind):
                return raw, kind
    for i, (quota, raw) in enumerate(zip(qual.level_quotas, data.get("level_quotas", []))):
        if key == quota_key(quota, i):
            return raw, "credits"
    return None
