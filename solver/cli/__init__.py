"""The `roc` command line: parse arguments, call the Python API, render. Nothing more.

Each group of commands is a Typer app of its own, joined here with `add_typer`: `catalog.py`
(list, show, lint), `solve.py` (plan, check, count), `transfer.py` (transfer, transfer-matrix,
compare) and `whatif.py` (`roc whatif expand|run`). `render.py` turns results into text for a
person and `formats.py` into CSV, JSON or markdown.
"""

from __future__ import annotations

import sys

import typer

from models import RocError

from . import catalog, solve, transfer, whatif
from .common import err

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="roc: rules-of-combination optimisation for UK regulated qualifications.",
)
app.add_typer(catalog.app)
app.add_typer(solve.app)
app.add_typer(transfer.app)
app.add_typer(whatif.app, name="whatif")


def main() -> None:
    """The `roc` console script: a user's mistake is one line on stderr and exit code 2."""
    try:
        app()
    except RocError as exc:
        err.print(f"roc: error: {exc}", markup=False)
        sys.exit(2)
    except BrokenPipeError:  # e.g. `roc lint | head`
        sys.exit(0)
    except KeyboardInterrupt:
        err.print("roc: interrupted", markup=False)
        sys.exit(130)


__all__ = ["app", "main"]
