"""Results as plain data: frozen pydantic models, built once, that serialise to the CLI's JSON.

A caller never touches solver objects: every analysis returns one of these.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict

from models import Finding, Qualification, RuleKind, Status, Unit


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True)


class ChosenUnit(_Result):
    """One unit of a set, with its figures and the groups it counts in."""

    ref: str
    title: str
    level: str
    credits: int
    glh: int
    tqt: int
    groups: list[str]

    @classmethod
    def of(cls, qual: Qualification, unit: Unit) -> "ChosenUnit":
        return cls(ref=str(unit.ref), title=unit.title, level=unit.level.label, credits=unit.credits,
                   glh=unit.glh, tqt=unit.tqt, groups=qual.groups_of(unit.ref))


class ConflictRule(_Result):
    """One member of a minimal set of rules and choices that cannot all hold."""

    rule: str
    message: str


class RestrictionCost(_Result):
    """What restrictions cost: the plan's objective against the unrestricted optimum."""

    restrictions: list[str]  # in words
    ruled_out: list[str]  # units the restrictions exclude
    measure: str
    unrestricted_objective: int | None
    cost: int | None  # how much worse the restricted optimum is (0: free)
    valid_sets_left: int
    valid_sets_left_exact: bool


class PlanStage(_Result):
    """One solve behind a plan: what it settled ("glh", then "fewest units", "reference order"),
    how it ended, the set's value for it (None for reference order), and its seconds."""

    settles: list[str]
    status: Status
    value: int | None = None
    seconds: float


class Plan(_Result):
    """The best valid set for a goal, with proof status; when there is none, `conflict` names a
    minimal set of rules and choices that cannot all hold. `status` is the goal's: optimal when
    the objective was proven, even if a tie-break after it stopped on its time; `stages` says how
    each solve ended, and `settled` is True when every one was proven."""

    qualification: str
    title: str
    goal: str
    status: Status
    objective: int | None
    units: list[str]
    glh: int | None
    tqt: int | None
    credits: int | None
    detail: list[ChosenUnit] = []
    include: list[str] = []
    exclude: list[str] = []
    notes: list[Finding] = []
    conflict: list[ConflictRule] = []
    solve_seconds: float
    restriction: RestrictionCost | None = None  # when restrictions were asked for
    targets: list[str] = []  # bounds on other totals the set had to meet ("target glh at least 150")
    stages: list[PlanStage] = []  # one solve or more; empty when the answer came from a table

    @property
    def proven(self) -> bool:
        return self.status.proven

    @property
    def settled(self) -> bool:
        """The goal proven and every tie-break too: the same answer on every run."""
        return self.status.proven and all(stage.status.proven for stage in self.stages)


class Violation(_Result):
    """A rule a learner's plan breaks, with the numbers."""

    rule: str  # the same key `roc plan` uses in a conflict
    kind: RuleKind
    message: str
    actual: int | None = None
    min: int | None = None
    max: int | None = None
    difference: int | None = None  # negative: short by; positive: over by
    units: list[str] = []


class CheckResult(_Result):
    """An audit of a learner's set: valid, or every rule it breaks."""

    qualification: str
    title: str
    valid: bool
    units: list[str]
    glh: int
    tqt: int
    credits: int
    violations: list[Violation] = []
    notes: list[Finding] = []


class AlternativesMode(str, Enum):
    top = "top"
    all_optimal = "all optimal"


class Alternatives(_Result):
    """More than one answer: the K best sets, or every optimal set."""

    qualification: str
    title: str
    goal: str
    mode: AlternativesMode
    k: int | None = None  # for `top`
    complete: bool  # False when a time or size limit cut the list short
    plans: list[Plan]


class Bucket(_Result):
    value: int
    count: int


class CountResult(_Result):
    """How many valid sets there are, and how they spread over a measure."""

    qualification: str
    title: str
    count: int
    exact: bool  # False when a limit stopped the enumeration: count is then a lower bound
    stopped: Literal["set limit", "time limit"] | None = None  # what stopped it, when not exact
    limit: int | None = None  # the most sets this count would list
    by: str | None = None
    distribution: list[Bucket] = []
    solve_seconds: float


class TransferMapping(_Result):
    """Achieved units counted as one target unit."""

    target_unit: str
    target_title: str
    groups: list[str]
    achieved: list[str]
    via: str  # "same reference" or "equivalence <id>"
    credits: int
    glh_saved: int


class NotTransferred(_Result):
    ref: str
    reason: str


class TransferResult(_Result):
    """What a learner's achieved units carry into a target, and the cheapest way to finish it."""

    target: str
    title: str
    goal: str
    status: Status
    units: list[str]  # the whole valid set: transferred and new
    mapping: list[TransferMapping]
    not_transferred: list[NotTransferred]
    credit_carried: int | None
    to_take: list[ChosenUnit]
    glh_to_deliver: int | None
    tqt_to_deliver: int | None
    glh_total: int | None
    credits_total: int | None
    notes: list[Finding] = []
    conflict: list[ConflictRule] = []
    solve_seconds: float


class SuggestionLabel(str, Enum):
    """Match: the unit transfers (same reference or a declared equivalence). Maybe: a target unit
    alike enough to ask the awarding organisation about. Miss: none is."""

    match = "Match"
    maybe = "Maybe"
    miss = "Miss"


class Suggestion(_Result):
    """One achieved unit against one target unit: a Match, a Maybe (with what accepting it would
    save) or a Miss (with the nearest unit, if any, and why it falls short)."""

    achieved: str
    achieved_title: str | None
    label: SuggestionLabel
    target_unit: str | None
    target_title: str | None
    score: float | None = None
    title_score: float | None = None
    level_score: float | None = None
    size_score: float | None = None
    shared_words: list[str] = []
    reason: str
    glh_saved: int | None = None  # Maybe: GLH to deliver without it minus with it declared


