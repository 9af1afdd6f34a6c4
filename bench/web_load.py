"""Load on the web planner's plan endpoint: `roc serve` in its own processes, and 16 clients on
keep-alive connections each sending `GET /api/plan` requests one after another, over a mix of
seed qualifications, goals and exclusions. Prints requests/s and latency percentiles.

    python -m bench.web_load [--clients 16] [--seconds 10] [--workers 2]
    python -m bench.web_load --unseen     # every request one the server has not seen (no cache)
    python -m bench.web_load --minimal    # the same cached requests to a minimal FastAPI app (the floor)
    python -m bench.web_load --accounts [--postgres] [--listing]
        # with accounts: every request carries an API token, checked against the database (SQLite in
        # a new data folder, or a throwaway PostgreSQL server from Debian's package, .ci/postgres);
        # --listing asks `GET /api/saved?kind=plan` of 100 saved plans instead of a plan

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


def start_server(port: int, workers: int, minimal: bool = False, where: list[str] = ()) -> subprocess.Popen:
    command = (["-m", "uvicorn", "bench.minimal_app:create_app", "--factory", "--log-level", "warning",
                "--port", str(port), "--workers", str(workers)] if minimal
               else ["-m", "solver", "serve", "--port", str(port), "--workers", str(workers), *where])
    process = subprocess.Popen([sys.executable, *command], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/{'api/qualifications' if minimal else 'health'}",
                                   timeout=2)
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


WARM_UP = 3.0  # seconds of load before the measured ones
TOKEN = ""  # with --accounts: the API token every request carries


def _requests(wanted: list[str]) -> list[bytes]:
    auth = f"Authorization: Bearer {TOKEN}\r\n" if TOKEN else ""
    return [f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}\r\n".encode() for p in wanted]


async def _load(port: int, clients: int, seconds: float, unseen: bool = False, listing: bool = False
                ) -> tuple[list[float], dict, float]:
    latencies: list[float] = []
    statuses: dict = {}
    if unseen:  # each client its own requests, each sent once: nothing is answered from a cache
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(*(_client(port, _requests(mine), stop_at, latencies, statuses, once=True)
                               for mine in unseen_paths(clients)))
        return latencies, statuses, min(seconds, time.perf_counter() - started)
    requests = _requests(["/api/saved?kind=plan"] if listing else paths())
    # warm the caches first: every client sends every request once (connections spread over workers),
    # then WARM_UP seconds of load are thrown away (every server process has started and warmed up)
    await asyncio.gather(*(_client(port, requests, float("inf"), [], {}, once=True) for _ in range(clients)))
    warm_until = time.perf_counter() + WARM_UP
    await asyncio.gather(*(_client(port, requests, warm_until, [], {}) for _ in range(clients)))
    stop_at = time.perf_counter() + seconds
    await asyncio.gather(*(_client(port, requests[i % len(requests):] + requests[:i % len(requests)], stop_at,
                                   latencies, statuses) for i in range(clients)))
    return latencies, statuses, seconds


SAVED_PLANS = 100


def with_accounts(database: str | None) -> list[str]:
    """A new data folder (and the database, when given) with an analyst, their token (set as
    TOKEN) and SAVED_PLANS saved plans, each a real plan's answer: `roc serve`'s options for it."""
    global TOKEN
    import tempfile

    from solver import plan
    from solver.store import Role, Store, accounts, work

    data = tempfile.mkdtemp(prefix="roc-bench-data-")
    store = Store(data, database)
    store.upgrade()
    accounts.add_user(store, "bench", Role.analyst, "bench password")
    TOKEN = accounts.create_token(store, "bench", "web_load")
    from catalog import builtin

    quals = list(builtin())
    for n in range(SAVED_PLANS):
        qual = quals[n % len(quals)]
        answer = plan(qual, "minimise glh")
        work.save(store, "plan", f"plan {n}", "bench", "optimal", {"qualification": str(qual.number)},
                  answer.model_dump(mode="json"), str(qual.number))
    store.close()
    return ["--data", data] + (["--database", database] if database else [])


def run(clients: int = 16, seconds: float = 10.0, workers: int = 2, unseen: bool = False,
        minimal: bool = False, accounts: bool = False, postgres: bool = False, listing: bool = False) -> dict:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cluster = _postgres() if postgres else None
    try:
        where = with_accounts(cluster[0] if cluster else None) if accounts else []
        server = start_server(port, workers, minimal, where)
        try:
            latencies, statuses, elapsed = asyncio.run(_load(port, clients, seconds, unseen, listing))
        finally:
            server.terminate()
            server.wait(timeout=20)
    finally:
        if cluster:
            subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "stop", cluster[1]], check=False)
    cuts = statistics.quantiles(latencies, n=100)
    return {"server": "minimal FastAPI" if minimal else "roc serve", "requests_seen": "never" if unseen else "cached",
            "asked": "saved plans listing" if listing else "plan",
            "database": "none" if minimal else ("PostgreSQL" if postgres else "SQLite") + (" with accounts" if accounts
                                                                                         else ""),
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
    parser.add_argument("--accounts", action="store_true", help="users and an API token on every request")
    parser.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server (with --accounts)")
    parser.add_argument("--listing", action="store_true", help="GET /api/saved?kind=plan (with --accounts)")
    args = parser.parse_args()
    if (args.postgres or args.listing) and not args.accounts:
        parser.error("--postgres and --listing go with --accounts")
    print(run(args.clients, args.seconds, args.workers, args.unseen, args.minimal, args.accounts, args.postgres,
              args.listing))


def _postgres() -> tuple[str, str]:
    """A throwaway PostgreSQL server (.ci/postgres): its URL and its folder."""
    started = subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "start"], capture_output=True, text=True,
                             check=True)
    found = dict(part.split("=", 1) for part in started.stdout.split()[1:])
    return found["ROC_TEST_POSTGRES"], found["ROC_TEST_POSTGRES_DIR"]


if __name__ == "__main__":
    main()
