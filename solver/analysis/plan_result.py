"""A plan from the set a solve or an enumeration chose: its figures, its units, its stages and
the notes on references given in another form. No solver here (the quick path builds plans too)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from models import Finding, Objective, Qualification, Sense, Severity, Status, Unit, UnitRef

from ..engine.options import FEWEST_UNITS
from .results import ChosenUnit, ConflictRule, Plan, PlanStage, RestrictionCost

if TYPE_CHECKING:
    from ..engine import Stage


def matched_note(qual: Qualification, given: UnitRef, unit: Unit, what: str) -> Finding | None:
    """A note when a reference someone gave differs from the catalogue's form of the same unit."""
    if given.printed == unit.ref.printed:
        return None
    check = "" if given.check_ok else f" (its check letter should be {given.expected_check})"
    return Finding(code="ref-matched", severity=Severity.info, qualification=str(qual.number),
                   subject=str(unit.ref), message=f"{what}{given.printed!r} matched unit {unit.ref} by its digits{check}")


def reference_notes(qual: Qualification, refs: Sequence[str | UnitRef], field: str) -> list[Finding]:
    """Say when a reference a user gave differs from the catalogue's (check letter, format)."""
    notes = []
    for given in UnitRef.parse_all(refs, field):
        unit = qual.unit(given)
        note = matched_note(qual, given, unit, f"{field} ") if unit is not None else None
        if note is not None:
            notes.append(note)
    return notes


def plan_stages(stages: Sequence[Stage], objective: Objective, units: Sequence[Unit], found: bool) -> list[PlanStage]:
    """The stages of a solve as a plan reports them, each with the chosen set's value for it."""
    def value(name: str) -> int | None:
        if not found:
            return None
        if name == FEWEST_UNITS:
            return len(units)
        return objective.measure.total(units) if name == objective.measure.value else None

    return [PlanStage(settles=list(stage.tiers), status=stage.status, value=value(stage.tiers[-1] if stage.tiers else ""),
                      seconds=round(stage.seconds, 6)) for stage in stages]


def build_plan(qual: Qualification, units_in_order: Sequence[Unit], objective: Objective, status: Status,
               chosen: list[int] | None, seconds: float, include: Sequence[str | UnitRef] = (),
               exclude: Sequence[str | UnitRef] = (), conflict: Sequence[ConflictRule] = (),
               stages: Sequence[Stage] = ()) -> Plan:
    """A Plan from the unit positions (in `units_in_order`, reference order) a solve chose (None: no set)."""
    units = [units_in_order[i] for i in chosen] if chosen is not None else []
    found = chosen is not None
    return Plan(
        qualification=str(qual.number), title=qual.title, goal=str(objective), status=status,
        objective=objective.measure.total(units) if found else None,
        units=[str(u.ref) for u in units],
        glh=sum(u.glh for u in units) if found else None,
        tqt=sum(u.tqt for u in units) if found else None,
        credits=sum(u.credits for u in units) if found else None,
        detail=[ChosenUnit.of(qual, u) for u in units],
        include=[str(u.ref) for u in qual.resolve(include, "include")],
        exclude=[str(u.ref) for u in qual.resolve(exclude, "exclude")],
        notes=reference_notes(qual, include, "include") + reference_notes(qual, exclude, "exclude"),
        conflict=list(conflict), solve_seconds=round(seconds, 6),
        stages=plan_stages(stages, objective, units, found) if len(stages) > 1 else [],
    )


def with_restriction(result: Plan, objective: Objective, unrestricted: int | None, words: Sequence[str],
                     include: Sequence[str], exclude: Sequence[str], ruled_out: Sequence[UnitRef],
                     left: int, exact: bool) -> Plan:
    """`result` with what its restrictions cost against the `unrestricted` optimum, in words, and
    the valid sets `left` under them (`exact`: not a lower bound)."""
    cost = None
    if result.objective is not None and unrestricted is not None:
        cost = (result.objective - unrestricted if objective.sense is Sense.minimise
                else unrestricted - result.objective)
    said = list(words) + [f"must include {ref}" for ref in include] + [f"must not include {ref}" for ref in exclude]
    return result.model_copy(update={"restriction": RestrictionCost(
        restrictions=said, ruled_out=[str(ref) for ref in ruled_out], measure=objective.measure.value,
        unrestricted_objective=unrestricted, cost=cost, valid_sets_left=left, valid_sets_left_exact=exact)})
