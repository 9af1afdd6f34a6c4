"""Credit transfer: what a learner's achieved units carry into another qualification, and the
cheapest way to finish it.

A target unit is credited when the learner achieved a unit with the same Ofqual reference (by
its digits), or all the units of a declared equivalence for it. The engine's transfer model
chooses which credits to use (each achieved unit counts once, for one target unit: no double
counting, no split credit) and which new units complete the target's rules at the least GLH (or
TQT) still to deliver.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from models import (
    AchievedUnit,
    Credit,
    Equivalence,
    Finding,
    Objective,
    ObjectiveError,
    Qualification,
    Sense,
    Severity,
    Status,
    UnitRef,
)

from ..engine import SolveOptions, TransferOutcome, solve_transfer
from .explain import explain
from .plan import plan
from .plan_result import matched_note
from .results import ChosenUnit, MatrixCell, NotTransferred, TransferMapping, TransferResult


def _as_achieved(items: Sequence[AchievedUnit | str | UnitRef]) -> list[AchievedUnit]:
    return [item if isinstance(item, AchievedUnit) else AchievedUnit(ref=UnitRef.parse(item)) for item in items]


def credit_options(target: Qualification, achieved: dict[str, AchievedUnit],
                   equivalences: Sequence[Equivalence]) -> list[Credit]:
    """Every way an achieved unit (or set of them) can credit a unit of `target`."""
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
        matched = matched_note(target, item.ref, unit, "achieved ")
        if matched is not None:
            notes.append(matched.model_copy(update={"code": "record"}))
        said = []
        if item.credits is not None and item.credits != unit.credits:
            said.append(f"{unit.ref}: the record says {item.credits} credits, {target.number} gives "
                        f"{unit.credits}; roc counts {unit.credits}")
        if item.level is not None and item.level != unit.level:
            said.append(f"{unit.ref}: the record says {item.level.label}, {target.number} lists "
                        f"{unit.level.label}")
        notes += [Finding(code="record", severity=Severity.info, qualification=str(target.number),
                          subject=str(unit.ref), message=text) for text in said]
    return notes


def transfer(target: Qualification, achieved: Sequence[AchievedUnit | str | UnitRef],
             equivalences: Sequence[Equivalence] = (), objective: Objective | str = "minimise glh",
             options: SolveOptions = SolveOptions()) -> TransferResult:
    """What `achieved` units carry into `target` (same reference, or a declared equivalence in
    `equivalences`), and the valid set that leaves the least GLH (or TQT) to deliver. Raises
    ObjectiveError for an objective other than minimise glh or tqt."""
    objective = Objective.parse(objective)
    if objective.sense is not Sense.minimise or objective.measure.value == "credits":
        raise ObjectiveError(f"transfer minimises glh or tqt still to deliver, not {objective.sense.value} "
                             f"{objective.measure.value}", field="minimise")
    records = _as_achieved(achieved)
    by_digits: dict[str, AchievedUnit] = {}
    for item in records:
        by_digits.setdefault(item.ref.digits, item)
    credits = credit_options(target, by_digits, equivalences)
    outcome = solve_transfer(target, credits, objective.measure, options)
    head: dict[str, Any] = dict(target=str(target.number), title=target.title,
                goal=f"minimise {objective.measure.value} to deliver", status=outcome.status,
                notes=_record_notes(target, records), solve_seconds=round(outcome.seconds, 6))
    if outcome.chosen is None:
        conflict = explain(target, options=options) if outcome.status is Status.infeasible else []
        return TransferResult(**head, units=[], mapping=[], credit_carried=None, to_take=[],
                              glh_to_deliver=None, tqt_to_deliver=None, glh_total=None, credits_total=None,
                              conflict=conflict,
                              not_transferred=[NotTransferred(ref=str(a.ref), reason="the target has no valid set")
                                               for a in by_digits.values()])
    found = _solution(target, outcome, credits, by_digits, equivalences)
    head["notes"] += _unconfirmed(target, found["mapping"], equivalences)
    return TransferResult(**head, **found)


def _unconfirmed(target: Qualification, mapping: list[TransferMapping],
                 equivalences: Sequence[Equivalence]) -> list[Finding]:
    """A note for each credit that rests on an equivalence roc suggested and no one has confirmed."""
    suggested = {f"equivalence {eq.id}" for eq in equivalences if eq.suggested}
    return [Finding(code="unconfirmed", severity=Severity.warning, qualification=str(target.number),
                    subject=m.target_unit, message=f"{m.target_unit} is credited through {m.via.removeprefix('equivalence ')!r}, "
                    "a roc suggestion that needs confirmation: confirm it with the awarding organisation "
                    "before relying on this plan")
            for m in mapping if m.via in suggested]


def _solution(target: Qualification, outcome: TransferOutcome, credits: list[Credit],
              achieved: dict[str, AchievedUnit], equivalences: Sequence[Equivalence]) -> dict:
    """The fields of a transfer result that has a valid set."""
    assert outcome.chosen is not None
    chosen = [outcome.units[i] for i in outcome.chosen]
    taken_new = [outcome.units[i] for i in outcome.new]
    used = [credits[k] for k in outcome.used]
    mapping = [TransferMapping(
        target_unit=str(c.target.ref), target_title=c.target.title, groups=target.groups_of(c.target.ref),
        achieved=[str(achieved[d].ref) for d in c.achieved], via=c.via, credits=c.target.credits,
        glh_saved=c.target.glh) for c in used]
    return dict(units=[str(u.ref) for u in chosen], mapping=mapping,
                credit_carried=sum(c.target.credits for c in used),
                to_take=[ChosenUnit.of(target, u) for u in taken_new],
                glh_to_deliver=sum(u.glh for u in taken_new), tqt_to_deliver=sum(u.tqt for u in taken_new),
                glh_total=sum(u.glh for u in chosen), credits_total=sum(u.credits for u in chosen),
                not_transferred=_not_transferred(target, achieved, credits, used, equivalences))


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
                reason = f"no unit with this reference in {target.number} and no declared equivalence"
        found.append(NotTransferred(ref=str(item.ref), reason=reason))
    return found


def ordered_pairs(count: int, sample: int | None = None, seed: int = 0) -> list[tuple[int, int]]:
    """Ordered pairs (source, target) of `count` qualifications, by position: all of them, or
    `sample` of them drawn at random (the same for the same seed), in source-then-target order."""
    total = count * (count - 1)
    if sample is None or sample >= total:
        return [(s, t) for s in range(count) for t in range(count) if s != t]
    chosen = sorted(random.Random(seed).sample(range(total), sample))
    return [(k // (count - 1), t + (t >= k // (count - 1))) for k in chosen for t in [k % (count - 1)]]


def matrix_cell(source: Qualification, target: Qualification, source_minimum: Sequence[str | UnitRef],
                target_min_glh: int | None, equivalences: Sequence[Equivalence] = (),
                options: SolveOptions = SolveOptions()) -> MatrixCell:
    """One cell: GLH still to deliver in `target` after `source_minimum` (the source's
    minimum-GLH plan), and after every unit of the source."""
    after_plan = transfer(target, source_minimum, equivalences, options=options)
    after_all = transfer(target, [u.ref for u in source.units], equivalences, options=options)
    statuses = (after_plan.status, after_all.status)
    return MatrixCell(source=str(source.number), target=str(target.number), target_min_glh=target_min_glh,
                      from_min_plan=after_plan.glh_to_deliver, from_all_units=after_all.glh_to_deliver,
                      status=Status.of_all(statuses))


def transfer_matrix(quals: Sequence[Qualification], equivalences: Sequence[Equivalence] = (),
                    options: SolveOptions = SolveOptions(),
                    pairs: Sequence[tuple[int, int]] | None = None) -> list[MatrixCell]:
    """For every ordered pair (or the `pairs` given, as positions in `quals`): GLH still to deliver
    in the target after the source's minimum-GLH plan, and after every unit of the source."""
    pairs = ordered_pairs(len(quals)) if pairs is None else pairs
    involved = sorted({k for pair in pairs for k in pair})
    minimum = {k: plan(quals[k], "minimise glh", options=options, explain=False) for k in involved}
    return [matrix_cell(quals[s], quals[t], minimum[s].units, minimum[t].glh, equivalences, options)
            for s, t in pairs]
