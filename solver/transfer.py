"""Credit transfer: what a learner's achieved units carry into another qualification, and the
cheapest way to finish it.

A target unit is credited when the learner achieved a unit with the same Ofqual reference (by
its digits), or all the units of a declared equivalence for it. CP-SAT chooses which credits to
use (each achieved unit counts once, for one target unit: no double counting, no split credit)
and which new units complete the target's rules at the least GLH (or TQT) still to deliver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from models import AchievedUnit, Equivalence, Finding, Qualification, Severity, Unit, UnitRef

from .compile import compile_qualification
from .results import (ChosenUnit, MatrixCell, NotTransferred, Objective, Sense, Status,
                      TransferMapping, TransferResult)
from .solve import Level, SolveOptions, matched_note, measure_level, order_levels, parse_objective, solve_levels


@dataclass(frozen=True)
class Credit:
    """One way to credit a target unit: these achieved units (digits), via a rule."""

    target: Unit
    achieved: tuple[str, ...]
    via: str


def _as_achieved(items: Sequence[AchievedUnit | str | UnitRef]) -> list[AchievedUnit]:
    return [item if isinstance(item, AchievedUnit) else AchievedUnit(ref=item) for item in items]


def credit_options(target: Qualification, achieved: dict[str, AchievedUnit],
                   equivalences: Sequence[Equivalence]) -> list[Credit]:
    options = []
    for unit in sorted(target.units, key=lambda u: u.ref.digits):
        if unit.ref.digits in achieved:
            options.append(Credit(unit, (unit.ref.digits,), "same reference"))
        for eq in equivalences:
            if eq.target.digits != unit.ref.digits:
                continue
            if eq.qualification is not None and eq.qualification != target.number:
                continue
            if all(ref.digits in achieved for ref in eq.achieved):
                options.append(Credit(unit, tuple(ref.digits for ref in eq.achieved), f"equivalence {eq.id}"))
    return options


def _record_notes(target: Qualification, achieved: list[AchievedUnit]) -> list[Finding]:
    """Where the learner record disagrees with the catalogue about a unit."""
    notes = []
    for item in achieved:
        unit = target.unit(item.ref)
        if unit is None:
            continue
        def note(text: str) -> None:
            notes.append(Finding(code="record", severity=Severity.info, qualification=str(target.number),
                                 subject=str(unit.ref), message=text))
        matched = matched_note(target, item.ref, unit, "achieved ")
        if matched is not None:
            notes.append(matched.model_copy(update={"code": "record"}))
        if item.credits is not None and item.credits != unit.credits:
            note(f"{unit.ref}: the record says {item.credits} credits, {target.number} gives "
                 f"{unit.credits}; roc counts {unit.credits}")
        if item.level is not None and item.level != unit.level:
            note(f"{unit.ref}: the record says {item.level.label}, {target.number} lists "
                 f"{unit.level.label}")
    return notes


def transfer(target: Qualification, achieved: Sequence[AchievedUnit | str | UnitRef],
             equivalences: Sequence[Equivalence] = (), objective: Objective | str = "minimise glh",
             options: SolveOptions = SolveOptions()) -> TransferResult:
    objective = parse_objective(objective)
    if objective.sense is not Sense.minimise:
        raise ValueError("transfer minimises what is still to deliver")
    records = _as_achieved(achieved)
    by_digits: dict[str, AchievedUnit] = {}
    for item in records:
        by_digits.setdefault(item.ref.digits, item)
    credits = credit_options(target, by_digits, equivalences)

    compiled = compile_qualification(target)
    model, x = compiled.model, compiled.x
    new = [model.NewBoolVar(f"new[{u.ref}]") for u in compiled.units]
    use = [model.NewBoolVar(f"credit[{c.target.ref} via {c.via}]") for c in credits]
    for i, unit in enumerate(compiled.units):
        # a unit in the set is either credited (once) or newly taken
        model.Add(x[i] == new[i] + sum(y for c, y in zip(credits, use) if c.target.ref == unit.ref))
    for digits in by_digits:
        users = [y for c, y in zip(credits, use) if digits in c.achieved]
        if len(users) > 1:
            model.AddAtMostOne(users)  # each achieved unit counts once

    levels: list[Level] = [
        measure_level(new, [objective.measure.of(u) for u in compiled.units], Sense.minimise,
                      f"new {objective.measure.value}")]
    ties = options.ties(len(compiled.units))
    if ties in ("full", "count"):
        levels.append(Level([1] * len(new), new, "new units"))
        levels.append(Level([-c.target.credits for c in credits], use, "credit carried"))
    if ties == "full":
        levels += order_levels(new) + order_levels(use)
    status, values, seconds = solve_levels(compiled, levels, x + new + use, options)

    result = TransferResult(target=str(target.number), title=target.title, goal=f"minimise {objective.measure.value} to deliver",
                            status=status, units=[], mapping=[], not_transferred=[], credit_carried=None,
                            to_take=[], glh_to_deliver=None, tqt_to_deliver=None, glh_total=None,
                            credits_total=None, notes=_record_notes(target, records),
                            solve_seconds=round(seconds, 6))
    if values is None:
        if status is Status.infeasible:
            from .explain import explain

            result.conflict = explain(target, options=options)
        result.not_transferred = [NotTransferred(ref=str(a.ref), reason="the target has no valid set")
                                  for a in by_digits.values()]
        return result
    n = len(compiled.units)
    chosen = [u for u, v in zip(compiled.units, values[:n]) if v]
    taken_new = [u for u, v in zip(compiled.units, values[n:2 * n]) if v]
    used = [c for c, v in zip(credits, values[2 * n:]) if v]
    result.units = [str(u.ref) for u in chosen]
    result.mapping = [TransferMapping(
        target_unit=str(c.target.ref), target_title=c.target.title, groups=target.groups_of(c.target.ref),
        achieved=[str(by_digits[d].ref) for d in c.achieved], via=c.via, credits=c.target.credits,
        glh_saved=c.target.glh) for c in used]
    result.credit_carried = sum(c.target.credits for c in used)
    result.to_take = [ChosenUnit.of(target, u) for u in taken_new]
    result.glh_to_deliver = sum(u.glh for u in taken_new)
    result.tqt_to_deliver = sum(u.hours for u in taken_new)
    result.glh_total = sum(u.glh for u in chosen)
    result.credits_total = sum(u.credits for u in chosen)
    result.not_transferred = _not_transferred(target, by_digits, credits, used, equivalences)
    return result


def _not_transferred(target: Qualification, achieved: dict[str, AchievedUnit], credits: list[Credit],
                     used: list[Credit], equivalences: Sequence[Equivalence]) -> list[NotTransferred]:
    used_digits = {d for c in used for d in c.achieved}
    found = []
    for digits, item in achieved.items():
        if digits in used_digits:
            continue
        possible = [c for c in credits if digits in c.achieved]
        if possible:
            targets = ", ".join(sorted({str(c.target.ref) for c in possible}))
            reason = (f"could count as {targets}, but the best valid set of {target.number} does "
                      f"not use it (its rules leave no room, or another achieved unit covers it)")
        else:
            partial = [eq for eq in equivalences if any(r.digits == digits for r in eq.achieved)
                       and target.unit(eq.target) is not None
                       and (eq.qualification is None or eq.qualification == target.number)]
            if partial:
                eq = partial[0]
                missing = ", ".join(str(r) for r in eq.achieved if r.digits not in achieved)
                reason = f"equivalence {eq.id} for {eq.target} also needs {missing}, not achieved"
            else:
                reason = (f"no unit with this reference in {target.number} and no declared equivalence")
        found.append(NotTransferred(ref=str(item.ref), reason=reason))
    return found


def transfer_matrix(quals: Sequence[Qualification], equivalences: Sequence[Equivalence] = (),
                    options: SolveOptions = SolveOptions()) -> list[MatrixCell]:
    """For every ordered pair: GLH still to deliver in the target after the source's minimum-GLH
    plan, and after every unit of the source."""
    from .solve import plan

    minimum = {q.number.digits: plan(q, "minimise glh", options=options, explain=False) for q in quals}
    cells = []
    for source in quals:
        for target in quals:
            if source is target:
                continue
            after_plan = transfer(target, minimum[source.number.digits].units, equivalences, options=options)
            after_all = transfer(target, [u.ref for u in source.units], equivalences, options=options)
            proven = {after_plan.status, after_all.status} <= {Status.optimal}
            cells.append(MatrixCell(
                source=str(source.number), target=str(target.number),
                target_min_glh=minimum[target.number.digits].glh,
                from_min_plan=after_plan.glh_to_deliver, from_all_units=after_all.glh_to_deliver,
                status=Status.optimal if proven else (after_plan.status if after_plan.status is not Status.optimal
                                                      else after_all.status)))
    return cells


__all__ = ["Credit", "credit_options", "transfer", "transfer_matrix"]
