"""`roc import`: public data the user has downloaded, into overlay files beside the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from catalog.register import import_ofqual, overlay_text

from .common import catalog, err
from .output import write_file

app = typer.Typer(no_args_is_help=True, help="Import downloaded public data (Ofqual Register) as an overlay.")


@app.command("ofqual")
def import_ofqual_command(
    path: Annotated[Path, typer.Argument(help="the Ofqual Register qualifications CSV, or the register API's JSON",
                                         metavar="FILE")],
    out_path: Annotated[Path, typer.Option("--out", metavar="FILE", help="the overlay to write")
                        ] = Path("ofqual-overlay.yaml"),
) -> None:
    """Register figures, status and end dates for the catalogue's qualifications, with provenance;
    `roc lint --overlay FILE` then reports where the register and the specifications disagree."""
    overlay = import_ofqual(path, catalog())
    write_file(out_path, overlay_text(overlay).encode())
    err.print(f"wrote {out_path}: {len(overlay.qualifications)} of the catalogue's qualifications found in "
              f"{overlay.source.rows} register rows", markup=False)
