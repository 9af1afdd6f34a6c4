"""A unit: Ofqual reference, title, level, credit value, GLH, and TQT (credits x 10 unless printed)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .figures import Credits, Hours
from .levels import LevelField
from .refs import UnitRef
from .rules import Source


class Unit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ref: UnitRef
    title: str = Field(min_length=1)
    level: LevelField
    credits: Credits
    glh: Hours
    tqt: Hours = Field(default=0, description="total qualification time; credits x 10 when not given")
    code: str | None = Field(default=None, description="the awarder's own unit code, if printed")
    source: Source | None = None

    @model_validator(mode="after")
    def _default_tqt(self) -> "Unit":
        # After validation `tqt` is always a number: the printed figure, or credits x 10.
        if "tqt" not in self.model_fields_set:
            # Credit convention: 1 credit = 10 notional hours (QCF; Ofqual General Conditions E8).
            object.__setattr__(self, "tqt", self.credits * 10)
        return self

    @property
    def tqt_printed(self) -> bool:
        """Whether the specification printed this unit's TQT (else it is credits x 10)."""
        return "tqt" in self.model_fields_set
