"""Results as plain data: pydantic models that serialise to the CLI's JSON."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from models import Finding, Qualification, Unit


class Status(str, Enum):
    optimal = "optimal"  # proven optimal
    feasible = "feasible"  # a valid set, but the time limit stopped the proof
    infeasible = "infeasible"  # proven: no valid set
    unknown = "unknown"  # stopped before finding a set or proving there is none


class Measure(str, Enum):
    glh = "glh"
    tqt = "tqt"
    credits = "credits"

    def of(self, unit: Unit) -> int:
        return getattr(unit, _FIELD[self.value])


_FIELD = {"glh": "glh", "tqt": "tqt", "credits": "credits"}


class Sense(str, Enum):
    minimise = "minimise"
    maximise = "maximise"


class Objective(BaseModel):
    sense: Sense = Sense.minimise
    measure: Measure = Measure.glh

    def __str__(self) -> str:
        return f"{self.sense.value} {self.measure.value}"


class ChosenUnit(BaseModel):
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
                   glh=unit.glh, tqt=unit.hours, groups=qual.groups_of(unit.ref))


class Plan(BaseModel):
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
    conflict: list["ConflictRule"] = []  # when infeasible: a minimal set of rules that cannot all hold
    solve_seconds: float

    @property
    def proven(self) -> bool:
        return self.status in (Status.optimal, Status.infeasible)


class ConflictRule(BaseModel):
    """One member of a minimal set of rules and choices that cannot all hold."""

    rule: str
    message: str


class Violation(BaseModel):
    """A rule a learner's plan breaks, with the numbers."""

    rule: str  # the same key `roc plan` uses in a conflict
    kind: str  # credits, group-credits, group-count, mandatory, level-quota, barred, not-in-qualification
    message: str
    actual: int | None = None
    min: int | None = None
    max: int | None = None
    difference: int | None = None  # negative: short by; positive: over by
    units: list[str] = []


class CheckResult(BaseModel):
    qualification: str
    title: str
    valid: bool
    units: list[str]
    glh: int
    tqt: int
    credits: int
    violations: list[Violation] = []
    notes: list[Finding] = []


class Alternatives(BaseModel):
    qualification: str
    title: str
    goal: str
    mode: str  # "top K" or "all optimal"
    complete: bool  # False when a time or size limit cut the list short
    plans: list[Plan]


class Bucket(BaseModel):
    value: int
    count: int


class CountResult(BaseModel):
    qualification: str
    title: str
    count: int
    exact: bool  # False when the time limit stopped the enumeration: count is then a lower bound
    by: str | None = None
    distribution: list[Bucket] = []
    solve_seconds: float


class TransferMapping(BaseModel):
    """Achieved units counted as one target unit."""

    target_unit: str
    target_title: str
    groups: list[str]
    achieved: list[str]
    via: str  # "same reference" or "equivalence <id>"
    credits: int
    glh_saved: int


class NotTransferred(BaseModel):
    ref: str
    reason: str


class TransferResult(BaseModel):
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


class MatrixCell(BaseModel):
    source: str
    target: str
    target_min_glh: int | None  # with nothing achieved
    from_min_plan: int | None  # GLH to deliver after the source's minimum-GLH plan
    from_all_units: int | None  # GLH to deliver after every unit of the source
    status: Status


class ScenarioResult(BaseModel):
    """One line of a what-if run's results."""

    id: str
    qualification: str | None = None
    goal: str | None = None
    status: str  # a Status value, or "error" for a scenario that could not be run
    objective: int | None = None
    units: list[str] = []
    glh: int | None = None
    tqt: int | None = None
    credits: int | None = None
    solve_ms: float | None = None
    error: str | None = None
