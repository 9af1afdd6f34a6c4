"""What every command shares: the consoles, argument types, the catalogue and JSON output."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperArgument, TyperOption

from catalog import Catalog, builtin
from catalog.register import funding_on, load_overlay
from models import InputError, Level, Measure, Objective, Qualification, QualNumber, Sense, UnitRef
from models.register import FundingRate

from ..service import BackendName, Compute, built

# Piped output is not cut to 80 columns: tables stay one row per unit for the next program.
out = Console(highlight=False, width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

QualArg = Annotated[str, typer.Argument(help="an Ofqual qualification number from the catalogue, or a "
                                              "YAML/JSON qualification file", metavar="QUAL")]
QualsArg = Annotated[Optional[list[str]], typer.Argument(help="qualification numbers or files (default: the "
                                                              "whole catalogue)", metavar="[QUAL]...")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON object instead of a table")]
TimeLimitOpt = Annotated[Optional[float], typer.Option(help="seconds; on expiry the best set found so far "
                                                            "is reported as feasible")]
BackendOpt = Annotated[BackendName, typer.Option("--backend", help="local (a process pool) or ray")]
AddressOpt = Annotated[Optional[str], typer.Option("--address", metavar="ADDRESS", help="a Ray cluster, e.g. "
                                                   "ray://head:10001 (default: a local Ray instance)")]
OnOpt = Annotated[Optional[str], typer.Option("--on", metavar="DATE", help="the day end dates and funding rates "
                                              "are taken on (default: today), e.g. 2026-09-01")]
FundingOpt = Annotated[Optional[Path], typer.Option("--funding", metavar="FILE", help="LARS funding rates, from "
                                                    "`roc import lars`")]
FundingCategoryOpt = Annotated[Optional[str], typer.Option("--funding-category", metavar="NAME", help="the LARS "
                                                           "funding category (default: the only one in force)")]


def day(text: str | None) -> date:
    """`--on`: a date, or today."""
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{text!r}: expected a date like 2026-09-01", field="--on") from None


def rates(path: Path | None, quals: Iterable[Qualification], on: str | None, category: str | None
          ) -> dict[str, FundingRate] | None:
    """`--funding FILE`: each qualification's rate in force on `--on`, or None without the option."""
    return funding(path, quals, on, category)[0]


def funding(path: Path | None, quals: Iterable[Qualification], on: str | None, category: str | None
            ) -> tuple[dict[str, FundingRate] | None, dict[str, str] | None]:
    """`--funding FILE`, read once: each qualification's rate in force on `--on`, and why the
    others have none; (None, None) without the option."""
    if path is None:
        if category is not None:
            raise InputError("--funding-category needs --funding FILE (from `roc import lars`)")
        return None, None
    return funding_on(load_overlay(path), quals, day(on), category)


def compute(workers: int, backend: BackendName, address: str | None) -> Compute:
    """--workers, --backend and --address, checked together."""
    return built(Compute, workers=workers, backend=backend, address=address)


def catalog() -> Catalog:
    return builtin()


EquivalencesOpt = Annotated[Optional[list[Path]], typer.Option("--equivalences", help="a file of declared "
                                                     "equivalences, added to the catalogue's")]


def resolve(spec: str) -> Qualification:
    """A catalogue number or a file; a number typed with a wrong check character is noted, as a
    misprinted unit reference is, and matched by its digits."""
    qual = catalog().resolve(spec)
    try:
        typed = QualNumber.parse(spec)
    except ValueError:
        return qual
    for problem in typed.problems():
        err.print(f"roc: note: {spec}: qualification number {problem}; this is {qual.number}", markup=False)
    return qual


def resolve_all(specs: list[str] | None) -> list[Qualification]:
    """Each of `specs` (numbers or files), or the whole catalogue when there are none."""
    return [resolve(spec) for spec in specs] if specs else list(catalog())


def objective_of(minimise: Optional[Measure], maximise: Optional[Measure]) -> Objective:
    if minimise is not None and maximise is not None:
        raise typer.BadParameter("give --minimise or --maximise, not both")
    if maximise is not None:
        return Objective(sense=Sense.maximise, measure=maximise)
    return Objective(sense=Sense.minimise, measure=minimise or Measure.glh)


# -- help in words --------------------------------------------------------------------------------------
# Typer labels each option with its Python type (`<list[str]>`, `<bool>`); a planner reading
# `roc plan --help` wants to know what to type: REF, FILE, N, SECONDS, or the choices.
_WORDS = {"int": "N", "float": "NUMBER", "str": "TEXT", "Path": "FILE"}


def _help_label(param, ctx) -> str | None:
    if param.metavar is not None:
        return param.metavar
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return None
    descriptor = param.type_descriptor
    if descriptor.is_choice:
        label = "|".join(str(getattr(choice, "value", choice)) for choice in descriptor.choices or ())
    elif descriptor.is_path:
        label = "FILE"
    else:
        label = _WORDS.get(param.bare_type().removeprefix("list[").removesuffix("]"), "VALUE")
    return label + ("..." if descriptor.is_list or param.nargs != 1 else "")


def plain_help_labels() -> None:
    """Label options and arguments in help by what to type, not by Python type."""
    TyperOption.display_type_rich = _help_label  # type: ignore[method-assign,assignment]
    TyperArgument.display_type_rich = _help_label  # type: ignore[method-assign,assignment]


def reflow_help(app: typer.Typer) -> None:
    """Docstrings are wrapped at 100 columns in the source; help is rewrapped to the terminal, so
    each paragraph becomes one line first (Typer would otherwise break lines mid-sentence)."""
    for command in app.registered_commands:
        text = command.help or inspect.getdoc(command.callback) or ""
        command.help = "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))
    for group in app.registered_groups:
        if group.typer_instance is not None:
            reflow_help(group.typer_instance)


def capture_table(render: Callable[[], None]) -> str:
    """What `render` prints to the screen console, as plain text (for `--format table --out
    FILE`). The console itself is left as it was: its file and width follow the terminal."""
    with out.capture() as captured:
        render()
    return Text.from_ansi(captured.get()).plain


# -- lists after an option ---------------------------------------------------------------------------
def _parses(kind: str):
    """A test of whether a command-line word is a unit reference (or a level)."""
    parse = UnitRef.parse if kind == "ref" else Level.parse

    def check(text: str) -> bool:
        try:
            parse(text)
            return True
        except ValueError:
            return False

    return check


_is_ref, _is_level = _parses("ref"), _parses("level")


_LIST_OPTIONS = {"--include": _is_ref, "--exclude": _is_ref, "--units": _is_ref, "--achieved": _is_ref,
                 "--exclude-level": _is_level}


def expand_lists(args: list[str]) -> list[str]:
    """`--include A B C` -> `--include A --include B --include C`: a planner writes a list after
    the option; the values taken are those that are references (levels, for --exclude-level)."""
    expanded, i = [], 0
    while i < len(args):
        option = args[i]
        expanded.append(option)
        i += 1
        looks = _LIST_OPTIONS.get(option)
        if looks is None or i >= len(args):
            continue
        expanded.append(args[i])
        i += 1
        while i < len(args) and looks(args[i]):
            expanded += [option, args[i]]
            i += 1
    return expanded
