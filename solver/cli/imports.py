"""`roc import`: public data the user has downloaded, into overlay files beside the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from catalog.register import import_lars, import_ofqual, overlay_text

from ..report import write_file
from .common import catalog, err

app = typer.Typer(no_args_is_help=True, help="Import downloaded public data (Ofqual Register, LARS) as an overlay.")


@app.command("ofqual")
def import_ofqual_command(
    path: Annotated[Path, typer.Argument(help="the Ofqual Register qualifications CSV, or the register API's JSON",
                                         metavar="FILE")],
    out_path: Annotated[Path, typer.Option("--out", metavar="FILE", help="the overlay to write")
                        ] = Path("ofqual-overlay.yaml"),
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="a progress bar while reading "
                                           "(on a terminal)")] = True,
) -> None:
    """Register figures, status and end dates for the catalogue's qualifications, with provenance;
    `roc lint --overlay FILE` then reports where the register and the specifications disagree."""
    overlay = import_ofqual(path, catalog(), progress=progress)
    write_file(out_path, overlay_text(overlay).encode())
    err.print(f"wrote {out_path}: {len(overlay.qualifications)} of the catalogue's qualifications found in "
              f"{overlay.source.rows} register rows", markup=False)


@app.command("lars")
def import_lars_command(
    folder: Annotated[Path, typer.Argument(help="the folder of the LARS CSV download, holding LearningDelivery.csv "
                                                "and Funding.csv", metavar="DIR")],
    out_path: Annotated[Path, typer.Option("--out", metavar="FILE", help="the overlay to write")
                        ] = Path("lars-overlay.yaml"),
    progress: Annotated[bool, typer.Option("--progress/--no-progress", help="a progress bar while reading "
                                           "(on a terminal)")] = True,
) -> None:
    """LARS figures (GLH, TQT, credits, Ofqual GLH range) and funding rates for the catalogue's
    qualifications, with provenance; `roc lint --overlay FILE` reports disagreements, and
    `roc compare --funding FILE` and `roc cohort plan --funding FILE` use the rates."""
    overlay = import_lars(folder, catalog(), progress=progress)
    write_file(out_path, overlay_text(overlay).encode())
    rates = sum(len(entry.funding) for entry in overlay.qualifications)
    err.print(f"wrote {out_path}: {len(overlay.qualifications)} of the catalogue's qualifications found in "
              f"{overlay.source.rows} LARS rows, with {rates} funding rates", markup=False)
