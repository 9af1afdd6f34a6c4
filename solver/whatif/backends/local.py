"""Local backends: this process, or a pool of worker processes that survives a dying worker."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ...engine import SolveOptions
from ..records import error_record
from ..worker import solve_chunk

MAX_TRIES = 3  # a scenario that kills a worker this often becomes an error record


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
    """A local process pool; a pool broken by a dying worker is replaced and its chunks retried:
    whole once, then one scenario at a time to find the one at fault."""

    def __init__(self, workers: int, options: SolveOptions) -> None:
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
            broken = False
            while len(flight) < 2 * self.workers and (retry or not exhausted):
                if retry:
                    chunk, tries = retry.pop()
                else:
                    chunk = next(source, None)
                    if chunk is None:
                        exhausted = True
                        break
                    tries = 0
                try:
                    flight[self.pool.submit(solve_chunk, chunk, self.options)] = (chunk, tries)
                except BrokenProcessPool:  # a worker died since the last wait: this chunk never ran
                    retry.append((chunk, tries))
                    broken = True
                    break
            if not flight and not broken:
                return
            done, _ = wait(flight, return_when=FIRST_COMPLETED) if flight else (set(), set())
            for future in done:
                chunk, tries = flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    retry += self._again(chunk, tries)
            if broken:
                retry, failed = self._replace_pool(flight, retry)
                for chunk in failed:
                    yield [error_record(str(e.get("id") or "?"), "a worker process died solving this scenario "
                                        f"{MAX_TRIES} times; not solved", e.get("qualification")) for e in chunk]

    def _replace_pool(self, flight: dict, retry: list) -> tuple[list, list]:
        """Every chunk still in flight died with the pool: a new pool, and the chunks to retry
        and those that have failed too often."""
        for chunk, tries in flight.values():
            retry += self._again(chunk, tries)
        flight.clear()
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = self._new_pool()
        failed = [chunk for chunk, tries in retry if tries >= MAX_TRIES]
        return [(chunk, tries) for chunk, tries in retry if tries < MAX_TRIES], failed

    @staticmethod
    def _again(chunk: list[dict], tries: int) -> list[tuple[list[dict], int]]:
        if len(chunk) > 1 and tries >= 1:
            return [([entry], 1) for entry in chunk]
        return [(chunk, tries + 1)]

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
