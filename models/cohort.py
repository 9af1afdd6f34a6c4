"""A cohort: the learners a centre teaches together, and what constrains their classes.

A unit is taught once to every learner in a class who takes it; a unit taken by n learners needs
ceil(n / class_size) classes. A learner's achieved units (and declared equivalences of them) may
count toward their qualification, as in credit transfer, and are then not taught again; they are
used where they help, never forced into the learner's set.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from .errors import check_unique_ids
from .figures import Money
from .levels import LevelField
from .refs import UnitRef

MAX_CLASS = 1000  # learners in one class


class CannotDeliver(BaseModel):
    """Units, or whole levels, the centre cannot teach: `cannot_deliver: {units: [L/506/1791],
    levels: [L2]}`. A learner may still have such a unit credited by prior learning."""

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
    min_class_size: Annotated[StrictInt, Field(ge=1, le=MAX_CLASS)] | None = None  # smaller classes are not run
    max_classes: Annotated[StrictInt, Field(ge=1, le=MAX_CLASS)] | None = None  # classes of any one unit
    cost_per_glh: Money | None = None  # pounds per hour taught (pence allowed), for --minimise cost
    unit_costs: dict[UnitRef, Money] = {}  # pounds per class of a unit, instead of GLH x cost_per_glh
    cannot_deliver: CannotDeliver = CannotDeliver()

    @model_validator(mode="before")
    @classmethod
    def _units_alone(cls, data: Any) -> Any:
        """`cannot_deliver: [L/506/1791, ...]`, the natural guess, is the list of units."""
        if isinstance(data, dict) and isinstance(data.get("cannot_deliver"), list):
            return {**data, "cannot_deliver": {"units": data["cannot_deliver"]}}
        return data

    @model_validator(mode="after")
    def _unique_ids(self) -> "Cohort":
        check_unique_ids((learner.id for learner in self.learners), "learners")
        if self.min_class_size is not None and self.class_size is not None and self.min_class_size > self.class_size:
            raise ValueError(f"min_class_size {self.min_class_size} is above class_size {self.class_size}")
        return self
