"""What a planner may ask of a plan besides its objective: units in or out, levels, groups and
title words ruled out, and bounds on the set's totals. One model, read the same way by every face
(the CLI's options, the web's form and JSON fields, the Python API's keywords): its field names are
the neutral names errors carry (`include`, `exclude_level`, `glh_at_least`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from models import InputError, Measure, Qualification, Target, UnitRef

from ..analysis.ruled_out import restricted_units
from .validate import built

REFS: list[str] = Field(default=[], max_length=500)
BOUND = Field(default=None, ge=0, le=10**9)


class Restrictions(BaseModel):
    """Restrictions on a plan (each one optional)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    include: list[str] = REFS
    exclude: list[str] = REFS
    max_level: str | None = None
    exclude_level: list[str] = Field(default=[], max_length=20)
    exclude_group: list[str] = Field(default=[], max_length=100)
    exclude_title: list[str] = Field(default=[], max_length=20)
    glh_at_least: int | None = BOUND
    glh_at_most: int | None = BOUND
    tqt_at_least: int | None = BOUND
    tqt_at_most: int | None = BOUND
    credits_at_least: int | None = BOUND
    credits_at_most: int | None = BOUND

    @classmethod
    def of(cls, include: Sequence[str | UnitRef] = (), exclude: Sequence[str | UnitRef] = (),
           targets: Sequence[Target] = (), max_level: str | None = None, exclude_level: Sequence[str] = (),
           exclude_group: Sequence[str] = (), exclude_title: Sequence[str] = ()) -> "Restrictions":
        """From the Python API's keywords: references may be UnitRefs, and `targets` Target
        models (one per measure)."""
        bounds: dict[str, object] = {}
        for target in targets:
            low, high = f"{target.measure.value}_at_least", f"{target.measure.value}_at_most"
            if low in bounds or high in bounds:
                raise InputError(f"two targets on {target.measure.value}: give one with min and max", field="targets")
            bounds |= {low: target.min, high: target.max}
        return built(cls, include=[str(r) for r in include], exclude=[str(r) for r in exclude], max_level=max_level,
                     exclude_level=list(exclude_level), exclude_group=list(exclude_group),
                     exclude_title=list(exclude_title), **bounds)

    def targets(self) -> list[Target]:
        """The bounds on totals as Targets; min above max is an error naming both fields."""
        found = []
        for measure in Measure:
            low, high = getattr(self, f"{measure.value}_at_least"), getattr(self, f"{measure.value}_at_most")
            if low is None and high is None:
                continue
            if low is not None and high is not None and low > high:
                raise InputError(f"min {low} is above max {high}",
                                 field=f"{measure.value}_at_least/{measure.value}_at_most")
            found.append(Target(measure=measure, min=low, max=high))
        return found

    def applied(self, qual: Qualification) -> "Applied":
        """The restrictions as `qual`'s excluded units, their words, and the targets."""
        words, ruled_out = restricted_units(qual, self.exclude_level, self.max_level, self.exclude_group,
                                            self.exclude_title)
        return Applied(words, ruled_out, list(self.exclude) + [str(ref) for ref in ruled_out], self.targets())


@dataclass(frozen=True)
class Applied:
    words: list[str]  # the word restrictions, as the plan says them
    ruled_out: list[UnitRef]  # the units they rule out
    excluded: list[str]  # every unit excluded: those asked for, then those ruled out
    targets: list[Target]