class Suggestions(_Result):
    """Transfer suggestions into `target` for a learner's achieved units."""

    target: str
    title: str
    source: str | None  # the source qualification, when every unit of one is compared
    learner: str  # whose units the savings are for
    threshold: float
    status: Status  # of the solves behind the savings: optimal when every one is proven
    glh_to_deliver: int | None  # with the declared equivalences only
    glh_to_deliver_all_maybes: int | None  # with every Maybe declared as well
    suggestions: list[Suggestion]

    @property
    def maybes(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.label is SuggestionLabel.maybe]


class SuggestedTransfer(TransferResult):
    """A transfer, unchanged, with the suggestions beside it."""

    suggestions: Suggestions


class MatrixCell(_Result):
    source: str
    target: str
    target_min_glh: int | None  # with nothing achieved
    from_min_plan: int | None  # GLH to deliver after the source's minimum-GLH plan
    from_all_units: int | None  # GLH to deliver after every unit of the source
    status: Status


class LearnerMoney(_Result):
    """A learner's funding (LARS) against the cost of teaching them, in a class of a given size."""

    funding_category: str | None = None
    funding_rate: float | None = None  # what one learner brings
    funding_per_glh: float | None = None  # the rate over the minimum GLH
    cost_per_learner: float | None = None  # cost per GLH x minimum GLH / class size
    margin_per_learner: float | None = None
    margin_per_class: float | None = None  # margin per learner x class size
    funding_note: str | None = None  # why there is no rate, when funding was asked for and there is none


class _Comparison(_Result):
    """One qualification in `roc compare`."""

    awarder: str
    number: str
    title: str
    level: str
    credits_rule: str  # the same name as in `roc list`
    credits: int | None  # of the smallest valid set
    min_glh: int | None
    max_glh: int | None
    published_glh: str | None  # as printed: "143" or "143-178"
    published_glh_min: int | None = None  # the same as numbers: a range's ends, or the figure twice
    published_glh_max: int | None = None
    min_tqt: int | None
    published_tqt: int | None  # as printed
    published_tqt_used: int | None  # after a recorded correction
    valid_sets: int | None
    valid_sets_exact: bool
    findings: int  # lint errors and warnings about this qualification
    status: Status


class ComparisonRow(LearnerMoney, _Comparison):
    """One qualification in `roc compare`, with the money fields after the rest (set when
    funding or a cost is given)."""


class ClassList(_Result):
    """One class of a unit: its number among the unit's classes, and its learners."""

    number: int
    learners: list[str]


class CohortClass(_Result):
    """One unit on the teaching schedule: taught in `class_count` classes to `learners`, each
    class with its list of learners (sizes differ by at most one)."""

    ref: str
    title: str
    glh: int  # hours one class takes
    learners: list[str]
    class_count: int
    classes: list[ClassList]
    hours: int  # glh x classes
    cost: float | None = None  # pounds


class CohortLearnerPlan(_Result):
    id: str
    qualification: str
    units: list[str]  # the learner's whole valid set
    achieved: list[str]  # of those, credited by prior learning (the same unit, or an equivalence): not taught
    taught: list[str]  # the rest: the units the learner is taught
    glh_taught: int  # by their own qualification's figures
    credits: int
    funding_rate: float | None = None  # their qualification's LARS rate, with --funding


class Unserved(_Result):
    """A learner the class limits leave without a plan, and why."""

    id: str
    qualification: str
    reason: str


class LimitCost(_Result):
    """What one of the planner's limits costs: the hours taught with every limit, and without this one."""

    limit: str  # "minimum class size 8", "at most 1 class of a unit"
    hours_without: int | None  # hours taught were this limit lifted (None: not proven)
    cost_hours: int | None  # hours_taught - hours_without
    learners_served_without: int | None = None  # when the limit leaves learners without a plan


class CohortResult(_Result):
    """A cohort's plan: the classes to teach and each learner's set, against each learner on their
    own minimum-GLH plan sharing classes (the baseline), and every learner taught alone."""

    status: Status
    minimise: str  # "hours" or "cost"
    learners: int
    class_size: int | None = None
    min_class_size: int | None = None
    max_classes: int | None = None
    hours_taught: int | None = None  # sum of GLH x classes
    hours_bound: int | None = None  # when a time limit stopped the proof: hours taught are proven at least this
    classes: int | None = None
    rosters: int | None = None  # distinct class lists across every unit: fewer keeps classmates together
    learner_glh: int | None = None  # sum of each learner's taught GLH
    cost: float | None = None  # pounds
    funding: float | None = None  # every learner's funding rate; None unless all have one
    margin: float | None = None  # funding - cost
    margin_per_learner: float | None = None
    baseline_hours: int | None = None  # each learner on their own minimum-GLH plan, those plans sharing classes
    saving_hours: int | None = None  # baseline_hours - hours_taught: what planning together saves
    taught_alone_hours: int | None = None  # every learner on their own plan in a class of one (no college does)
    schedule: list[CohortClass] = []
    plans: list[CohortLearnerPlan] = []
    unserved: list[Unserved] = []
    limit_costs: list[LimitCost] = []
    notes: list[str] = []
    conflict: list[ConflictRule] = []  # why `conflict_learner` cannot be planned at all
    conflict_learner: str | None = None
    formulation: str | None = None  # "set choice" (kinds of learner) or "per learner"
    solve_seconds: float
