"""Audit a learner's plan: valid or not, and every rule it breaks, with the numbers.

Rules are evaluated straight from the qualification's rule registry (no solver needed), so each
violation carries the same rule key the compiler posts: `check` and `plan`'s conflicts speak of
the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from models import (
    BarredRule,
    Finding,
    LinearRule,
    MandatoryRule,
    Qualification,
    RuleKind,
    Severity,
    Unit,
    UnitRef,
)

from .plan_result import matched_note
from .results import CheckResult, Violation


def check_linear(rule: LinearRule, chosen: Sequence[Unit]) -> Violation | None:
    """A linear rule (credits, group credits or count, level quota) against a set of units."""
    if rule.bounds is None:
        return None
    counted = rule.counted(chosen)
    actual = rule.total(chosen)
    gap = rule.bounds.shortfall(actual)
    if gap == 0:
        return None
    if gap < 0:
        words = f"{rule.label}: {actual} {rule.noun}, needs at least {rule.bounds.min} — short by {-gap}"
    else:
        words = f"{rule.label}: {actual} {rule.noun}, allows at most {rule.bounds.max} — over by {gap}"
    return Violation(rule=rule.key, kind=rule.kind, message=words, actual=actual, min=rule.bounds.min,
                     max=rule.bounds.max, difference=gap, units=[str(u.ref) for u in counted])


def check_mandatory(rule: MandatoryRule, chosen: Sequence[Unit]) -> Violation | None:
    if any(u.ref == rule.unit.ref for u in chosen):
        return None
    return Violation(rule=rule.key, kind=rule.kind, units=[str(rule.unit.ref)],
                     message=f"group {rule.group}: mandatory unit {rule.unit.ref} ({rule.unit.title}) is missing")


def check_barred(rule: BarredRule, chosen: Sequence[Unit]) -> Violation | None:
    taken = {u.ref.digits for u in chosen}
    if not all(u.ref.digits in taken for u in rule.units):
        return None
    return Violation(rule=rule.key, kind=rule.kind, message=rule.text, units=[str(u.ref) for u in rule.units])


CHECK = {LinearRule: check_linear, MandatoryRule: check_mandatory, BarredRule: check_barred}


def violations(qual: Qualification, chosen: Sequence[Unit]) -> list[Violation]:
    """Every rule of `qual` that the set `chosen` (units of `qual`) breaks, in specification order."""
    found = (CHECK[type(rule)](rule, chosen) for rule in qual.rules)  # type: ignore[operator]
    return [v for v in found if v is not None]


def _distinct_units(qual: Qualification, refs: Iterable[UnitRef]) -> tuple[list[Unit], list[Violation], list[Finding]]:
    chosen: list[Unit] = []
    outside: list[Violation] = []
    notes: list[Finding] = []
    seen: set[str] = set()
    for ref in refs:
        if ref.digits in seen:
            notes.append(Finding(code="duplicate", severity=Severity.info, qualification=str(qual.number),
                                 subject=str(ref), message=f"{ref.printed} is listed more than once"))
            continue
        seen.add(ref.digits)
        unit = qual.unit(ref)
        if unit is None:
            outside.append(Violation(rule=f"not in qualification {ref}", kind=RuleKind.not_in_qualification,
                                     message=f"unit {ref} is not part of {qual.number}", units=[str(ref)]))
            continue
        note = matched_note(qual, ref, unit, "")
        if note is not None:
            notes.append(note)
        chosen.append(unit)
    return chosen, outside, notes


def check(qual: Qualification, refs: Sequence[str | UnitRef]) -> CheckResult:
    """Is this set of units a valid way to achieve `qual`? If not, every rule it breaks, with the
    numbers (a unit outside `qual` is one more broken rule). Raises InputError for a reference
    that is not one."""
    chosen, outside, notes = _distinct_units(qual, UnitRef.parse_all(refs, "units"))
    broken = outside + violations(qual, chosen)
    return CheckResult(
        qualification=str(qual.number), title=qual.title, valid=not broken,
        units=[str(u.ref) for u in chosen], glh=sum(u.glh for u in chosen),
        tqt=sum(u.tqt for u in chosen), credits=sum(u.credits for u in chosen),
        violations=broken, notes=notes)
