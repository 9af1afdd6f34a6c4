"""`roc serve`: the web planner on this machine."""

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from .common import err

LOCAL = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "[::]")
GRACE = 5  # seconds Ctrl-C or SIGTERM waits for running requests before it abandons them


def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="the address to listen on; anything but "
                                      "127.0.0.1 lets other machines in")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, metavar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, metavar="N", help="server processes (each keeps its "
                                         "own uploads and jobs: use 1 unless serving only the API)")] = 1,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", metavar="NAME", help="a host name "
                                                            "browsers may reach the planner by, besides this "
                                                            "machine's own (repeatable)")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, metavar="SECONDS",
                                              help="each solve a request asks for stops here, answering what "
                                              "it proved")] = 30.0,
) -> None:
    """Start the web planner: the catalogue, live audits, optimal plans, compare, transfer, what-if
    and cohort pages, and the JSON API (OpenAPI at /docs). Ctrl-C stops it."""
    import uvicorn

    from ..web.app import ALLOWED_HOSTS, REQUEST_TIME_LIMIT  # here: FastAPI loads for `roc serve` alone

    hosts = {*LOCAL, *(name.lower() for name in allow_host or [])}
    if host not in WILDCARD:
        hosts.add(host.lower().strip("[]"))
    os.environ[ALLOWED_HOSTS] = ",".join(sorted(hosts))  # read by each server process's create_app
    os.environ[REQUEST_TIME_LIMIT] = str(time_limit)
    if host not in LOCAL:
        err.print(f"roc: note: listening on {host}: other machines can reach this planner and its uploads",
                  markup=False)
    err.print(f"roc planner at http://{'127.0.0.1' if host in LOCAL else host}:{port}/ (Ctrl-C stops it)",
              markup=False)
    uvicorn.run("solver.web:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", timeout_graceful_shutdown=GRACE)
