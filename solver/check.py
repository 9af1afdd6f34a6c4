"""Audit a learner's plan: valid or not, and every rule it breaks, with the numbers.

Rules are evaluated directly (no solver needed); each violation carries the same rule key the
compiler uses, so `check` and `plan`'s conflicts speak of the same rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from models import Bounds, Finding, InputError, Qualification, Severity, Unit, UnitRef

from .compile import barred_key, group_key, mandatory_key, quota_key, quota_units
from .results import CheckResult, Violation
from .solve import matched_note


def parse_units(refs: Sequence[str | UnitRef], what: str = "--units") -> list[UnitRef]:
    parsed = []
    for ref in refs:
        try:
            parsed.append(ref if isinstance(ref, UnitRef) else UnitRef.parse(ref))
        except ValueError as exc:
            raise InputError(str(exc), field=what) from None
    return parsed


def _bounds_violation(rule: str, kind: str, label: str, noun: str, actual: int,
                      bounds: Bounds | None, units: list[Unit]) -> list[Violation]:
    if bounds is None:
        return []
    gap = bounds.shortfall(actual)
    if gap == 0:
        return []
    if gap < 0:
        words = f"{label}: {actual} {noun}, needs at least {bounds.min} — short by {-gap}"
    else:
        words = f"{label}: {actual} {noun}, allows at most {bounds.max} — over by {gap}"
    return [Violation(rule=rule, kind=kind, message=words, actual=actual, min=bounds.min,
                      max=bounds.max, difference=gap, units=[str(u.ref) for u in units])]


def violations(qual: Qualification, chosen: list[Unit]) -> list[Violation]:
    """Every rule of `qual` that the set `chosen` (units of `qual`) breaks."""
    found: list[Violation] = []
    taken = {u.ref.digits for u in chosen}
    found += _bounds_violation("credits", "credits", "total", "credits",
                               sum(u.credits for u in chosen), qual.credits, chosen)
    for group in qual.groups:
        members = [u for u in chosen if u.ref in group.units]
        if group.mandatory:
            for ref in group.units:
                unit = qual.unit(ref)
                assert unit is not None
                if ref.digits not in taken:
                    found.append(Violation(
                        rule=mandatory_key(group.id, unit.ref), kind="mandatory",
                        message=f"group {group.id}: mandatory unit {unit.ref} ({unit.title}) is missing",
                        units=[str(unit.ref)]))
        found += _bounds_violation(group_key(group.id, "credits"), "group-credits", f"group {group.id}",
                                   "credits", sum(u.credits for u in members), group.credits, members)
        found += _bounds_violation(group_key(group.id, "count"), "group-count", f"group {group.id}",
                                   "units", len(members), group.count, members)
    for i, quota in enumerate(qual.level_quotas):
        counted_digits = {u.ref.digits for u in quota_units(qual, quota)}
        counted = [u for u in chosen if u.ref.digits in counted_digits]
        scope = f" from group {', '.join(quota.groups)}" if quota.groups else ""
        found += _bounds_violation(quota_key(quota, i), "level-quota", quota_key(quota, i),
                                   f"credits {quota.levels.describe()}{scope}",
                                   sum(u.credits for u in counted), quota.credits, counted)
    for pair in qual.barred:
        a, b = (qual.unit(ref) for ref in pair.units)
        if a is not None and b is not None and a.ref != b.ref and {a.ref.digits, b.ref.digits} <= taken:
            found.append(Violation(rule=barred_key(a.ref, b.ref), kind="barred",
                                   message=f"barred: {a.ref} may not be taken with {b.ref}",
                                   units=[str(a.ref), str(b.ref)]))
    return found


def check(qual: Qualification, refs: Sequence[str | UnitRef]) -> CheckResult:
    """Is this set of units a valid way to achieve `qual`? If not, every rule it breaks."""
    chosen: list[Unit] = []
    outside: list[Violation] = []
    notes: list[Finding] = []
    seen: set[str] = set()
    for ref in parse_units(refs):
        unit = qual.unit(ref)
        if ref.digits in seen:
            notes.append(Finding(code="duplicate", severity=Severity.info, qualification=str(qual.number),
                                 subject=str(ref), message=f"{ref.printed} is listed more than once"))
            continue
        seen.add(ref.digits)
        if unit is None:
            outside.append(Violation(rule=f"not in qualification {ref}", kind="not-in-qualification",
                                     message=f"unit {ref} is not part of {qual.number}", units=[str(ref)]))
            continue
        note = matched_note(qual, ref, unit, "")
        if note is not None:
            notes.append(note)
        chosen.append(unit)
    broken = outside + violations(qual, chosen)
    return CheckResult(
        qualification=str(qual.number), title=qual.title, valid=not broken,
        units=[str(u.ref) for u in chosen], glh=sum(u.glh for u in chosen),
        tqt=sum(u.hours for u in chosen), credits=sum(u.credits for u in chosen),
        violations=broken, notes=notes)
