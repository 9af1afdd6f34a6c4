"""Whole-catalogue work on the batch backends: `compare` and `transfer-matrix` over thousands of
qualifications, on the local process pool or on Ray.

Each qualification (compare) or ordered pair (transfer matrix) is one task entry, sent in chunks
through the same backends as what-if scenarios, so a dying worker is handled the same way: its
chunk is run again alone, and a task that kills its worker twice is an error. Qualifications travel
as what names them (a catalogue number or a file path, which every worker must be able to read: on
a Ray cluster, a shared file system or the catalogue installed on every node). Results come back
in the order asked for; if any task fails, the run fails with the first failure named, so a
partial table is never shown as complete.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from models import Equivalence, Qualification, RocError

from ..analysis.alternatives import COUNT_LIMIT
from ..analysis.compare import with_findings
from ..analysis.results import ComparisonRow, MatrixCell
from ..engine import SolveOptions
from .backends import BackendName, make_backend

COMPARE_CHUNK = 8  # qualifications per chunk: a compare is 4 plans and a count, tens of ms
PAIR_CHUNK = 32  # ordered pairs per chunk: two transfers, a few ms


class CatalogueRunFailed(RocError):
    """A task of a whole-catalogue run failed: nothing is reported as if it were complete."""


def _chunks(entries: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(entries), size):
        yield entries[start:start + size]


def run_tasks(entries: list[dict], chunk: int, workers: int, backend: BackendName | str = BackendName.local,
              address: str | None = None, options: SolveOptions = SolveOptions()) -> list[dict]:
    """Every entry's result row, in the order of `entries`. Raises CatalogueRunFailed naming the
    first task that failed."""
    runner = make_backend(backend, workers, replace(options, interruptible=False), address)
    found: dict[str, dict] = {}
    aborted = True
    try:
        for records in runner.map_chunks(_chunks(entries, chunk)):
            for record in records:
                if record.get("status") != "done":
                    raise CatalogueRunFailed(f"task {record.get('id')} failed: {record.get('error')}; "
                                             "nothing was reported")
                found[record["id"]] = record["row"]
        aborted = False
    finally:
        runner.close(abort=aborted)
    missing = [e["id"] for e in entries if e["id"] not in found]
    if missing:
        raise CatalogueRunFailed(f"{len(missing)} tasks were not run (first: {missing[0]}); nothing was reported")
    return [found[e["id"]] for e in entries]


def compare_catalogue(quals: Sequence[Qualification], specs: Sequence[str], workers: int,
                      backend: BackendName | str = BackendName.local, address: str | None = None,
                      count_limit: int | None = COUNT_LIMIT, options: SolveOptions = SolveOptions()) -> list[ComparisonRow]:
    """`compare`'s rows for `quals` (named for the workers by `specs`), computed by `workers`
    processes; the same rows as `compare(quals)` (findings are counted here, across them all)."""
    entries = [{"id": str(k), "task": "compare", "qualification": spec, "count_limit": count_limit}
               for k, spec in enumerate(specs)]
    rows = [ComparisonRow.model_validate(row) for row in run_tasks(entries, COMPARE_CHUNK, workers, backend, address,
                                                                     options)]
    return with_findings(rows, quals)


def transfer_catalogue(specs: Sequence[str], pairs: Sequence[tuple[int, int]], workers: int,
                       backend: BackendName | str = BackendName.local, address: str | None = None,
                       equivalences: Sequence[Equivalence] = (),
                       options: SolveOptions = SolveOptions()) -> list[MatrixCell]:
    """The transfer matrix's cells for `pairs` (positions in `specs`), computed by `workers`
    processes."""
    declared = [e.model_dump(mode="json") for e in equivalences]
    entries = [{"id": str(k), "task": "transfer", "source": specs[s], "target": specs[t],
                "equivalences": declared} for k, (s, t) in enumerate(pairs)]
    return [MatrixCell.model_validate(row) for row in run_tasks(entries, PAIR_CHUNK, workers, backend, address, options)]
