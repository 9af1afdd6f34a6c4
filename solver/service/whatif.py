"""What-if studies: a grid of scenarios checked before it is written, a batch run on a backend,
and the summary of its results."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from models import Objective, Qualification

from ..engine import SolveOptions
from ..whatif import BatchSummary, expand, parse_percent_range, run_batch
from ..whatif.summary import WhatIfSummary, summarise
from .compute import Compute


class GridQuestion(BaseModel):
    """A scenario grid (`roc whatif expand`): the baseline of each qualification and goal, and
    the changes asked for."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    objective: list[str] = Field(default=["minimise glh"], max_length=8)
    glh_percent: str | None = Field(default=None, max_length=40)
    withdraw_each: bool = False
    each_unit: bool = False
    cross: bool = False


def same_as_earlier(entries: Iterable[dict[str, object]]) -> Iterator[tuple[dict[str, object], bool]]:
    """Each entry, and whether an earlier one asks the same (every field but the id equal: GLH
    revised by -20%, -19% and -18% can round to the same hours)."""
    seen: set[str] = set()
    for entry in entries:
        key = json.dumps({k: v for k, v in entry.items() if k != "id"}, sort_keys=True, separators=(",", ":"))
        yield entry, key in seen
        seen.add(key)


def whatif_expand(quals: Sequence[Qualification], question: GridQuestion = GridQuestion(),
                  specs: Sequence[str] | None = None) -> Iterator[dict[str, object]]:
    """The grid's scenario entries; every objective and the GLH range are checked before the
    first entry is made (`specs[i]` names `quals[i]` for the run)."""
    objectives = [str(Objective.parse(text, field="objective")) for text in question.objective or ["minimise glh"]]
    text = (question.glh_percent or "").strip()
    percents = parse_percent_range(text) if text else []
    return expand(quals, objectives, question.withdraw_each, percents, question.cross, question.each_unit,
                  list(specs) if specs else None)


def whatif_run(scenarios: Path, out: Path, compute: Compute = Compute(), time_limit: float | None = None,
               progress: bool = False) -> BatchSummary:
    """Solve every scenario of `scenarios` not already in `out` (a run resumes), on `compute`."""
    return run_batch(scenarios, out, workers=compute.workers, backend=compute.backend, address=compute.address,
                     options=SolveOptions(time_limit=time_limit), progress=progress)


def whatif_summarise(results: Path, baseline: str = "baseline") -> WhatIfSummary:
    """Each qualification and goal: the baseline against every scenario."""
    return summarise(results, baseline)
