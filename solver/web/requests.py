"""What the web planner is asked, as pydantic models (the JSON API's bodies and the pages' forms),
and the answers, computed by the same analyses as the CLI and cached where they are pure."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field

from catalog import load_equivalences
from models import AchievedUnit, Measure, Objective, UnitRef

from ..analysis import check, compare, count, transfer
from ..analysis.restrict import plan_restricted, restricted_units
from ..analysis.results import CheckResult, ComparisonRow, CountResult, Plan, Suggestions, TransferResult
from ..analysis.similarity import THRESHOLD
from ..analysis.suggest import suggest
from .workspace import Workspace

REFS = Field(default=[], max_length=500)
COMPARE_COUNT_LIMIT = 10_000  # the page counts valid sets up to here (shown as ">= N" beyond)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanRequest(_Request):
    qualification: str = Field(min_length=1, max_length=200)
    objective: str = "minimise glh"
    include: list[str] = REFS
    exclude: list[str] = REFS
    max_level: str | None = None
    exclude_level: list[str] = Field(default=[], max_length=20)
    exclude_group: list[str] = Field(default=[], max_length=100)
    exclude_title: list[str] = Field(default=[], max_length=20)

    def key(self) -> tuple:
        return ("plan",) + tuple(tuple(v) if isinstance(v, list) else v for v in self.model_dump().values())


class CheckRequest(_Request):
    qualification: str = Field(min_length=1, max_length=200)
    units: list[str] = REFS


class TransferRequest(_Request):
    to: str = Field(min_length=1, max_length=200)
    achieved: list[str] = Field(min_length=1, max_length=500)
    minimise: Measure = Measure.glh


class SuggestRequest(_Request):
    to: str = Field(min_length=1, max_length=200)
    achieved: list[str] = Field(min_length=1, max_length=500)
    threshold: float = Field(default=THRESHOLD, ge=0, le=1)


def plan_of(ws: Workspace, req: PlanRequest) -> Plan:
    """The CLI's `roc plan` with its restrictions, cached by the whole request."""
    def compute() -> Plan:
        qual = ws.get(req.qualification)
        objective = Objective.parse(req.objective)
        words, ruled_out = restricted_units(qual, req.exclude_level, req.max_level, req.exclude_group,
                                            req.exclude_title)
        return plan_restricted(qual, objective, req.include, req.exclude, words, ruled_out)
    return ws.cached(req.key(), compute)


def check_of(ws: Workspace, req: CheckRequest) -> CheckResult:
    return check(ws.get(req.qualification), req.units)


def count_of(ws: Workspace, key: str, by: Measure | None) -> CountResult:
    return ws.cached(("count", key, by), lambda: count(ws.get(key), by=by.value if by else None))


def compare_of(ws: Workspace, keys: list[str]) -> list[ComparisonRow]:
    chosen = tuple(keys) if keys else tuple(key for key, _, _ in ws.qualifications())
    return ws.cached(("compare", chosen), lambda: compare([ws.get(k) for k in chosen],
                                                          count_limit=COMPARE_COUNT_LIMIT))


def transfer_of(ws: Workspace, req: TransferRequest) -> TransferResult:
    return transfer(ws.get(req.to), req.achieved, load_equivalences().equivalences, f"minimise {req.minimise.value}")


def suggestions_of(ws: Workspace, req: SuggestRequest, records: Sequence[AchievedUnit] = ()) -> Suggestions:
    """`roc transfer --suggest`'s suggestions: Match, Maybe or Miss for each achieved unit (a
    learner record's entries, when given, bring their own titles, levels and credits)."""
    known = [qual for _, qual, _ in ws.qualifications()]
    given = {unit.ref.digits for unit in records}
    achieved = list(records) + [ref for ref in req.achieved if UnitRef.parse(ref).digits not in given]
    return suggest(ws.get(req.to), achieved, load_equivalences().equivalences, known=known,
                   threshold=req.threshold)


def pair_suggestions_of(ws: Workspace, source: str, target: str, threshold: float = THRESHOLD) -> Suggestions:
    """`roc equivalences suggest SOURCE TARGET`: every unit of the source against the target."""
    src = ws.get(source)
    return ws.cached(("suggest", source, target, threshold), lambda: suggest(
        ws.get(target), [u.ref for u in src.units], load_equivalences().equivalences, source=src,
        known=[qual for _, qual, _ in ws.qualifications()], threshold=threshold))
