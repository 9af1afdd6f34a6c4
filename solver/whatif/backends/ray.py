"""The Ray backend: the same chunks of scenarios, solved as Ray tasks on a cluster (`--address`)
or on a local Ray instance. Ray retries a task whose worker dies (max_retries)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from models import InputError

from ...engine import SolveOptions
from ..worker import solve_chunk


class RayBackend:
    def __init__(self, workers: int, options: SolveOptions, address: str | None = None) -> None:
        try:  # Ray is an optional extra: imported only when this backend is asked for
            import ray
        except ImportError:
            raise InputError("--backend ray needs Ray: pip install -e '.[ray]'") from None
        self.ray, self.options = ray, options
        self.started = not ray.is_initialized()
        if self.started:
            kwargs = {"address": address} if address else {"num_cpus": max(1, workers)}
            ray.init(include_dashboard=False, log_to_driver=False, logging_level="ERROR",
                     configure_logging=True, **kwargs)
        self.task = ray.remote(num_cpus=1, max_retries=3)(solve_chunk)
        self.workers = max(1, workers if not address else int(ray.cluster_resources().get("CPU", workers)))

    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        ray = self.ray
        source = iter(chunks)
        flight = []
        while True:
            while len(flight) < 2 * self.workers:
                chunk = next(source, None)
                if chunk is None:
                    break
                flight.append(self.task.remote(chunk, self.options))
            if not flight:
                return
            done, flight = ray.wait(flight, num_returns=1)
            for ref in done:
                yield ray.get(ref)

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()
