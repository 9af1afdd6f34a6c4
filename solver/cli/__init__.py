"""The `roc` command line: parse arguments, call the Python API, render. Nothing more.

Each group of commands is a Typer app of its own, joined here with `add_typer`: `catalog.py`
(list, show, lint), `solve.py` (plan, check, count), `transfer.py` (transfer, transfer-matrix,
compare) and `whatif.py` (`roc whatif expand|run`). `render.py` turns results into text for a
person and `formats.py` into CSV, JSON or markdown.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import Any

import typer
from typer._click import exceptions as click  # Typer 0.2x vendors Click: its exceptions live here

from models import InputError, RocError

from . import accounts, catalog, cohort, imports, serve, solve, suggest, transfer, whatif
from .common import err, expand_lists, plain_help_labels, reflow_help

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
app.add_typer(cohort.app, name="cohort")
app.add_typer(suggest.app, name="equivalences")
app.add_typer(imports.app, name="import")
app.command("serve")(serve.serve)
app.add_typer(accounts.users, name="users")
app.add_typer(accounts.tokens, name="tokens")
app.add_typer(accounts.db, name="db")
plain_help_labels()
reflow_help(app)


@cache
def _option_names() -> frozenset[str]:
    """Every option of every command (`--include`, `--glh-percent`, ...)."""
    def walk(command: Any) -> set[str]:
        names = {name for param in command.params for name in getattr(param, "opts", ())}
        for sub in getattr(command, "commands", {}).values():
            names |= walk(sub)
        return names

    return frozenset(walk(typer.main.get_command(app)))


def as_options(field: str) -> str:
    """A neutral field name in the command line's words: `glh_percent` -> `--glh-percent` where
    some command has that option, each part of `a/b` alike; other names (a file's own fields,
    `learners.3.qualification`) as they are."""
    def said(part: str) -> str:
        option = "--" + part.replace("_", "-")
        return option if option in _option_names() else part

    return "/".join(said(part) for part in field.split("/"))


def _usage_error(exc: click.UsageError) -> None:
    """A mistake in the command line: one line, the command's help named, exit 2."""
    command = exc.ctx.command_path if exc.ctx is not None else "roc"
    message = " ".join(exc.format_message().replace("Value error, ", "").split())
    err.print(f"roc: error: {message} (see '{command} --help')", markup=False)
    sys.exit(2)


def main() -> None:
    """The `roc` console script: a user's mistake is one line on stderr and exit code 2."""
    try:
        code = app(args=expand_lists(sys.argv[1:]), prog_name="roc", standalone_mode=False)
    except click.NoArgsIsHelpError as exc:  # `roc` or `roc whatif` alone: the help, once
        # Typer's rich help prints itself while the error is made and leaves the message empty;
        # plain help is the message
        if exc.format_message().strip():
            sys.stdout.write(exc.format_message() + "\n")
        sys.exit(2)
    except click.UsageError as exc:
        _usage_error(exc)
    except click.ClickException as exc:
        err.print(f"roc: error: {' '.join(exc.format_message().split())}", markup=False)
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("roc: interrupted", markup=False)
        sys.exit(130)
    except InputError as exc:
        err.print(f"roc: error: {exc.worded(as_options)}", markup=False)
        sys.exit(2)
    except RocError as exc:
        err.print(f"roc: error: {exc}", markup=False)
        sys.exit(2)
    except BrokenPipeError:  # e.g. `roc lint | head`
        sys.exit(0)
    except KeyboardInterrupt:
        err.print("roc: interrupted", markup=False)
        sys.exit(130)
    if isinstance(code, int) and not isinstance(code, bool):
        sys.exit(code)


__all__ = ["app", "main"]
