"""Transfer suggestions on the command line: `roc equivalences suggest SOURCE TARGET`, and what
`roc transfer --suggest` adds to a transfer (the table, the rows for spreadsheets, the
equivalence file a planner reviews)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from catalog import equivalences_text
from models import EquivalenceFile, InputError, Qualification

from .. import service
from ..report import check_writable, write_file
from ..report.files import signed
from ..report.words import plural
from ..service import CANDIDATES, THRESHOLD, SolveOptions, Suggestions, built
from .common import EquivalencesOpt, catalog, err, out, resolve
from .formats import print_rows
from .output import FormatOpt, JsonOpt, OutOpt, emit
from .render import STATUS_WORDS

app = typer.Typer(no_args_is_help=True, help="Equivalences between units of different qualifications: "
                  "suggest them, to be confirmed by the awarding organisation.")

ThresholdOpt = Annotated[Optional[float], typer.Option("--threshold", min=0.0, max=1.0, metavar="SCORE",
                                                       help=f"the score from which a target unit is a Maybe "
                                                       f"(default {THRESHOLD})")]
CandidatesOpt = Annotated[Optional[int], typer.Option("--candidates", min=1, max=100, metavar="N",
                                                      help=f"Maybes shown for one achieved unit, best first "
                                                      f"(default {CANDIDATES})")]
WriteOpt = Annotated[Optional[Path], typer.Option("--write-equivalences", metavar="FILE", help="write every Maybe "
                                                  "as an equivalence to review and pass back with --equivalences")]

SCORE_HELP = ("score = 0.6 title + 0.2 level + 0.2 size: shared title words weighted by rarity (the "
              "subject's own words, such as 'customer service', count for nothing), 1 at the same level, "
              "0.5 one level apart, and how close the credits and GLH are")


def suggest_question(threshold: float | None, candidates: int | None) -> service.SuggestQuestion:
    """--threshold and --candidates, each at its default when not given."""
    given = {"threshold": threshold, "candidates": candidates}
    return built(service.SuggestQuestion, **{name: value for name, value in given.items() if value is not None})


def render_suggestions(result: Suggestions) -> None:
    out.print(f"[bold]transfer suggestions into {result.target}[/bold] {result.title}")
    out.print(f"for {result.learner}; Maybe from a score of {result.threshold:.2f}", markup=False)
    rows = [dict(achieved_unit=f"{s.achieved} {s.achieved_title or ''}".strip(), label=s.label.value,
                 candidate=f"{s.target_unit} {s.target_title}" if s.target_unit else None,
                 score=None if s.score is None else f"{s.score:.2f}", glh_saved=s.glh_saved)
            for s in result.suggestions]
    print_rows(out, rows, [("achieved_unit", "achieved unit"), ("label", ""), ("candidate", "target unit (Miss: nearest)"),
                           ("score", "score"), ("glh_saved", "GLH saved")])
    out.print("why:")
    for s in result.suggestions:
        arrow = f"{s.achieved} -> {s.target_unit}" if s.target_unit else s.achieved
        out.print(f"  {arrow} ({s.label.value}): {s.reason}", markup=False)
    out.print(SCORE_HELP, markup=False)
    maybes = result.maybes
    if result.glh_to_deliver is not None:
        text = f"GLH still to deliver in {result.target}: {result.glh_to_deliver} with the declared equivalences"
        if maybes and result.glh_to_deliver_all_maybes is not None:
            text += (f"; {result.glh_to_deliver_all_maybes} if every Maybe above were declared "
                     "(each saving is on its own: they do not add up)")
        out.print(text, markup=False)
    if maybes:
        out.print("a Maybe counts only once declared: --write-equivalences FILE writes them to review, "
                  "then pass the file back with --equivalences FILE", markup=False)
    out.print(f"status: {STATUS_WORDS[result.status]}")


def _header(target: Qualification) -> str:
    """The equivalence file's first lines (the same for the same target: an earlier output of
    the command may be written over, nothing else)."""
    return (f"Equivalences suggested by roc into {target.number} {target.title}.\n"
            "Each needs confirmation by the awarding organisation: delete those it does not accept,\n"
            "then pass this file to roc with --equivalences FILE.\n")


def check_suggested_path(path: Path | None, target: Qualification, inputs: list[Path],
                         out_path: Path | None = None) -> None:
    """Refuse, before any work, a --write-equivalences FILE that roc would not write."""
    if path is None:
        return
    if out_path is not None and path.resolve() == out_path.resolve():
        raise InputError("is also --out; give the equivalences and the result two files", file=str(path))
    if any(path.resolve() == given.resolve() for given in inputs):
        raise InputError("is also given with --equivalences; roc does not write over an input: give another name",
                         file=str(path))
    check_writable(path, equivalences_text(EquivalenceFile(), _header(target)).encode())


def write_suggested(result: Suggestions, target: Qualification, path: Path) -> None:
    """Every Maybe as an equivalence, to `path` (passed by `check_suggested_path` before the work
    began), in the format `--equivalences` reads."""
    found = [service.equivalence_for(s, target) for s in result.maybes]
    header = _header(target) + f"For {result.learner}; each Maybe's note gives its score, reasons and saving."
    write_file(path, signed(path, equivalences_text(EquivalenceFile(equivalences=found), header).encode()))
    err.print(f"wrote {path} ({plural(len(found), 'suggested equivalence')})", markup=False)


@app.command("suggest")
def suggest_command(
    source: Annotated[str, typer.Argument(help="the qualification the units come from (number or file)",
                                          metavar="SOURCE")],
    target: Annotated[str, typer.Argument(help="the qualification they would transfer into", metavar="TARGET")],
    equivalences: EquivalencesOpt = None,
    threshold: ThresholdOpt = None,
    candidates: CandidatesOpt = None,
    write: WriteOpt = None,
    time_limit: Annotated[Optional[float], typer.Option(help="seconds, for each solve", metavar="SECONDS")] = None,
    fmt: FormatOpt = None,
    out_path: OutOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """For every unit of SOURCE: Match (it transfers into TARGET), Maybe (a unit of TARGET alike
    enough to ask the awarding organisation about, with the GLH it would save a learner holding
    every unit of SOURCE) or Miss. The score: 0.6 title + 0.2 level + 0.2 size (README, "Transfer
    suggestions")."""
    src, tgt = resolve(source), resolve(target)
    check_suggested_path(write, tgt, equivalences or [], out_path)
    result = service.suggest_pair(src, tgt, service.declared_equivalences(equivalences or []), suggest_question(threshold, candidates),
                          known=list(catalog()),
                          options=SolveOptions(time_limit=time_limit))
    emit(result, fmt, out_path, lambda: render_suggestions(result), as_json=as_json,
         title=f"suggestions from {result.source} into {result.target}")
    if write is not None:
        write_suggested(result, tgt, write)
    raise typer.Exit(0 if result.status.found else 1)


__all__ = ["app", "render_suggestions", "suggest_question", "write_suggested"]
