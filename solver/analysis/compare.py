"""Compare qualifications side by side: achievable GLH and TQT against what is published."""

from __future__ import annotations

from collections.abc import Sequence

from models import Finding, Qualification, Severity, Status

from ..engine import SolveOptions
from .alternatives import COUNT_LIMIT, count
from .lint import lint
from .plan import plan
from .results import ComparisonRow


def _published_glh(qual: Qualification) -> str | None:
    glh = qual.published.glh_range
    if glh is None:
        return None
    return str(glh[0]) if glh[0] == glh[1] else f"{glh[0]}-{glh[1]}"


def _counts(findings: Sequence[Finding], qual: Qualification) -> int:
    number = str(qual.number)
    return sum(1 for f in findings if f.severity is not Severity.info
               and (f.qualification == number or (f.qualification is None and number in f.message)))


def compare(quals: Sequence[Qualification], options: SolveOptions = SolveOptions(),
            count_limit: int | None = COUNT_LIMIT) -> list[ComparisonRow]:
    """One row per qualification: achievable credits, GLH range and TQT, proven, against the
    published figures, with the number of valid sets and of data findings."""
    findings = lint(quals)
    rows = []
    for qual in quals:
        low, high = plan(qual, "minimise glh", options=options), plan(qual, "maximise glh", options=options)
        tqt, credits = plan(qual, "minimise tqt", options=options), plan(qual, "minimise credits", options=options)
        counted = count(qual, options=options, limit=count_limit)
        statuses = {p.status for p in (low, high, tqt, credits)}
        rows.append(ComparisonRow(
            awarder=qual.awarder, number=str(qual.number), title=qual.title, level=qual.level.label,
            credit_rule=qual.credits.describe("credits"), credits=credits.credits, min_glh=low.glh,
            max_glh=high.glh, published_glh=_published_glh(qual),
            published_glh_min=(qual.published.glh_range or (None, None))[0],
            published_glh_max=(qual.published.glh_range or (None, None))[1], min_tqt=tqt.tqt,
            published_tqt=qual.as_printed("published.tqt", qual.published.tqt),
            published_tqt_used=qual.published.tqt, valid_sets=counted.count, valid_sets_exact=counted.exact,
            findings=_counts(findings, qual),
            status=Status.optimal if statuses == {Status.optimal} else sorted(statuses, key=str)[0]))
    return rows
