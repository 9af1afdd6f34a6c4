"""Credit transfer: what a learner has achieved, and declared equivalences between units."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .dates import Day
from .errors import check_unique_ids
from .figures import Credits
from .levels import LevelField
from .refs import QualNumber, UnitRef
from .rules import Source
from .units import Unit

SUGGESTED = "suggested by roc, needs confirmation"  # the source of an equivalence roc suggested


class Equivalence(BaseModel):
    """Achieved units that count in place of a target unit: one-to-one (one achieved unit) or
    many-to-one (all of them together). Declared by an awarding organisation, so always sourced."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    target: UnitRef
    achieved: list[UnitRef] = Field(min_length=1)
    qualification: QualNumber | None = Field(
        default=None, description="only into this qualification (default: wherever the target unit is)")
    source: Source

    @property
    def suggested(self) -> bool:
        """Whether roc suggested it (`--write-equivalences`) and no one has yet confirmed it: its
        source still says so (a planner who confirms one gives its real source)."""
        return self.source.document.startswith("suggested by roc")

    @model_validator(mode="after")
    def _distinct(self) -> "Equivalence":
        digits = [ref.digits for ref in self.achieved]
        if len(set(digits)) != len(digits):
            raise ValueError("achieved lists the same unit twice")
        if self.target.digits in digits:
            raise ValueError(f"{self.target} is declared equivalent to itself; the same reference "
                             "transfers anyway")
        return self


class EquivalenceFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    equivalences: list[Equivalence] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> "EquivalenceFile":
        check_unique_ids((eq.id for eq in self.equivalences), "equivalences")
        return self


class AchievedUnit(BaseModel):
    """A unit a learner has achieved. Only the reference is needed; the rest is what the learner
    record says, checked against the catalogue."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: UnitRef
    title: str | None = None
    awarder: str | None = None
    level: LevelField | None = None
    credits: Credits | None = None
    date: Day | None = None  # 2025-03-12 or, as UK records write it, 12/03/2025

    @model_validator(mode="before")
    @classmethod
    def _from_reference(cls, value: object) -> object:
        return {"ref": value} if isinstance(value, str) else value


class LearnerRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    learner: str | None = None
    achieved: list[AchievedUnit] = []

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: object) -> object:
        return {"achieved": value} if isinstance(value, list) else value


@dataclass(frozen=True)
class Credit:
    """One way to credit a target unit: these achieved units (by digits), via a rule
    ("same reference" or "equivalence <id>")."""

    target: Unit
    achieved: tuple[str, ...]
    via: str
