"""Batch what-if runs: stream scenarios through a backend, one result line each.

- Scenarios are read lazily and sent in chunks to a backend (backends/): this process, a local
  process pool, or Ray; each worker compiles a qualification once (worker.py).
- Results are appended to the output as each chunk finishes and flushed, so an interrupted run
  loses no finished result; running again with the same output skips every scenario already
  there (a partial last line, from a kill mid-write, is dropped first).
- A bad scenario becomes an error record and the run goes on. A worker process that dies is
  replaced and its chunk retried; a scenario that kills workers three times becomes an error.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from catalog.scenarios import check_source, count_scenarios, read_scenarios
from models import InputError

from ..engine import SolveOptions
from .backends import BackendName, make_backend
from .records import error_record

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

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def finished_ids(out: Path) -> set[str]:
    """Ids already in the output. A partial last line (a kill mid-write) is cut off first."""
    if not out.exists():
        return set()
    data = out.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        with out.open("r+b") as handle:
            handle.truncate(end)
    done = set()
    for line in data[:end].splitlines():
        try:
            done.add(json.loads(line)["id"])
        except (ValueError, KeyError, TypeError):
            continue
    return done


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


def _open_results(out: Path):
    if out.is_dir():
        raise InputError("is a folder; --out takes the results file to write or resume", file=str(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return out.open("a", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the results ({exc.strerror or exc})", file=str(out)) from None


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


def run_batch(source: Path, out: Path, *, workers: int = 1, backend: BackendName | str = BackendName.local,
              address: str | None = None, options: SolveOptions = SolveOptions(),
              progress: bool = False, chunk: int = CHUNK) -> BatchSummary:
    """Solve every scenario of `source` not already in `out`, appending one record each to `out`.
    Ctrl-C stops the run with every finished record kept (`summary.interrupted`)."""
    check_source(source)
    summary = BatchSummary(out=str(out))
    handle = _open_results(out)
    done = finished_ids(out)
    runner = make_backend(backend, workers, options, address)
    total = count_scenarios(source)
    bar = tqdm(total=total, initial=len(done) if total else 0, unit="scenario", dynamic_ncols=True,
               mininterval=0.5, smoothing=0.1) if progress else None
    started = time.perf_counter()
    direct: list[dict] = []
    try:
        with handle:
            sink = _Sink(handle, summary, bar)
            for records in runner.map_chunks(_chunks(pending_entries(source, done, summary), chunk, direct)):
                sink.write(direct)
                direct.clear()
                sink.write(records)
            sink.write(direct)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        runner.close()
        if bar is not None:
            bar.close()
        summary.seconds = time.perf_counter() - started
    return summary
