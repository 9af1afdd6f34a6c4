"""Data findings: what the specifications printed wrongly or inconsistently.

Nothing here changes data, and nothing here solves: each check reads the files and returns
findings; `lint` runs them all. The checks that need the achievable range (feasibility, published
GLH, TQT and credits) are the solver's (`solver.analysis.lint`), which adds them to these.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from models import Finding, Qualification, Severity

W, E, I = Severity.warning, Severity.error, Severity.info


def finding(qual: Qualification, code: str, severity: Severity, message: str,
             subject: str | None = None) -> Finding:
    return Finding(code=code, severity=severity, qualification=str(qual.number), subject=subject,
                   message=message, where=str(qual.source))


def check_references(qual: Qualification) -> list[Finding]:
    """Misprinted references: missing slashes, check characters that do not match the digits."""
    found = []
    for problem in qual.number.problems():
        found.append(finding(qual, "qualification-number", W, f"qualification number {problem}",
                              str(qual.number)))
    for field, ref in qual.all_refs():
        for problem in ref.problems():
            code = "ref-check-letter" if "check character" in problem else "ref-format"
            found.append(finding(qual, code, W, f"{field}: unit reference {problem}", ref.normalised))
    return found


def check_conflicting_references(quals: Sequence[Qualification]) -> list[Finding]:
    """One unit (same digits) printed with different check letters, within or across files."""
    printed: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for qual in quals:
        for field, ref in qual.all_refs():
            printed[ref.digits][ref.check].append(f"{qual.number} {field}")
    found = []
    for digits, by_letter in sorted(printed.items()):
        if len(by_letter) < 2:
            continue
        some = next(iter(by_letter))
        ref = next(r for q in quals for _, r in q.all_refs() if r.digits == digits and r.check == some)
        forms = "; ".join(f"{letter}/{digits[:3]}/{digits[3:]} in {', '.join(places[:3])}"
                          + (f" and {len(places) - 3} more" if len(places) > 3 else "")
                          for letter, places in sorted(by_letter.items()))
        found.append(Finding(
            code="ref-conflict", severity=W, subject=ref.corrected,
            message=f"one unit printed with {len(by_letter)} check letters: {forms}; "
                    f"the digits call for {ref.corrected}, and roc treats them as one unit"))
    return found


def check_unit_agreement(quals: Sequence[Qualification]) -> list[Finding]:
    """The same unit must have the same level, credits and GLH wherever it is printed."""
    seen: dict[str, list[tuple[Qualification, object]]] = defaultdict(list)
    for qual in quals:
        for unit in qual.units:
            seen[unit.ref.digits].append((qual, unit))
    found = []
    for entries in seen.values():
        for name in ("level", "credits", "glh", "tqt"):
            values = {getattr(unit, name) for _, unit in entries}
            if len(values) > 1:
                where = ", ".join(f"{getattr(u, name)} in {q.number}" for q, u in entries)
                ref = entries[0][1].ref  # type: ignore[attr-defined]
                found.append(Finding(code="unit-conflict", severity=W, subject=str(ref),
                                     message=f"unit {ref} has different {name}: {where}"))
    return found


def check_barred_pairs(qual: Qualification) -> list[Finding]:
    found = []
    for i, pair in enumerate(qual.barred):
        outside = [ref for ref in pair.units if qual.unit(ref) is None]
        for ref in outside:
            found.append(finding(
                qual, "barred-outside", W,
                f"barred[{i}] ({pair.units[0].printed} with {pair.units[1].printed}) names "
                f"{ref.printed}, which is not a unit of this qualification: the pair cannot bind",
                ref.normalised))
    return found


def check_hours(qual: Qualification) -> list[Finding]:
    """A unit's guided learning hours are part of its total qualification time: GLH above TQT is a
    misprint in one of them."""
    return [finding(qual, "glh-over-tqt", W, f"unit {unit.ref}: GLH {unit.glh} is more than its TQT {unit.tqt} "
                    "(TQT includes the guided hours): one of them is misprinted", str(unit.ref))
            for unit in qual.units if unit.glh > unit.tqt]


def check_corrections(qual: Qualification) -> list[Finding]:
    return [finding(qual, "correction", I,
                     f"{c.field}: printed {c.printed!r}, roc uses {c.value!r}: {c.reason}", c.field)
            for c in qual.corrections]


def lint_files(quals: Iterable[Qualification]) -> list[Finding]:
    """Every data finding that reading the files can make, in no particular order."""
    quals = list(quals)
    found: list[Finding] = []
    for qual in quals:
        found += check_references(qual) + check_barred_pairs(qual) + check_hours(qual) + check_corrections(qual)
    found += check_conflicting_references(quals) + check_unit_agreement(quals)
    return found


SEVERITY_ORDER = {E: 0, W: 1, I: 2}


def ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by qualification, then severity (errors first), then code."""
    return sorted(findings, key=lambda f: (f.qualification or "", SEVERITY_ORDER[f.severity], f.code))
