"""`roc serve`: the web planner on this machine."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Annotated, Optional

import typer

from .accounts import DatabaseOpt, DataOpt, opened
from .common import err

LOCAL = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "[::]")
GRACE = 5  # seconds Ctrl-C or SIGTERM waits for running requests before it abandons them


def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="the address to listen on; anything but "
                                      "127.0.0.1 lets other machines in")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, metavar="PORT")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, metavar="N", help="server processes; they share "
                                         "the database and data folder, so any of them answers for any job")] = 1,
    allow_host: Annotated[Optional[list[str]], typer.Option("--allow-host", metavar="NAME", help="a host name "
                                                            "browsers may reach the planner by, besides this "
                                                            "machine's own (repeatable)")] = None,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=3600, metavar="SECONDS",
                                              help="each solve a request asks for stops here, answering what "
                                              "it proved")] = 30.0,
    data: DataOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Start the web planner: the catalogue, live audits, optimal plans, compare, transfer, what-if
    and cohort pages, saved work and its review, and the JSON API (OpenAPI at /docs). Work is kept
    in the data folder's SQLite database (or --database). With no accounts it serves this machine
    alone, without a login; other addresses need accounts and an admin. Ctrl-C stops it."""
    import uvicorn

    from ..store import accounts as accounts
    from ..store.db import DATA_ENV, DATABASE_ENV
    from ..web.app import (  # here: FastAPI loads for `roc serve` alone
        ALLOWED_HOSTS,
        REQUEST_TIME_LIMIT,
        SERVE_RUN,
        SINGLE_USER,
    )

    store = opened(data, database)  # the schema brought up to date once, before any worker starts
    local = host in LOCAL
    if not local and not accounts.has_admin(store):
        err.print(f"roc: error: listening on {host} lets other machines in, so the planner needs accounts: add "
                  f"an admin first (roc users add NAME --role admin{_where(data, database)})", markup=False)
        raise typer.Exit(2)
    os.environ[DATA_ENV], os.environ[DATABASE_ENV] = str(store.data), store.url
    os.environ[SERVE_RUN] = uuid.uuid4().hex
    os.environ[SINGLE_USER] = "1" if local else "0"
    store.close()

    hosts = {*LOCAL, *(name.lower() for name in allow_host or [])}
    if host not in WILDCARD:
        hosts.add(host.lower().strip("[]"))
    os.environ[ALLOWED_HOSTS] = ",".join(sorted(hosts))  # read by each server process's create_app
    os.environ[REQUEST_TIME_LIMIT] = str(time_limit)
    if not local:
        err.print(f"roc: note: listening on {host}: other machines can reach this planner (everyone logs in)",
                  markup=False)
    err.print(f"roc: keeping work in {store}" + (f" and {store.data}" if store.sqlite else f" (files in {store.data})"),
              markup=False)
    err.print(f"roc planner at http://{'127.0.0.1' if host in LOCAL else host}:{port}/ (Ctrl-C stops it)",
              markup=False)
    uvicorn.run("solver.web:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", timeout_graceful_shutdown=GRACE)


def _where(data: Path | None, database: str | None) -> str:
    """The options that found this database, to repeat in a suggested command."""
    return (f" --data {data}" if data else "") + (" --database URL" if database else "")
