"""What the web planner is asked, as pydantic models (the JSON API's bodies and the pages' forms):
the application layer's questions with the qualification they are about. Answers come from the same
calls as the CLI's, cached by the whole request where they are pure."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

from models import AchievedUnit, Measure, UnitRef
from models.dates import Day

from ..service import (
    MAX_CLASS,
    MAX_MONEY,
    QUICK_UNITS,
    THRESHOLD,
    Alternatives,
    CheckResult,
    ComparisonRow,
    CountResult,
    PlanQuestion,
    Status,
    Suggestions,
    SuggestQuestion,
    TransferResult,
    answer_plan,
    check,
    compare,
    count,
    suggest,
    suggest_pair,
    transfer,
)
from ..service import Plan as PlanResult
from .workspace import Workspace

QUAL = Field(min_length=1, max_length=200)
COMPARE_COUNT_LIMIT = 10_000  # the page counts valid sets up to here (shown as ">= N" beyond)


class PlanRequest(PlanQuestion):
    """`roc plan QUAL ...`: the plan question about one qualification."""

    qualification: str = QUAL

    def key(self) -> tuple[object, ...]:
        return ("plan",) + tuple(tuple(v) if isinstance(v, list) else v for v in self.model_dump().values())


class CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    qualification: str = QUAL
    units: list[str] = Field(default=[], max_length=500)


class MoneyRequest(BaseModel):
    """The compare page's money: `roc compare --cost-per-glh --class-size --on --funding-category`
    (the LARS overlay itself comes as a file)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    cost_per_glh: float | None = Field(default=None, ge=0, le=MAX_MONEY, allow_inf_nan=False)
    class_size: int | None = Field(default=None, ge=1, le=MAX_CLASS)
    on: Day | None = None  # 2026-09-01 or 01/09/2026; today when not given
    funding_category: str | None = Field(default=None, max_length=100)

    @property
    def asked(self) -> bool:
        return self.cost_per_glh is not None or self.class_size is not None


class TransferRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    to: str = QUAL
    achieved: list[str] = Field(min_length=1, max_length=500)
    minimise: Measure = Measure.glh


class SuggestRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    to: str = QUAL
    achieved: list[str] = Field(min_length=1, max_length=500)
    threshold: float = Field(default=THRESHOLD, ge=0, le=1)


async def plan_of(request: Request, ws: Workspace, req: PlanRequest) -> PlanResult | Alternatives:
    """`roc plan` with its restrictions and targets (and `top` or `all_optimal`, as the CLI's
    --top and --all-optimal), cached by the whole request, stopped if the client goes."""
    return await ws.while_connected(request, req.key(), lambda options: answer_plan(ws.get(req.qualification),
                                                                                    req, options))


def check_of(ws: Workspace, req: CheckRequest) -> CheckResult:
    return check(ws.get(req.qualification), req.units)


async def count_of(request: Request, ws: Workspace, key: str, by: Measure | None) -> CountResult:
    return await ws.while_connected(request, ("count", key, by),
                                    lambda options: count(ws.get(key), by=by, options=options))


def compare_of(ws: Workspace, keys: list[str]) -> list[ComparisonRow]:
    chosen = tuple(keys) if keys else tuple(key for key, _, _ in ws.qualifications())
    return ws.cached(("compare", chosen), lambda: compare([ws.get(k) for k in chosen], ws.options,
                                                          count_limit=COMPARE_COUNT_LIMIT))


def transfer_of(ws: Workspace, req: TransferRequest) -> TransferResult:
    return transfer(ws.get(req.to), req.achieved, ws.equivalences, f"minimise {req.minimise.value}",
                    ws.options)


def suggestions_of(ws: Workspace, req: SuggestRequest, records: Sequence[AchievedUnit] = ()) -> Suggestions:
    """`roc transfer --suggest`'s suggestions: Match, Maybe or Miss for each achieved unit (a
    learner record's entries, when given, bring their own titles, levels and credits)."""
    known = [qual for _, qual, _ in ws.qualifications()]
    given = {unit.ref.digits for unit in records}
    achieved = list(records) + [ref for ref in req.achieved if UnitRef.parse(ref).digits not in given]
    return suggest(ws.get(req.to), achieved, ws.equivalences, known=known, threshold=req.threshold,
                   options=ws.options)


def pair_suggestions_of(ws: Workspace, source: str, target: str, threshold: float = THRESHOLD) -> Suggestions:
    """`roc equivalences suggest SOURCE TARGET`: every unit of the source against the target."""
    return ws.cached(("suggest", source, target, threshold, ws.equivalences_version()), lambda: suggest_pair(
        ws.get(source), ws.get(target), ws.equivalences, SuggestQuestion(threshold=threshold),
        known=[qual for _, qual, _ in ws.qualifications()], options=ws.options))


def glh_range_of(ws: Workspace, key: str) -> tuple[int | None, int | None] | None:
    """The proven minimum and maximum GLH of the qualification at `key`, for the catalogue page;
    None for one too large to look up while the page waits (its own page gives it)."""
    qual = ws.get(key)
    if len(qual.units) > QUICK_UNITS:
        return None

    def proven(goal: str) -> int | None:
        found = answer_plan(qual, PlanQuestion(objective=goal), ws.options)
        return found.glh if isinstance(found, PlanResult) and found.status is Status.optimal else None

    def both() -> tuple[int | None, int | None]:
        return proven("minimise glh"), proven("maximise glh")

    return ws.cached(("glh range", key), both)
