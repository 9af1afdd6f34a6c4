"""The figures roc accepts: whole numbers in a documented range, never a bool, a float or text.

Credits 0 to 999 a unit, GLH and TQT 0 to 99,999 hours a unit, rule bounds 0 to 9,999,999.
Money (funding rates, costs) is pounds to the penny, 0 to 10,000,000, never NaN or infinite.
Real units carry at most a few hundred credits and hours; the ranges leave room for synthetic
studies while keeping every sum of a qualification far inside a 64-bit integer (so CP-SAT,
the valid-set table and `check` add up the same numbers). A value outside them is a mistake in
the file (2^40 GLH, a negative credit, `credits: "3"`, `credits: true`, NaN) and an error.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field, StrictBool, StrictInt

MAX_CREDITS = 999
MAX_HOURS = 99_999
MAX_BOUND = 9_999_999

Credits = Annotated[StrictInt, Field(ge=0, le=MAX_CREDITS)]
Hours = Annotated[StrictInt, Field(ge=0, le=MAX_HOURS)]
Bound = Annotated[StrictInt, Field(ge=0, le=MAX_BOUND)]
Flag = StrictBool
MAX_MONEY = 10_000_000
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False), AfterValidator(lambda v: round(v, 2))]

__all__ = ["MAX_BOUND", "MAX_CREDITS", "MAX_HOURS", "MAX_MONEY", "Bound", "Credits", "Flag", "Hours", "Money"]
