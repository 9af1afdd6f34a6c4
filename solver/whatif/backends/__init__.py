"""Where what-if chunks are solved: in this process, on a local process pool, or on Ray. Every
backend takes chunks of raw scenario entries and yields their result records in completion order."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Protocol

from ...engine import SolveOptions
from .local import InlineBackend, ProcessBackend
from .ray import BackendFailure, RayBackend


class BackendName(str, Enum):
    local = "local"
    ray = "ray"


class Backend(Protocol):
    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        """Result records of each chunk, chunk by chunk, in completion order; every record is a
        finished solve. Once `stop` is set, at most the finished part of a chunk, then no more.
        Raises BackendFailure when the workers or the cluster fail past recovery."""
        ...

    def close(self, abort: bool = False) -> None:
        """Release the workers (all gone on return); `abort`: stop them without waiting."""
        ...


def make_backend(name: BackendName | str, workers: int, options: SolveOptions,
                 address: str | None = None, stop: threading.Event | None = None) -> Backend:
    """The backend `name` with `workers` processes (Ray: at `address`, or a local instance);
    `stop`, once set, ends its work between scenarios."""
    if BackendName(name) is BackendName.ray:
        return RayBackend(workers, options, address, stop)
    return InlineBackend(options, stop) if workers <= 1 else ProcessBackend(workers, options, stop)


__all__ = ["Backend", "BackendFailure", "BackendName", "InlineBackend", "ProcessBackend", "RayBackend", "make_backend"]
