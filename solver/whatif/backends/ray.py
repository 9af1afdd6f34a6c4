"""The Ray backend: the same chunks of scenarios, solved as Ray tasks on a cluster (`--address`)
or on a local Ray instance.

Ray retries a task whose worker dies; a chunk that still fails is split into single scenarios,
and a single scenario that kills its worker every time is an error record. Repeated worker
deaths, or a cluster that stops answering (a lost raylet), end the run with one line: a
`BackendFailure`, after which the batch keeps every finished result.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterable, Iterator

from models import InputError

from ...engine import SolveOptions
from ..worker import solve_chunk
from .base import BackendFailure
from .local import POLL, died_record

MAX_FATAL = 10  # scenarios that kill their workers before the run is ended as a cluster fault


REACH_SECONDS = 5.0  # how long to wait for a cluster's port to answer before saying it does not


def check_reachable(address: str) -> None:
    """Refuse, in one line, an --address whose host does not answer. Ray itself would retry an
    unreachable cluster for minutes, printing native warnings, before failing. `auto` and other
    addresses without a host:port are left to Ray."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=REACH_SECONDS).close()
    except OSError as exc:
        raise InputError(f"cannot reach a Ray cluster at {address} ({exc.strerror or exc})", field="address") from None


class RayBackend:
    def __init__(self, workers: int, options: SolveOptions, address: str | None = None,
                 stop: threading.Event | None = None) -> None:
        try:  # Ray is an optional extra: imported only when this backend is asked for
            import ray
        except ImportError:
            raise InputError("--backend ray needs Ray: pip install -e '.[ray]'") from None
        self.ray, self.options, self.stop = ray, options, stop or threading.Event()
        self.started = not ray.is_initialized()
        if self.started:
            if address:
                check_reachable(address)
            kwargs = {"address": address} if address else {"num_cpus": max(1, workers)}
            try:
                ray.init(include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR,
                         configure_logging=True, **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise InputError(f"cannot start or reach Ray ({exc})", field="address" if address else None) from None
        self.chunk_task = ray.remote(num_cpus=1, max_retries=2)(solve_chunk)
        self.single_task = ray.remote(num_cpus=1, max_retries=1)(solve_chunk)
        self.workers = max(1, workers if not address else int(ray.cluster_resources().get("CPU", workers)))

    def map_chunks(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        try:
            yield from self._map(chunks)
        except self.ray.exceptions.RayError as exc:
            raise BackendFailure(f"the Ray cluster stopped answering ({type(exc).__name__}: "
                                 f"{str(exc).splitlines()[0] if str(exc) else 'no detail'})") from None

    def _map(self, chunks: Iterable[list[dict]]) -> Iterator[list[dict]]:
        ray, source, fatal = self.ray, iter(chunks), 0
        flight: dict = {}
        while not self.stop.is_set():
            while len(flight) < 2 * self.workers and (chunk := next(source, None)) is not None:
                flight[self.chunk_task.remote(chunk, self.options)] = chunk
            if not flight:
                return
            done, _ = ray.wait(list(flight), num_returns=1, timeout=POLL)
            for ref in done:
                chunk = flight.pop(ref)
                try:
                    yield ray.get(ref)
                except (ray.exceptions.WorkerCrashedError, ray.exceptions.OutOfMemoryError):
                    if len(chunk) > 1:
                        flight.update({self.single_task.remote([entry], self.options): [entry] for entry in chunk})
                        continue
                    fatal += 1
                    if fatal > MAX_FATAL:
                        raise BackendFailure(f"Ray workers died on {fatal} scenarios; the cluster looks unwell "
                                             "(memory, or a crash in the solver)") from None
                    yield [died_record(chunk[0], "each of the 2 times Ray ran it")]

    def close(self, abort: bool = False) -> None:
        if self.started:
            self.ray.shutdown()
