"""Results as plain data: pydantic models that serialise to the CLI's JSON."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel

from models import Finding, Unit


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
        return {"glh": unit.glh, "tqt": unit.hours, "credits": unit.credits}[self.value]


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
    solve_seconds: float

    @property
    def proven(self) -> bool:
        return self.status in (Status.optimal, Status.infeasible)
