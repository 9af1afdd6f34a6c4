"""Load on the web planner's plan endpoint: `roc serve` in its own processes, and 16 clients on
keep-alive connections each sending `GET /api/plan` requests one after another, over a mix of
seed qualifications, goals and exclusions. Prints requests/s and latency percentiles.

    python -m bench.web_load [--clients 16] [--seconds 10] [--workers 2]
    python -m bench.web_load --unseen     # every request one the server has not seen (no cache)
    python -m bench.web_load --minimal    # the same cached requests to a minimal FastAPI app (the floor)

The client is asyncio over raw sockets (no HTTP library on the hot path), so that it takes as
little as possible of the two cores the server needs too. Both run on the same machine."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOALS = ["minimise+glh", "maximise+glh", "minimise+tqt"]


def paths() -> list[str]:
    """A mix of plan requests: each seed qualification, three goals, and no exclusion or one of
    its first two units excluded (45 distinct requests)."""
    from catalog import builtin

    found = []
    for qual in builtin():
        excludes = [""] + [f"&exclude={u.ref}" for u in qual.units[:2]]
        found += [f"/api/plan?qualification={qual.number}&objective={g}{e}"
                  for g, e in itertools.product(GOALS, excludes)]
    return found


def unseen_paths(clients: int) -> list[list[str]]:
    """Requests no server has seen, a list for each client: every seed qualification, three goals,
    two of its units excluded, and a GLH floor (tens of thousands of distinct requests)."""
    import random

    from catalog import builtin

    found = []
    for qual in builtin():
        refs = [str(u.ref) for u in qual.units]
        for a, b in itertools.combinations(refs, 2):
            for goal in GOALS:
                for floor in ("", "&glh_at_least=80", "&glh_at_least=100", "&glh_at_least=120", "&glh_at_least=150"):
                    found.append(f"/api/plan?qualification={qual.number}&objective={goal}&exclude={a}&exclude={b}"
                                 + floor)
    random.Random(0).shuffle(found)
    return [found[i::clients] for i in range(clients)]


def start_server(port: int, workers: int, minimal: bool = False) -> subprocess.Popen:
    command = (["-m", "uvicorn", "bench.minimal_app:create_app", "--factory", "--log-level", "warning",
                "--port", str(port), "--workers", str(workers)] if minimal
               else ["-m", "solver", "serve", "--port", str(port), "--workers", str(workers)])
    process = subprocess.Popen([sys.executable, *command], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/qualifications", timeout=2)
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("roc serve did not start") from None
            time.sleep(0.2)


async def _client(port: int, requests: list[bytes], stop_at: float, latencies: list[float], statuses: dict,
                  once: bool = False) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for request in (requests if once else itertools.cycle(requests)):
        if time.perf_counter() >= stop_at:
            break
        started = time.perf_counter()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        status = int(head.split(b" ", 2)[1])
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()


def _requests(wanted: list[str]) -> list[bytes]:
    return [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() for p in wanted]


async def _load(port: int, clients: int, seconds: float, unseen: bool = False) -> tuple[list[float], dict, float]:
    latencies: list[float] = []
    statuses: dict = {}
    if unseen:  # each client its own requests, each sent once: nothing is answered from a cache
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(*(_client(port, _requests(mine), stop_at, latencies, statuses, once=True)
                               for mine in unseen_paths(clients)))
        return latencies, statuses, min(seconds, time.perf_counter() - started)
    requests = _requests(paths())
    # warm the caches first: every client sends every request once (connections spread over workers)
    await asyncio.gather(*(_client(port, requests, float("inf"), [], {}, once=True) for _ in range(clients)))
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, requests[i % len(requests):] + requests[:i % len(requests)], stop_at,
                                   latencies, statuses) for i in range(clients)))
    return latencies, statuses, seconds


def run(clients: int = 16, seconds: float = 10.0, workers: int = 2, unseen: bool = False,
        minimal: bool = False) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = start_server(port, workers, minimal)
    try:
        latencies, statuses, elapsed = asyncio.run(_load(port, clients, seconds, unseen))
    finally:
        server.terminate()
        server.wait(timeout=20)
    cuts = statistics.quantiles(latencies, n=100)
    return {"server": "minimal FastAPI" if minimal else "roc serve", "requests_seen": "never" if unseen else "cached",
            "clients": clients, "workers": workers, "requests": len(latencies),
            "requests_per_s": round(len(latencies) / elapsed), "p50_ms": round(cuts[49] * 1000, 2),
            "p95_ms": round(cuts[94] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2),
            "max_ms": round(max(latencies) * 1000, 2), "statuses": statuses}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--unseen", action="store_true", help="requests the server has never seen")
    parser.add_argument("--minimal", action="store_true", help="a minimal FastAPI app with the answers in a dict")
    args = parser.parse_args()
    print(run(args.clients, args.seconds, args.workers, args.unseen, args.minimal))


if __name__ == "__main__":
    main()
