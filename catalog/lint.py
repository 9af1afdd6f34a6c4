"""Data findings: what the specifications printed wrongly or inconsistently.

Nothing here changes data. Each check returns findings; `lint` runs them all. Checks that need
the achievable range (feasibility, GLH and TQT figures) ask the engine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from models import Finding, Qualification, Severity

W, E, I = Severity.warning, Severity.error, Severity.info


def _finding(qual: Qualification, code: str, severity: Severity, message: str,
             subject: str | None = None) -> Finding:
    return Finding(code=code, severity=severity, qualification=str(qual.number), subject=subject,
                   message=message, where=str(qual.source))


def check_references(qual: Qualification) -> list[Finding]:
    """Misprinted references: missing slashes, check characters that do not match the digits."""
    found = []
    for problem in qual.number.problems():
        found.append(_finding(qual, "qualification-number", W, f"qualification number {problem}",
                              str(qual.number)))
    for field, ref in qual.all_refs():
        for problem in ref.problems():
            code = "ref-check-letter" if "check character" in problem else "ref-format"
            found.append(_finding(qual, code, W, f"{field}: unit reference {problem}", ref.normalised))
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
            found.append(_finding(
                qual, "barred-outside", W,
                f"barred[{i}] ({pair.units[0].printed} with {pair.units[1].printed}) names "
                f"{ref.printed}, which is not a unit of this qualification: the pair cannot bind",
                ref.normalised))
    return found


def check_corrections(qual: Qualification) -> list[Finding]:
    return [_finding(qual, "correction", I,
                     f"{c.field}: printed {c.printed!r}, roc uses {c.value!r}: {c.reason}", c.field)
            for c in qual.corrections]


def check_achievable(quals: Sequence[Qualification]) -> list[Finding]:
    """Feasibility, and published GLH, TQT and credits against what the rules allow."""
    from solver import plan  # the engine computes the achievable ranges

    found = []
    minimum_tqt: dict[str, int] = {}
    for qual in quals:
        low_credits = plan(qual, "minimise credits")
        if low_credits.credits is None:
            found.append(_finding(qual, "infeasible", E,
                                  "no set of units satisfies the rules of combination"))
            continue
        low_glh, high_glh = plan(qual, "minimise glh"), plan(qual, "maximise glh")
        minimum_tqt[qual.number.digits] = low_credits.credits * 10
        found += _published_glh(qual, low_glh.glh, high_glh.glh)
        published_credits = qual.published.credits
        if published_credits is not None and published_credits < low_credits.credits:
            found.append(_finding(qual, "published-credits", W,
                                  f"published credit value {published_credits} is below the "
                                  f"{low_credits.credits} credits of the smallest valid set"))
    for qual in quals:
        if qual.number.digits in minimum_tqt:
            found += _published_tqt(qual, minimum_tqt, quals)
    return found


def _published_glh(qual: Qualification, low: int | None, high: int | None) -> list[Finding]:
    published = qual.published.glh_range
    if published is None or low is None or high is None:
        return []
    found = []
    for figure in sorted(set(published)):
        if not low <= figure <= high:
            side = "below the minimum" if figure < low else "above the maximum"
            found.append(_finding(qual, "published-glh", W,
                                  f"published GLH {figure} is {side} achievable: valid sets "
                                  f"need {low} to {high} GLH", "published.glh"))
    return found


def _published_tqt(qual: Qualification, minimum_tqt: dict[str, int],
                   quals: Sequence[Qualification]) -> list[Finding]:
    printed = _printed_tqt(qual)
    need = minimum_tqt[qual.number.digits]
    twins = [other for other in quals if other is not qual and printed != need
             and minimum_tqt.get(other.number.digits) == printed and _printed_tqt(other) == need]
    if printed is None or (printed >= need and not twins):
        return []
    relation = "below" if printed < need else "not"
    message = (f"published TQT {printed} is {relation} 10 x the {need // 10} credits of the "
               f"smallest valid set ({need})")
    if twins:
        message += f"; it is the figure for {twins[0].number}, which prints {need}: the two are swapped"
    if qual.is_corrected("published.tqt"):
        message += f" (corrected in the catalogue to {qual.published.tqt})"
    return [_finding(qual, "published-tqt", W, message, "published.tqt")]


def _printed_tqt(qual: Qualification) -> int | None:
    return qual.as_printed("published.tqt", qual.published.tqt)


def lint(quals: Iterable[Qualification]) -> list[Finding]:
    quals = list(quals)
    found: list[Finding] = []
    for qual in quals:
        found += check_references(qual) + check_barred_pairs(qual) + check_corrections(qual)
    found += check_conflicting_references(quals) + check_unit_agreement(quals)
    found += check_achievable(quals)
    order = {E: 0, W: 1, I: 2}
    return sorted(found, key=lambda f: (f.qualification or "", order[f.severity], f.code))
