"""What-if scenarios: a qualification, an objective, and changes to apply before solving."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, field_validator, model_validator

from .figures import Bound, Credits, Hours
from .levels import LevelField
from .objectives import Objective, Target
from .refs import UnitRef

ObjectiveField = Annotated[Objective, PlainSerializer(str, return_type=str)]


class UnitChange(BaseModel):
    """New figures for one unit; what is left out stays as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    glh: Hours | None = None
    credits: Credits | None = None
    level: LevelField | None = None
    tqt: Hours | None = None


class RuleChange(BaseModel):
    """New bounds for one rule, named by its key as `roc check` and conflicts print it:
    `credits`, `group B credits`, `group C count`, `level quota 1`. A bound given as null is
    removed; a bound left out stays as it is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1)
    min: Bound | None = None
    max: Bound | None = None

    @model_validator(mode="after")
    def _something(self) -> "RuleChange":
        if not ({"min", "max"} & self.model_fields_set):
            raise ValueError(f"rule {self.rule!r}: give min and/or max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"rule {self.rule!r}: min {self.min} is greater than max {self.max}")
        return self


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    qualification: str = Field(min_length=1, description="an Ofqual number or a qualification file")
    objective: ObjectiveField = Objective()
    withdraw: list[UnitRef] = Field(default_factory=list)
    units: dict[str, UnitChange] = Field(default_factory=dict, description="unit reference -> new figures")
    rules: list[RuleChange] = Field(default_factory=list)
    include: list[UnitRef] = Field(default_factory=list)
    exclude: list[UnitRef] = Field(default_factory=list)
    achieved: list[UnitRef] = Field(default_factory=list, description="units already achieved: they cost nothing")
    targets: list[Target] = Field(default_factory=list, description="bounds on the set's GLH, TQT or credits, e.g. "
                                  "{measure: glh, min: 150}; achieved units count no hours")

    @field_validator("units")
    @classmethod
    def _unit_keys(cls, value: dict[str, UnitChange]) -> dict[str, UnitChange]:
        for key in value:
            UnitRef.parse(key)
        return value
