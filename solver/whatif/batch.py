"""Batch what-if runs: stream scenarios through a backend, one result line each.

- Scenarios are read lazily and sent in chunks to a backend (backends/): this process, a local
  process pool, or Ray; each worker compiles a qualification once (worker.py).
- Results are appended to the output as each chunk finishes and flushed, so an interrupted run
  loses no finished result; running again with the same output skips every scenario already
  there. The output is only ever appended to (results_file.py): a file that is not a roc results
  file is refused, an unfinished last line is moved aside, one run at a time writes it.
- Ctrl-C stops the run between scenarios: nothing unfinished is written.
- A bad scenario becomes an error record and the run goes on; so does a scenario that kills the
  worker solving it (backends/).
"""

from __future__ import annotations

import json
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from tqdm import tqdm

from catalog.scenarios import check_source, count_scenarios, read_scenarios
from models import InputError, RocError

from ..engine import SolveOptions
from .backends import BackendFailure, BackendName, make_backend
from .records import error_record
from .results_file import Finished, check_out, finished_ids, mend, open_results, results_lock

CHUNK = 128


# -- the run --------------------------------------------------------------------------------------------
@dataclass
class BatchSummary:
    out: str
    written: int = 0
    skipped: int = 0
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    interrupted: bool = False
    earlier: Counter = field(default_factory=Counter)  # statuses of the records already there
    notes: list[str] = field(default_factory=list)  # what the user should know (mended, corrupt lines)

    @property
    def errors(self) -> int:
        """Scenarios of the source that could not be run, in this run or an earlier one."""
        return self.statuses.get("error", 0) + self.earlier.get("error", 0)

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def pending_entries(source: Path, done: set[str], summary: BatchSummary) -> Iterator[dict]:
    """Scenario entries not yet in the output; unreadable ones come out as error records
    (marked with `_record`)."""
    seen: set[str] = set()
    for where, entry in read_scenarios(source):
        if isinstance(entry, InputError):
            if where not in done:
                yield {"_record": error_record(where, str(entry))}
            else:
                summary.skipped += 1
            continue
        scenario_id = entry.get("id")
        if not isinstance(scenario_id, str) or not scenario_id:
            if where in done:
                summary.skipped += 1
            else:
                yield {"_record": error_record(where, f"{where}: id: every scenario needs a text id")}
            continue
        if scenario_id in done:
            summary.skipped += 1
            continue
        if scenario_id in seen:
            yield {"_record": error_record(f"{scenario_id} ({where})", f"{where}: id {scenario_id!r} is used twice")}
            continue
        seen.add(scenario_id)
        yield entry


def _chunks(entries: Iterator[dict], size: int, direct: list[dict]) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for entry in entries:
        if "_record" in entry:
            direct.append(entry["_record"])
            continue
        chunk.append(entry)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Sink:
    """Appends records to the results file, flushed per chunk, and counts them."""

    def __init__(self, handle, summary: BatchSummary, bar) -> None:
        self.handle, self.summary, self.bar = handle, summary, bar

    def write(self, records: list[dict]) -> None:
        if not records:
            return
        self.handle.write("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                                  for r in records))
        self.handle.flush()
        self.summary.written += len(records)
        self.summary.statuses.update(r["status"] for r in records)
        if self.bar is not None:
            self.bar.update(len(records))


@contextmanager
def _stop_on_interrupt(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C (SIGINT) sets `stop` instead of raising: the run ends between scenarios, so nothing
    unfinished is ever written. Only the main thread can hold a signal handler."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _earlier(found: Finished, summary: BatchSummary, out: Path) -> set[str]:
    summary.earlier = found.statuses
    summary.notes += [f"{out}:{line}: not a result record; left as it is, and its scenario (if any) is solved "
                      "again" for line in found.corrupt[:20]]
    if len(found.corrupt) > 20:
        summary.notes.append(f"{out}: {len(found.corrupt) - 20} more lines that are not result records")
    if note := mend(out, found):
        summary.notes.append(note)
    return found.ids


def run_batch(source: Path, out: Path, *, workers: int = 1, backend: BackendName | str = BackendName.local,
              address: str | None = None, options: SolveOptions = SolveOptions(),
              progress: bool = False, chunk: int = CHUNK) -> BatchSummary:
    """Solve every scenario of `source` not already in `out`, appending one record each to `out`.
    Ctrl-C stops the run between scenarios with every finished record kept (`summary.interrupted`)."""
    check_source(source)
    check_out(out, source)
    summary = BatchSummary(out=str(out))
    stop = threading.Event()
    with results_lock(out):
        done = _earlier(finished_ids(out), summary, out)
        # the backend first: one that cannot start (Ray unreachable) leaves no results file behind
        runner = make_backend(backend, workers, replace(options, interruptible=False), address, stop)
        total = count_scenarios(source)
        bar = tqdm(total=total, initial=len(done) if total else 0, unit="scenario", dynamic_ncols=True,
                   mininterval=0.5, smoothing=0.1) if progress else None
        started = time.perf_counter()
        try:
            with open_results(out) as handle, _stop_on_interrupt(stop):
                _run(runner, pending_entries(source, done, summary), _Sink(handle, summary, bar), chunk, stop)
        except OSError as exc:  # a full disk, a file-size limit: said in one line, the finished kept
            stop.set()
            raise RocError(f"cannot write to {out} ({exc.strerror or exc}). The run was stopped; the "
                           f"{summary.written} results finished in it are kept: make room, then run the same "
                           "command again to resume") from None
        except BackendFailure as exc:
            stop.set()
            raise BackendFailure(f"{exc}. The run was stopped; the {summary.written} results finished in it are "
                                 f"kept in {out}: run the same command again to resume") from None
        finally:
            runner.close(abort=stop.is_set())
            if bar is not None:
                bar.close()
            summary.seconds = time.perf_counter() - started
            summary.interrupted = stop.is_set()
    return summary


def _run(runner, entries: Iterator[dict], sink: "_Sink", chunk: int, stop: threading.Event) -> None:
    """Every record a backend gives back is a finished solve (after Ctrl-C a backend gives back
    what it finished and no more), and error records for unreadable scenarios are whole too."""
    direct: list[dict] = []
    for records in runner.map_chunks(_chunks(entries, chunk, direct)):
        sink.write(direct)
        direct.clear()
        sink.write(records)
        if stop.is_set():
            return
    sink.write(direct)
