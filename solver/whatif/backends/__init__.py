"""Where what-if chunks are solved: in this process, on a local process pool, or on Ray. Every
backend takes chunks of raw scenario entries and yields their result records in completion order."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .base import Backend, BackendFailure, BackendName

if TYPE_CHECKING:
    from ...engine import SolveOptions


def make_backend(name: BackendName | str, workers: int, options: SolveOptions,
                 address: str | None = None, stop: threading.Event | None = None) -> Backend:
    """The backend `name` with `workers` processes (Ray: at `address`, or a local instance);
    `stop`, once set, ends its work between scenarios."""
    # imported here: a backend's module loads the solver, which naming a backend does not need
    if BackendName(name) is BackendName.ray:
        from .ray import RayBackend

        return RayBackend(workers, options, address, stop)
    from .local import InlineBackend, ProcessBackend

    return InlineBackend(options, stop) if workers <= 1 else ProcessBackend(workers, options, stop)


__all__ = ["Backend", "BackendFailure", "BackendName", "make_backend"]
