"""Compare qualifications side by side: achievable GLH and TQT against what is published."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from models import Finding, InputError, Qualification, Severity, Status
from models.cohort import MAX_CLASS
from models.figures import MAX_MONEY
from models.register import FundingRate

from ..engine import SolveOptions
from .alternatives import COUNT_LIMIT, count
from .lint import lint_in_catalogue
from .money import learner_money
from .plan import plan
from .results import ComparisonRow


def _published_glh(qual: Qualification) -> str | None:
    glh = qual.published.glh_range
    if glh is None:
        return None
    return str(glh[0]) if glh[0] == glh[1] else f"{glh[0]}-{glh[1]}"


def finding_count(findings: Sequence[Finding], qual: Qualification) -> int:
    number = str(qual.number)
    return sum(1 for f in findings if f.severity is not Severity.info
               and (f.qualification == number or (f.qualification is None and number in f.message)))


def compare(quals: Sequence[Qualification], options: SolveOptions = SolveOptions(),
            count_limit: int | None = COUNT_LIMIT, funding: Mapping[str, FundingRate] | None = None,
            cost_per_glh: float | None = None, class_size: int | None = None,
            funding_notes: Mapping[str, str] | None = None) -> list[ComparisonRow]:
    """One row per qualification: achievable credits, GLH range and TQT, proven, against the
    published figures, with the number of valid sets and of data findings.

    With `funding` (rates by qualification number, from `catalog.register.funding_rates`), and a
    `cost_per_glh` with a `class_size`: the funding rate, funding per minimum-GLH hour, and the
    margin per learner and per class when a class is taught the minimum-GLH plan."""
    check_money(cost_per_glh, class_size)
    findings = lint_in_catalogue(quals)
    rows = []
    for qual in quals:
        low, high = plan(qual, "minimise glh", options=options), plan(qual, "maximise glh", options=options)
        tqt, credits = plan(qual, "minimise tqt", options=options), plan(qual, "minimise credits", options=options)
        counted = count(qual, options=options, limit=count_limit)
        statuses = {p.status for p in (low, high, tqt, credits)}
        rows.append(ComparisonRow(
            awarder=qual.awarder, number=str(qual.number), title=qual.title, level=qual.level.label,
            credits_rule=qual.credits.describe("credits"), credits=credits.credits, min_glh=low.glh,
            max_glh=high.glh, published_glh=_published_glh(qual),
            published_glh_min=(qual.published.glh_range or (None, None))[0],
            published_glh_max=(qual.published.glh_range or (None, None))[1], min_tqt=tqt.tqt,
            published_tqt=qual.as_printed("published.tqt", qual.published.tqt),
            published_tqt_used=qual.published.tqt, valid_sets=counted.count, valid_sets_exact=counted.exact,
            findings=finding_count(findings, qual),
            status=Status.optimal if statuses == {Status.optimal} else sorted(statuses, key=str)[0]))
    return with_money(rows, funding, cost_per_glh, class_size, funding_notes)


def check_money(cost_per_glh: float | None, class_size: int | None) -> None:
    """A margin needs both a cost per GLH and a class size, each in range."""
    if (cost_per_glh is None) != (class_size is None):
        raise InputError("a margin needs both the cost per GLH and the class size (cost per GLH and class size)")
    if cost_per_glh is not None and not 0 <= cost_per_glh <= MAX_MONEY:  # NaN fails both comparisons
        raise InputError(f"{cost_per_glh!r} is not an amount from 0 to {MAX_MONEY:,}", field="cost_per_glh")
    if class_size is not None and not 1 <= class_size <= MAX_CLASS:
        raise InputError(f"{class_size!r} is not a class size from 1 to {MAX_CLASS:,}", field="class_size")


def with_findings(rows: list[ComparisonRow], quals: Sequence[Qualification]) -> list[ComparisonRow]:
    """The rows with each qualification's findings counted across all of `quals` and the built-in
    catalogue (some checks compare qualifications: rows made one at a time count only their own)."""
    findings = lint_in_catalogue(quals)
    return [row.model_copy(update={"findings": finding_count(findings, qual)}) for row, qual in zip(rows, quals)]


def with_money(rows: list[ComparisonRow], funding: Mapping[str, FundingRate] | None = None,
               cost_per_glh: float | None = None, class_size: int | None = None,
               funding_notes: Mapping[str, str] | None = None) -> list[ComparisonRow]:
    """The rows with their funding, and margin on the minimum-GLH plan (see `compare`);
    `funding_notes` say why a qualification has no rate."""
    check_money(cost_per_glh, class_size)
    notes = funding_notes or {}
    return [row.model_copy(update={**learner_money((funding or {}).get(row.number), row.min_glh, cost_per_glh,
                                                   class_size).model_dump(),
                                   "funding_note": notes.get(row.number) if funding is not None else None})
            for row in rows]
