"""What roc optimises and how a solve ends: measures, senses, objectives and proof status.

Plain vocabulary shared by every layer (the engine, the analyses, the CLI and what-if records), so
none of them has to parse or spell these again.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator

from .errors import InputError
from .figures import Bound
from .units import Unit


class Measure(str, Enum):
    """A unit figure a set is measured by."""

    glh = "glh"
    tqt = "tqt"
    credits = "credits"

    def of(self, unit: Unit) -> int:
        """This measure of one unit."""
        return int(getattr(unit, self.value))

    def total(self, units: Iterable[Unit]) -> int:
        return sum(int(getattr(unit, self.value)) for unit in units)


class Target(BaseModel):
    """A bound on a set's total of one measure, held as a constraint while another measure is
    optimised: `--glh-at-least 150 --minimise tqt` (reach a planned-hours band at the least TQT)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: Measure
    min: Bound | None = None
    max: Bound | None = None

    @model_validator(mode="after")
    def _a_bound(self) -> "Target":
        if self.min is None and self.max is None:
            raise ValueError("a target needs min or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    @property
    def key(self) -> str:
        parts = ([f"at least {self.min}"] if self.min is not None else []) + \
                ([f"at most {self.max}"] if self.max is not None else [])
        return f"target {self.measure.value} {' and '.join(parts)}"

    @property
    def text(self) -> str:
        name = {"glh": "GLH", "tqt": "TQT", "credits": "credits"}[self.measure.value]
        return self.key.replace(f"target {self.measure.value}", f"target: total {name}")


class Sense(str, Enum):
    minimise = "minimise"
    maximise = "maximise"


_SPELLINGS = {"minimize": "minimise", "maximize": "maximise", "min": "minimise", "max": "maximise"}


class Objective(BaseModel):
    """`minimise glh`, `maximise glh`, `minimise tqt`, ... Accepts that text wherever an objective
    is asked for (`Objective.parse`, or as a field of a pydantic model) and prints as it."""

    model_config = ConfigDict(frozen=True)

    sense: Sense = Sense.minimise
    measure: Measure = Measure.glh

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        words = value.lower().split()
        if len(words) != 2:
            raise ValueError(f"{value!r}: expected 'minimise' or 'maximise' and glh, tqt or credits")
        sense = _SPELLINGS.get(words[0], words[0])
        if sense not in Sense.__members__ or words[1] not in Measure.__members__:
            raise ValueError(f"{value!r}: expected 'minimise' or 'maximise' and glh, tqt or credits")
        return {"sense": sense, "measure": words[1]}

    @classmethod
    def parse(cls, value: "Objective | str", field: str = "objective") -> "Objective":
        """An Objective from its text; an InputError (not a traceback) for anything else."""
        if isinstance(value, Objective):
            return value
        if isinstance(value, str):
            try:
                return cls.model_validate(value)
            except ValueError:
                pass
        raise InputError(f"{value!r}: expected 'minimise' or 'maximise' and glh, tqt or credits", field=field)

    @property
    def sign(self) -> int:
        """+1 to minimise, -1 to maximise: a minimisation of sign * measure."""
        return 1 if self.sense is Sense.minimise else -1

    def __str__(self) -> str:
        return f"{self.sense.value} {self.measure.value}"


class Status(str, Enum):
    """How a solve ended."""

    optimal = "optimal"  # proven optimal
    feasible = "feasible"  # a valid set, but the time limit stopped the proof
    infeasible = "infeasible"  # proven: no valid set
    unknown = "unknown"  # stopped before finding a set or proving there is none
    error = "error"  # could not be run (a what-if scenario naming no unit of its qualification, say)

    @property
    def found(self) -> bool:
        return self in (Status.optimal, Status.feasible)

    @property
    def proven(self) -> bool:
        return self in (Status.optimal, Status.infeasible)

    @classmethod
    def of_all(cls, statuses: Iterable["Status"]) -> "Status":
        """Of several solves behind one answer: optimal when every one was, else the first that
        was not."""
        return next((s for s in statuses if s is not cls.optimal), cls.optimal)


class JobState(str, Enum):
    """Where a background job (a web what-if study) is: still running, done, or failed as a whole
    (each of its records has its own Status)."""

    running = "running"
    done = "done"
    failed = "failed"
