"""Local backends: this process, or a pool of worker processes that survives a dying worker.

A pool broken by a dying worker is replaced, and every chunk that was in flight is a suspect: each
is run again alone (nothing else in flight), so a death then is that chunk's own. A chunk of many
scenarios that dies alone is split into single scenarios; a single scenario that dies alone twice
is an error record. Innocent scenarios are never blamed, whatever the number of workers.

Workers ignore Ctrl-C (the main process decides when to stop) and exit by themselves when the
main process is gone, even after SIGKILL: the kernel's parent-death signal where Linux has it,
and a watchdog thread everywhere. After a stop the main process tells them through a shared event:
each ends its chunk at the next scenario and exits, so none is killed in the middle of sending a
result (which left the pool's result pipe half-written and the main process waiting on it for
ever); only a worker still busy after GRACE seconds is killed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ...engine import SolveOptions
from ..records import error_record
from ..worker import solve_chunk

DEATHS_ALONE = 2  # a scenario whose worker dies this often with nothing else running is an error
POLL = 0.2  # seconds between looks at the stop flag while waiting for workers
GRACE = 10.0  # seconds workers get to end their chunk after a stop, before they are killed
_STOP: Any = None  # in a worker: the main process's stop event


class InlineBackend:
    """Everything in this process: no start-up cost, for small runs and one worker. After a stop
    it gives back the finished part of the chunk in hand."""

    def __init__(self, options: SolveOptions, stop: threading.Event | None = None) -> None:
        self.options, self.stop = options, stop or threading.Event()

    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        for chunk in chunks:
            yield solve_chunk(chunk, self.options, self.stop)
            if self.stop.is_set():
                return

    def close(self, abort: bool = False) -> None:
        pass


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _worker_start(parent: int, stop: Any = None) -> None:
    """Run in each worker as it starts: ignore Ctrl-C, die with the main process, and keep the
    main process's stop event for `_solve`."""
    global _STOP
    _STOP = stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the watchdog alone
        pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="roc-parent-watch").start()
    if os.getppid() != parent:
        os._exit(1)


def _solve(chunk: list[dict], options: SolveOptions) -> list[dict]:
    """A chunk in a worker: ended between scenarios once the main process says stop."""
    return solve_chunk(chunk, options, _STOP)


def died_record(entry: dict, times: str = f"{DEATHS_ALONE} times with nothing else running") -> dict:
    """The error record of a scenario whose worker died every time it was solved."""
    return error_record(str(entry.get("id") or "?"), f"a worker process died solving this scenario, {times} "
                        "(out of memory, or a crash in the solver); not solved", entry.get("qualification"))


class ProcessBackend:
    """A local process pool that finds the scenario at fault when a worker dies."""

    def __init__(self, workers: int, options: SolveOptions, stop: threading.Event | None = None) -> None:
        self.workers, self.options, self.stop = workers, options, stop or threading.Event()
        self.context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        self.worker_stop = self.context.Event()
        self.pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_worker_start,
                                   initargs=(os.getpid(), self.worker_stop))

    def _replace_pool(self) -> None:
        self._kill()
        self.pool = self._new_pool()

    def _wait(self, futures) -> set[Future]:
        """The futures done, once any is; empty after a stop."""
        while not self.stop.is_set():
            done, _ = wait(futures, timeout=POLL, return_when=FIRST_COMPLETED)
            if done:
                return done
        return set()

    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        source = iter(chunks)
        flight: dict[Future, list[dict]] = {}
        while not self.stop.is_set():
            suspects: list[list[dict]] = []
            while len(flight) < 2 * self.workers and (chunk := next(source, None)) is not None:
                try:
                    flight[self.pool.submit(_solve, chunk, self.options)] = chunk
                except BrokenProcessPool:  # a worker died since the last wait: this chunk never ran
                    suspects.append(chunk)
                    break
            if not flight and not suspects:
                return
            for future in self._wait(flight) if flight and not suspects else ():
                chunk = flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    suspects.append(chunk)
            if suspects:  # the pool is broken: every chunk still in flight died with it
                suspects += flight.values()
                flight.clear()
                self._replace_pool()
                yield from self._alone(suspects)

    def _alone(self, suspects: list[list[dict]]) -> Iterator[list[dict]]:
        """Run each suspect chunk with nothing else in flight, splitting the ones that die."""
        queue = deque((chunk, 0) for chunk in suspects)
        while queue and not self.stop.is_set():
            chunk, deaths = queue.popleft()
            future = self.pool.submit(_solve, chunk, self.options)
            if not self._wait({future}):
                return
            try:
                yield future.result()
                continue
            except BrokenProcessPool:
                self._replace_pool()
            if len(chunk) > 1:
                queue.extendleft(([entry], 0) for entry in reversed(chunk))
            elif deaths + 1 >= DEATHS_ALONE:
                yield [died_record(chunk[0])]
            else:
                queue.appendleft((chunk, deaths + 1))

    def _kill(self) -> None:
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            if process.is_alive():
                process.kill()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def close(self, abort: bool = False) -> None:
        """Wait for the workers to exit (so none outlives the run). After a stop they end their
        chunk at the next scenario; one still busy after GRACE seconds is killed."""
        if not abort:
            self.pool.shutdown(wait=True, cancel_futures=True)
            return
        self.worker_stop.set()
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + GRACE
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
        if any(process.is_alive() for process in processes):
            self._kill()
        else:
            self.pool.shutdown(wait=True)
