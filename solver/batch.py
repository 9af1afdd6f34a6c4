"""Batch what-if runs: stream scenarios through compiled templates, one result line each.

- Each worker process compiles a qualification once (a `Template`) and reuses it for every
  scenario naming it; CP-SAT runs one search worker per process.
- Results are appended to the output as each chunk finishes and flushed, so an interrupted run
  loses no finished result; running again with the same output skips every scenario already
  there (a partial last line, from a kill mid-write, is dropped first).
- A bad scenario becomes an error record and the run goes on. A worker process that dies is
  replaced and its chunk retried; a scenario that kills workers three times becomes an error.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models import InputError, RocError, Scenario

from .results import ScenarioResult
from .scenario import Template
from .solve import SolveOptions

CHUNK = 128
_TEMPLATES: dict[str, Template] = {}  # per process: qualification spec -> compiled template


def _template(spec: str) -> Template:
    template = _TEMPLATES.get(spec)
    if template is None:
        from catalog import builtin

        template = _TEMPLATES[spec] = Template(builtin().resolve(spec))
    return template


def _error(scenario_id: str, message: str, qualification: str | None = None) -> dict[str, Any]:
    return ScenarioResult(id=scenario_id, qualification=qualification, status="error",
                          error=message).model_dump(mode="json")


def solve_entry(entry: dict[str, Any], options: SolveOptions = SolveOptions()) -> dict[str, Any]:
    """One raw scenario entry to one result record (never raises for a bad scenario)."""
    scenario_id = str(entry.get("id") or "?")
    _fault_injection(scenario_id)
    try:
        scenario = Scenario.model_validate(entry)
        return _template(scenario.qualification).solve(scenario, options).model_dump(mode="json")
    except ValidationError as exc:
        from catalog.loader import describe_validation_error

        return _error(scenario_id, describe_validation_error(exc), entry.get("qualification"))
    except RocError as exc:
        return _error(scenario_id, str(exc), entry.get("qualification"))
    except Exception as exc:  # a bug must not stop 100,000 scenarios: record it, loudly
        return _error(scenario_id, f"internal error (please report): {type(exc).__name__}: {exc}",
                      entry.get("qualification"))


def solve_chunk(entries: list[dict[str, Any]], options: SolveOptions = SolveOptions()) -> list[dict[str, Any]]:
    return [solve_entry(entry, options) for entry in entries]


def _fault_injection(scenario_id: str) -> None:
    """Test hook: ROC_FAULT_EXIT_ON=<id> kills the worker at that scenario once (the marker file
    ROC_FAULT_MARKER records that it happened), as an out-of-memory kill would."""
    target = os.environ.get("ROC_FAULT_EXIT_ON")
    if target and scenario_id == target:
        marker = Path(os.environ.get("ROC_FAULT_MARKER", "/tmp/roc-fault-marker"))
        if not marker.exists():
            marker.touch()
            os._exit(9)


# -- backends: chunks of entries in, lists of records out, in completion order --------------------------
class InlineBackend:
    """Everything in this process: no start-up cost, for small runs and one worker."""

    def __init__(self, options: SolveOptions) -> None:
        self.options = options

    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        for chunk in chunks:
            yield solve_chunk(chunk, self.options)

    def close(self) -> None:
        pass


class ProcessBackend:
    """A local process pool; a pool broken by a dying worker is replaced and its chunks retried."""

    def __init__(self, workers: int, options: SolveOptions) -> None:
        import multiprocessing

        self.workers, self.options = workers, options
        self.context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.context)

    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        source = iter(chunks)
        retry: list[tuple[list[dict], int]] = []
        flight: dict[Future, tuple[list[dict], int]] = {}
        exhausted = False
        while True:
            while len(flight) < 2 * self.workers and (retry or not exhausted):
                if retry:
                    chunk, tries = retry.pop()
                else:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                        break
                    tries = 0
                flight[self.pool.submit(solve_chunk, chunk, self.options)] = (chunk, tries)
            if not flight:
                return
            done, _ = wait(flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                chunk, tries = flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    retry += self._again(chunk, tries)
            if broken:  # every chunk still in flight died with the pool
                for future, (chunk, tries) in list(flight.items()):
                    retry += self._again(chunk, tries)
                flight.clear()
                self.pool.shutdown(wait=False, cancel_futures=True)
                self.pool = self._new_pool()
                failed = [chunk for chunk, tries in retry if tries >= 3]
                retry = [(chunk, tries) for chunk, tries in retry if tries < 3]
                for chunk in failed:
                    yield [_error(str(e.get("id") or "?"), "a worker process died solving this scenario "
                                  "three times; not solved", e.get("qualification")) for e in chunk]

    @staticmethod
    def _again(chunk: list[dict], tries: int) -> list[tuple[list[dict], int]]:
        # Retry a chunk whole once, then one scenario at a time to find the one at fault.
        if len(chunk) > 1 and tries >= 1:
            return [([entry], 1) for entry in chunk]
        return [(chunk, tries + 1)]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def make_backend(name: str, workers: int, options: SolveOptions, address: str | None = None):
    if name == "ray":
        from .distributed import RayBackend

        return RayBackend(workers, options, address)
    if name != "local":
        raise InputError(f"--backend {name!r}: expected local or ray")
    return InlineBackend(options) if workers <= 1 else ProcessBackend(workers, options)


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
    from catalog.scenarios import read_scenarios

    seen: set[str] = set()
    for where, entry in read_scenarios(source):
        if isinstance(entry, InputError):
            if where not in done:
                yield {"_record": _error(where, str(entry))}
            else:
                summary.skipped += 1
            continue
        scenario_id = entry.get("id")
        if not isinstance(scenario_id, str) or not scenario_id:
            if where in done:
                summary.skipped += 1
            else:
                yield {"_record": _error(where, f"{where}: id: every scenario needs a text id")}
            continue
        if scenario_id in done:
            summary.skipped += 1
            continue
        if scenario_id in seen:
            yield {"_record": _error(f"{scenario_id} ({where})", f"{where}: id {scenario_id!r} is used twice")}
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


def run_batch(source: Path, out: Path, *, workers: int = 1, backend: str = "local",
              address: str | None = None, options: SolveOptions = SolveOptions(),
              progress: bool = False, chunk: int = CHUNK) -> BatchSummary:
    from catalog.scenarios import check_source, count_scenarios

    check_source(source)
    summary = BatchSummary(out=str(out))
    if out.is_dir():
        raise InputError("is a folder; --out takes the results file to write or resume", file=str(out))
    done = finished_ids(out)
    total = count_scenarios(source)
    runner = make_backend(backend, workers, options, address)
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=total, initial=len(done) if total else 0, unit="scenario", dynamic_ncols=True,
                   mininterval=0.5, smoothing=0.1)
    started = time.perf_counter()
    direct: list[dict] = []
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        sink_file = out.open("a", encoding="utf-8")
    except OSError as exc:
        runner.close()
        raise InputError(f"cannot write the results ({exc.strerror or exc})", file=str(out)) from None
    try:
        with sink_file as sink:
            def write(records: list[dict]) -> None:
                sink.write("".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n"
                                   for r in records))
                sink.flush()
                summary.written += len(records)
                summary.statuses.update(r["status"] for r in records)
                if bar is not None:
                    bar.update(len(records))

            for records in runner.map_chunks(_chunks(pending_entries(source, done, summary), chunk, direct)):
                if direct:
                    write(direct)
                    direct.clear()
                write(records)
            if direct:
                write(direct)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        runner.close()
        if bar is not None:
            bar.close()
        summary.seconds = time.perf_counter() - started
    return summary
