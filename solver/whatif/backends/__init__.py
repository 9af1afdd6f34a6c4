"""Where what-if chunks are solved: in this process, on a local process pool, or on Ray. Every
backend takes chunks of raw scenario entries and yields their result records in completion order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Protocol

from ...engine import SolveOptions
from .local import InlineBackend, ProcessBackend
from .ray import RayBackend


class BackendName(str, Enum):
    local = "local"
    ray = "ray"


class Backend(Protocol):
    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        """Result records of each chunk, chunk by chunk, in completion order."""
        ...

    def close(self) -> None:
        ...


def make_backend(name: BackendName | str, workers: int, options: SolveOptions,
                 address: str | None = None) -> Backend:
    """The backend `name` with `workers` processes (Ray: at `address`, or a local instance)."""
    if BackendName(name) is BackendName.ray:
        return RayBackend(workers, options, address)
    return InlineBackend(options) if workers <= 1 else ProcessBackend(workers, options)


__all__ = ["Backend", "BackendName", "InlineBackend", "ProcessBackend", "RayBackend", "make_backend"]
