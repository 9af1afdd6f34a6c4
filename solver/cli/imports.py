"""`roc import`: public data the user has downloaded, into overlay files beside the catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog.register import import_lars, import_ofqual, overlay_text
from models import InputError

from ..report import write_file
from .common import catalog, err, out

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


@app.command("spec")
def import_spec_command(
    path: Annotated[Path, typer.Argument(help="an awarding organisation's specification: text, Markdown, HTML or "
                                         "PDF", metavar="FILE")],
    out_path: Annotated[Optional[Path], typer.Option("--out", metavar="FILE", help="the draft qualification file "
                                                     "to write (default: print it)")] = None,
    qualification: Annotated[Optional[str], typer.Option("--qualification", metavar="NUMBER", help="the "
                                                         "qualification to draft, when the document has several")
                             ] = None,
) -> None:
    """A draft qualification file read from a specification: units, groups, credit bounds, level
    quotas, barred pairs and the published figures, each with the line and words it came from.
    What roc could not read with confidence is listed for review; the draft is then linted and
    its minimum GLH proven beside the published figure, so a misread rule shows at once."""
    from catalog.spec import draft_spec, draft_text

    from .. import service

    draft = draft_spec(path, qualification)
    text = draft_text(draft)
    if out_path is not None:
        write_file(out_path, text.encode())
        err.print(f"wrote {out_path}: a draft of {draft.data['number']} {draft.data['title']}", markup=False)
    else:
        out.print(text, markup=False, soft_wrap=True)
    _say_review(draft.review)
    try:
        checked = service.check_draft(text, str(out_path or "the draft"))
    except InputError as exc:
        err.print(f"check: the draft does not load yet ({exc}); mend it as the review says, then roc lint it",
                  markup=False)
        raise typer.Exit(1) from None
    for finding in checked.findings:
        err.print(f"lint: {finding.severity.value}: {finding.message}", markup=False)
    best, published = checked.minimum, checked.published
    said = f"{best.glh} GLH ({best.status.value})" if best.units else f"no valid set ({best.status.value})"
    err.print(f"check: the drafted rules admit {'a valid set' if best.units else 'no valid set'}; minimum {said}, "
              f"published {published if published is not None else 'not given'}", markup=False)


def _say_review(review: list[str]) -> None:
    if not review:
        err.print("review: nothing flagged (check every value against the document all the same)", markup=False)
        return
    err.print(f"review: {len(review)} item{'s' if len(review) != 1 else ''} to check against the document:",
              markup=False)
    for item in review:
        err.print(f"  - {item}", markup=False)
