"""Rules of combination: credit and count bounds, groups, level quotas, barred pairs."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .figures import Bound, Flag
from .levels import Level, LevelField
from .refs import UnitRef


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a figure or rule was transcribed from."""

    document: str
    section: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        return self.document + (f", {self.section}" if self.section else "")

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        """`source: letter from NCFE, 2026-05-01` is the document alone."""
        return {"document": value} if isinstance(value, str) else value


class Bounds(_Strict):
    """An inclusive range; `exact: n` is shorthand for `min: n, max: n`."""

    min: Bound | None = None
    max: Bound | None = None
    exact: Bound | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _check(self) -> "Bounds":
        if self.exact is not None:
            if (self.min not in (None, self.exact)) or (self.max not in (None, self.exact)):
                raise ValueError(f"exact {self.exact} contradicts min {self.min} / max {self.max}")
            object.__setattr__(self, "min", self.exact)
            object.__setattr__(self, "max", self.exact)
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    @property
    def is_open(self) -> bool:
        return self.min is None and self.max is None

    def describe(self, noun: str) -> str:
        if self.min is not None and self.min == self.max:
            return f"exactly {self.min} {noun}"
        parts = []
        if self.min is not None:
            parts.append(f"at least {self.min}")
        if self.max is not None:
            parts.append(f"at most {self.max}")
        return (" and ".join(parts) + f" {noun}") if parts else f"any number of {noun}"

    def shortfall(self, value: int) -> int:
        """How far `value` is outside the range: negative below min, positive above max, 0 inside."""
        if self.min is not None and value < self.min:
            return value - self.min
        if self.max is not None and value > self.max:
            return value - self.max
        return 0


class Group(_Strict):
    """A group of units: mandatory (every unit), or optional with credit and/or unit-count bounds."""

    id: str = Field(min_length=1)
    title: str | None = None
    mandatory: Flag = False
    units: list[UnitRef] = Field(min_length=1)
    credits: Bounds | None = None
    count: Bounds | None = None
    source: Source | None = None


class LevelRange(_Strict):
    min: LevelField | None = None
    max: LevelField | None = None

    @model_validator(mode="after")
    def _check(self) -> "LevelRange":
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min level {self.min.label} is above max level {self.max.label}")
        return self

    def contains(self, level: Level) -> bool:
        return (self.min is None or level >= self.min) and (self.max is None or level <= self.max)

    def describe(self) -> str:
        if self.min is not None and self.min == self.max:
            return f"at {self.min.label}"
        if self.min is not None and self.max is not None:
            return f"at {self.min.label} to {self.max.label}"
        if self.min is not None:
            return f"at {self.min.label} or above"
        if self.max is not None:
            return f"at {self.max.label} or below"
        return "at any level"


class LevelQuota(_Strict):
    """"2 credits must be at Level 1 or above", over chosen groups or the whole qualification."""

    id: str | None = None
    credits: Bounds
    levels: LevelRange
    groups: list[str] | None = None
    source: Source | None = None


def _pair(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return {"units": list(value)}
    return value


class BarredPair(_Strict):
    """Two units that may not be taken together. Written `[A/601/6047, R/601/6068]`."""

    units: tuple[UnitRef, UnitRef]
    source: Source | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, value: object) -> object:
        return _pair(value)

    @model_validator(mode="after")
    def _two_units(self) -> "BarredPair":
        if self.units[0] == self.units[1]:
            raise ValueError(f"a barred pair names {self.units[0]} twice; it bars two different units")
        return self

    def __str__(self) -> str:
        return f"{self.units[0]} with {self.units[1]}"


