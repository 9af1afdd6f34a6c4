"""What every command shares: the consoles, argument types, the catalogue and JSON output."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer
from rich.console import Console

from catalog import Catalog, builtin
from models import Measure, Objective, Qualification, Sense

# Piped output is not cut to 80 columns: tables stay one row per unit for the next program.
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

QualArg = Annotated[str, typer.Argument(help="an Ofqual qualification number from the catalogue, or a "
                                              "YAML/JSON qualification file", metavar="QUAL")]
QualsArg = Annotated[Optional[list[str]], typer.Argument(help="qualification numbers or files (default: the "
                                                              "whole catalogue)", metavar="[QUAL]...")]
JsonOpt = Annotated[bool, typer.Option("--json", help="print one JSON object instead of a table")]
TimeLimitOpt = Annotated[Optional[float], typer.Option(help="seconds; on expiry the best set found so far "
                                                            "is reported as feasible")]


def catalog() -> Catalog:
    return builtin()


def resolve(spec: str) -> Qualification:
    return catalog().resolve(spec)


def emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def objective_of(minimise: Optional[Measure], maximise: Optional[Measure]) -> Objective:
    if minimise is not None and maximise is not None:
        raise typer.BadParameter("give --minimise or --maximise, not both")
    if maximise is not None:
        return Objective(sense=Sense.maximise, measure=maximise)
    return Objective(sense=Sense.minimise, measure=minimise or Measure.glh)
