"""What every backend is: its name, the protocol it follows, and the failure it raises."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import Enum
from typing import Protocol

from models import RocError


class BackendFailure(RocError):
    """The workers or the cluster failed; finished results are kept."""


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
