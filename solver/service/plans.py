"""One qualification's questions: the catalogue listing, a plan (restricted, top K or every
optimum) and a count. Every face asks these here (check, explain and lint are the analyses'
own, re-exported by the package)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from pydantic import Field

from models import InputError, Measure, Objective, Qualification, Target, UnitRef

from .. import analysis
from ..analysis.limits import ALL_OPTIMAL_LIMIT, COUNT_LIMIT
from ..analysis.results import Alternatives, CountResult, Plan
from ..engine import SolveOptions
from .restrictions import Restrictions


class PlanQuestion(Restrictions):
    """A plan, as every face asks for it: the objective, the restrictions, and how many answers
    (one, the `top` K, or `all_optimal`)."""

    objective: str = "minimise glh"
    top: int | None = Field(default=None, ge=1, le=1000)
    all_optimal: bool = False
    time_limit: float | None = None  # seconds; checked by SolveOptions

    def options(self, base: SolveOptions = SolveOptions()) -> SolveOptions:
        """How to solve: the question's time limit, else `base`'s (a server's), with `base`'s
        other settings."""
        return replace(base, time_limit=self.time_limit if self.time_limit is not None else base.time_limit)


def answer_plan(qual: Qualification, question: PlanQuestion, base: SolveOptions = SolveOptions()
                ) -> Plan | Alternatives:
    """The plan asked for: with `top` or `all_optimal` the alternatives, each under every
    restriction and target; else one plan with what the restrictions cost. `base`: how a face
    solves by default (a server: a time limit, no Ctrl-C handler)."""
    objective = Objective.parse(question.objective, field="objective")
    options = question.options(base)
    if question.top is not None and question.all_optimal:
        raise InputError("give top K or all optimal, not both", field="top/all_optimal")
    if question.top is not None:
        return _top(qual, objective, question.top, question, options)
    if question.all_optimal:
        return _all_optimal(qual, objective, question, options)
    applied = question.applied(qual)
    if options.from_table:
        found = analysis.quick_plan_restricted(qual, objective, question.include, question.exclude, applied.words,
                                               applied.ruled_out, options, applied.targets)
        if found is not None:
            return found
    return analysis.plan_restricted(qual, objective, question.include, question.exclude, applied.words,
                                    applied.ruled_out, options, applied.targets)


def _top(qual: Qualification, objective: Objective, k: int, restrictions: Restrictions,
         options: SolveOptions) -> Alternatives:
    applied = restrictions.applied(qual)
    return analysis.top(qual, objective, k, restrictions.include, applied.excluded, options, targets=applied.targets)


def _all_optimal(qual: Qualification, objective: Objective, restrictions: Restrictions, options: SolveOptions,
                 limit: int = ALL_OPTIMAL_LIMIT) -> Alternatives:
    applied = restrictions.applied(qual)
    return analysis.all_optimal(qual, objective, restrictions.include, applied.excluded, options, limit,
                         targets=applied.targets)


# -- the Python API's spelling of the same questions ------------------------------------------------
def plan(qual: Qualification, objective: Objective | str = Objective(), include: Sequence[str | UnitRef] = (),
         exclude: Sequence[str | UnitRef] = (), options: SolveOptions = SolveOptions(), *,
         targets: Sequence[Target] = (), max_level: str | None = None, exclude_level: Sequence[str] = (),
         exclude_group: Sequence[str] = (), exclude_title: Sequence[str] = (), explain: bool = True) -> Plan:
    """The valid unit set of `qual` best for `objective` under every restriction, with proof
    status; when none exists and `explain`, `conflict` names a minimal set of rules and choices
    that cannot all hold. With restrictions, `restriction` says what they cost."""
    restrictions = Restrictions.of(include, exclude, targets, max_level, exclude_level, exclude_group, exclude_title)
    applied = restrictions.applied(qual)
    if not explain:
        return analysis.plan(qual, objective, restrictions.include, applied.excluded, options, explain=False,
                         targets=applied.targets)
    return analysis.plan_restricted(qual, objective, restrictions.include, restrictions.exclude, applied.words,
                           applied.ruled_out, options, applied.targets)


def top(qual: Qualification, objective: Objective | str, k: int, include: Sequence[str | UnitRef] = (),
        exclude: Sequence[str | UnitRef] = (), options: SolveOptions = SolveOptions(), *,
        targets: Sequence[Target] = (), max_level: str | None = None, exclude_level: Sequence[str] = (),
        exclude_group: Sequence[str] = (), exclude_title: Sequence[str] = ()) -> Alternatives:
    """The K best distinct valid sets under every restriction, each proven in its place."""
    restrictions = Restrictions.of(include, exclude, targets, max_level, exclude_level, exclude_group, exclude_title)
    return _top(qual, Objective.parse(objective), k, restrictions, options)


def all_optimal(qual: Qualification, objective: Objective | str, include: Sequence[str | UnitRef] = (),
                exclude: Sequence[str | UnitRef] = (), options: SolveOptions = SolveOptions(),
                limit: int = ALL_OPTIMAL_LIMIT, *, targets: Sequence[Target] = (), max_level: str | None = None,
                exclude_level: Sequence[str] = (), exclude_group: Sequence[str] = (),
                exclude_title: Sequence[str] = ()) -> Alternatives:
    """Every valid set with the optimal objective value (up to `limit`) under every restriction."""
    restrictions = Restrictions.of(include, exclude, targets, max_level, exclude_level, exclude_group, exclude_title)
    return _all_optimal(qual, Objective.parse(objective), restrictions, options, limit)


def count(qual: Qualification, include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
          by: Measure | str | None = None, options: SolveOptions = SolveOptions(),
          limit: int | None = COUNT_LIMIT) -> CountResult:
    """How many valid unit sets there are (exactly, unless `limit` or the time limit stops it)."""
    if by is not None and by not in Measure.__members__ and not isinstance(by, Measure):
        raise InputError(f"{by!r}: expected glh, tqt or credits", field="by")
    return analysis.count(qual, include, exclude, by, options, limit)
