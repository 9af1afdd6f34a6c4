"""Lint with the solver: the catalogue's file checks, plus what only solving can find.

Feasibility of the rules, and published GLH, TQT and credit figures against the range the rules
allow (a published GLH below the achievable minimum, TQT figures swapped between two
qualifications). The file-only checks live in `catalog.lint`, which never imports the solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from catalog import builtin
from catalog.lint import finding, lint_files, ordered
from models import Finding, Qualification, Severity

from .plan import plan

W, E = Severity.warning, Severity.error


def lint(quals: Iterable[Qualification]) -> list[Finding]:
    """Every data finding about `quals`, errors first within each qualification."""
    quals = list(quals)
    return ordered(lint_files(quals) + check_achievable(quals))


def lint_in_catalogue(quals: Iterable[Qualification]) -> list[Finding]:
    """The findings about `quals`, with the built-in catalogue beside them: the checks across
    files (one unit printed two ways or with other figures, TQT figures swapped between two
    qualifications) then find the same about a qualification whether it is looked at alone or
    with others."""
    quals = list(quals)
    given = {q.number.digits for q in quals}
    numbers = {str(q.number) for q in quals}
    context = quals + [q for q in builtin() if q.number.digits not in given]
    return [f for f in lint(context) if f.qualification in numbers
            or (f.qualification is None and any(number in f.message for number in numbers))]


def check_achievable(quals: Sequence[Qualification]) -> list[Finding]:
    """Feasibility, and published GLH, TQT and credits against what the rules allow."""
    found = []
    minimum_tqt: dict[str, int] = {}
    for qual in quals:
        low_credits = plan(qual, "minimise credits")
        if low_credits.credits is None:
            found.append(finding(qual, "infeasible", E,
                                  "no set of units satisfies the rules of combination"))
            continue
        low_glh, high_glh = plan(qual, "minimise glh"), plan(qual, "maximise glh")
        minimum_tqt[qual.number.digits] = low_credits.credits * 10
        found += _published_glh(qual, low_glh.glh, high_glh.glh)
        published_credits = qual.published.credits
        if published_credits is not None and published_credits < low_credits.credits:
            printed = qual.as_printed("published.credits", published_credits)
            used = "" if printed == published_credits else f" (roc uses {published_credits})"
            found.append(finding(qual, "published-credits", W,
                                  f"published credit value {printed}{used} is below the "
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
            found.append(finding(qual, "published-glh", W,
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
    return [finding(qual, "published-tqt", W, message, "published.tqt")]


def _printed_tqt(qual: Qualification) -> int | None:
    return qual.as_printed("published.tqt", qual.published.tqt)


