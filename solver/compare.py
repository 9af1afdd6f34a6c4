"""Compare qualifications side by side: achievable GLH and TQT against what is published."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from models import Finding, Qualification, Severity

from .alternatives import count
from .results import Status
from .solve import SolveOptions, plan


class ComparisonRow(BaseModel):
    awarder: str
    number: str
    title: str
    level: str
    credit_rule: str
    credits: int | None  # of the smallest valid set
    min_glh: int | None
    max_glh: int | None
    published_glh: str | None
    min_tqt: int | None
    published_tqt: int | None  # as printed
    published_tqt_used: int | None  # after a recorded correction
    valid_sets: int | None
    valid_sets_exact: bool
    findings: int  # lint errors and warnings about this qualification
    status: Status


def _published_glh(qual: Qualification) -> str | None:
    glh = qual.published.glh_range
    if glh is None:
        return None
    return str(glh[0]) if glh[0] == glh[1] else f"{glh[0]}-{glh[1]}"


def _counts(findings: Sequence[Finding], qual: Qualification) -> int:
    number = str(qual.number)
    return sum(1 for f in findings if f.severity is not Severity.info
               and (f.qualification == number or (f.qualification is None and number in f.message)))


def compare(quals: Sequence[Qualification], options: SolveOptions = SolveOptions()) -> list[ComparisonRow]:
    from catalog.lint import lint

    findings = lint(quals)
    rows = []
    for qual in quals:
        low, high = plan(qual, "minimise glh", options=options), plan(qual, "maximise glh", options=options)
        tqt, credits = plan(qual, "minimise tqt", options=options), plan(qual, "minimise credits", options=options)
        counted = count(qual, options=options)
        statuses = {p.status for p in (low, high, tqt, credits)}
        printed = qual.as_printed("published.tqt", qual.published.tqt)
        rows.append(ComparisonRow(
            awarder=qual.awarder, number=str(qual.number), title=qual.title, level=qual.level.label,
            credit_rule=qual.credits.describe("credits"), credits=credits.credits, min_glh=low.glh,
            max_glh=high.glh, published_glh=_published_glh(qual), min_tqt=tqt.tqt, published_tqt=printed,
            published_tqt_used=qual.published.tqt, valid_sets=counted.count, valid_sets_exact=counted.exact,
            findings=_counts(findings, qual),
            status=Status.optimal if statuses == {Status.optimal} else sorted(statuses, key=str)[0]))
    return rows
