"""Questions across qualifications: credit transfer (with suggestions), suggestions for a pair of
qualifications, the transfer matrix and the comparison, on this process, a pool or Ray."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from catalog import load_equivalences
from models import AchievedUnit, Equivalence, InputError, Measure, Qualification, UnitRef
from models.register import FundingRate

from ..analysis import compare as compare_rows
from ..analysis import transfer as run_transfer
from ..analysis import transfer_matrix as matrix
from ..analysis.alternatives import COUNT_LIMIT
from ..analysis.compare import check_money, with_money
from ..analysis.results import ComparisonRow, MatrixCell, SuggestedTransfer, Suggestions, TransferResult
from ..analysis.similarity import THRESHOLD
from ..analysis.suggest import CANDIDATES, suggest
from ..analysis.transfer import ordered_pairs
from ..engine import SolveOptions
from ..whatif.catalogue import compare_catalogue, transfer_catalogue
from .compute import Compute, worker_specs

Achieved = Sequence[AchievedUnit | str | UnitRef]


def declared_equivalences(files: Sequence[Path] = ()) -> list[Equivalence]:
    """The catalogue's declared equivalences and those of `files`."""
    declared = list(load_equivalences().equivalences)
    for path in files:
        declared += load_equivalences(path).equivalences
    return declared


class SuggestQuestion(BaseModel):
    """How suggestions are made: the score from which a target unit is a Maybe, and how many
    Maybes to show for one achieved unit."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float = Field(default=THRESHOLD, ge=0, le=1)
    candidates: int = Field(default=CANDIDATES, ge=1, le=100)


class TransferQuestion(BaseModel):
    """A transfer: what to minimise still to deliver, and whether to add suggestions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    minimise: Measure = Measure.glh
    suggest: SuggestQuestion | None = None
    time_limit: float | None = None  # seconds; checked by SolveOptions


def answer_transfer(target: Qualification, achieved: Achieved, equivalences: Sequence[Equivalence],
                    question: TransferQuestion = TransferQuestion(),
                    known: Sequence[Qualification] = ()) -> TransferResult | SuggestedTransfer:
    """What `achieved` carries into `target` and the cheapest way to finish it; with
    `question.suggest`, the Match / Maybe / Miss of every achieved unit beside it (the transfer
    itself unchanged)."""
    if not achieved:
        raise InputError("no achieved units given", field="achieved")
    options = SolveOptions(time_limit=question.time_limit)
    result = run_transfer(target, achieved, equivalences, f"minimise {question.minimise.value}", options)
    if question.suggest is None:
        return result
    found = suggest(target, achieved, equivalences, known=known, threshold=question.suggest.threshold,
                    candidates=question.suggest.candidates, options=options)
    return SuggestedTransfer(**dict(result), suggestions=found)


def suggest_pair(source: Qualification, target: Qualification, equivalences: Sequence[Equivalence],
                 question: SuggestQuestion = SuggestQuestion(), known: Sequence[Qualification] = (),
                 options: SolveOptions = SolveOptions()) -> Suggestions:
    """Every unit of `source` against `target` (`roc equivalences suggest`)."""
    return suggest(target, [u.ref for u in source.units], equivalences, source=source, known=known,
                   threshold=question.threshold, candidates=question.candidates, options=options)


def transfer_matrix(quals: Sequence[Qualification], equivalences: Sequence[Equivalence] = (),
                    options: SolveOptions = SolveOptions(), pairs: Sequence[tuple[int, int]] | None = None, *,
                    sample: int | None = None, seed: int = 0, compute: Compute = Compute(),
                    specs: Sequence[str] | None = None) -> list[MatrixCell]:
    """For every ordered pair (or `pairs`, or a random `sample` of them): GLH still to deliver in
    the target after the source's minimum-GLH plan, and after every unit of the source; on
    `compute` (`specs` name the qualifications for workers elsewhere)."""
    if sample is not None and sample < 1:
        raise InputError(f"{sample!r}: a sample is at least 1 pair", field="sample")
    chosen = list(pairs) if pairs is not None else ordered_pairs(len(quals), sample, seed)
    if compute.in_process:
        return matrix(quals, equivalences, options, pairs=chosen)
    return transfer_catalogue(worker_specs(specs, quals), chosen, compute.workers, compute.backend, compute.address,
                              equivalences, options)


def priced(rows: Sequence[ComparisonRow], funding: Mapping[str, FundingRate] | None = None,
           cost_per_glh: float | None = None, class_size: int | None = None,
           funding_notes: Mapping[str, str] | None = None) -> list[ComparisonRow]:
    """Rows already compared, with funding and margins (what `compare` adds with the same inputs)."""
    return with_money(list(rows), funding, cost_per_glh, class_size, funding_notes)


def compare(quals: Sequence[Qualification], options: SolveOptions = SolveOptions(),
            count_limit: int | None = COUNT_LIMIT, funding: Mapping[str, FundingRate] | None = None,
            cost_per_glh: float | None = None, class_size: int | None = None, *, compute: Compute = Compute(),
            specs: Sequence[str] | None = None, funding_notes: Mapping[str, str] | None = None) -> list[ComparisonRow]:
    """One row per qualification: achievable GLH and TQT against the published figures, valid
    sets, findings; funding and margins with `funding`, `cost_per_glh` and `class_size` (and, with
    `funding_notes`, why a qualification has no rate); on `compute`."""
    check_money(cost_per_glh, class_size)  # before the work, not after it
    if count_limit is not None and count_limit < 1:
        raise InputError(f"{count_limit!r}: count at least 1 set", field="count_limit")
    if compute.in_process:
        return compare_rows(quals, options, count_limit=count_limit, funding=funding, cost_per_glh=cost_per_glh,
                            class_size=class_size, funding_notes=funding_notes)
    rows = compare_catalogue(quals, worker_specs(specs, quals), compute.workers, compute.backend, compute.address,
                             count_limit, options)
    return with_money(rows, funding, cost_per_glh, class_size, funding_notes)
