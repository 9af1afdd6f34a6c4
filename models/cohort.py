"""A cohort: the learners a centre teaches together, and what constrains their classes.

A unit is taught once to every learner in a class who takes it; a unit taken by n learners needs
ceil(n / class_size) classes. A learner's achieved units count toward their qualification but are
not taught again.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from .errors import check_unique_ids
from .figures import Hours
from .levels import LevelField
from .refs import UnitRef

MAX_CLASS = 1000  # learners in one class


class CannotDeliver(BaseModel):
    """Units, or whole levels, the centre cannot teach."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    units: list[UnitRef] = []
    levels: list[LevelField] = []


class Learner(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    qualification: str = Field(min_length=1)  # a catalogue number or a qualification file
    achieved: list[UnitRef] = []
    record: str | None = None  # a learner record file (YAML, JSON or CSV) of achieved units


class Cohort(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    learners: list[Learner] = Field(min_length=1)
    class_size: Annotated[StrictInt, Field(ge=1, le=MAX_CLASS)] | None = None  # None: any number in one class
    cost_per_glh: Hours | None = None  # money per hour taught, for --minimise cost
    unit_costs: dict[UnitRef, Hours] = {}  # money per class of a unit, instead of GLH x cost_per_glh
    cannot_deliver: CannotDeliver = CannotDeliver()

    @model_validator(mode="after")
    def _unique_ids(self) -> "Cohort":
        check_unique_ids((learner.id for learner in self.learners), "learners")
        return self
