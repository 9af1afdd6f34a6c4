"""Ofqual unit references (`K/601/6075`) and qualification numbers (`601/4404/X`).

Both are compared by their seven digits, so one unit printed with two different check letters is
still one unit; what was printed is kept, and `problems()` says what is wrong with it.

Ofqual reference check character (inferred from published numbers, not published by Ofqual):
weights 8,7,6,5,4,3,2 over the seven digits, s = sum mod 11; a unit reference's letter is
"ADFHJKLMRTY"[s], a qualification number's check is s, written X for 10.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import core_schema
from typing_extensions import Self

from .errors import InputError

_WEIGHTS = (8, 7, 6, 5, 4, 3, 2)
UNIT_CHECK_LETTERS = "ADFHJKLMRTY"


def check_sum(digits: str) -> int:
    return sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=True)) % 11


class _Reference:
    """Shared behaviour: seven digits, a check character, the text as printed."""

    __slots__ = ("printed", "digits", "check")
    printed: str
    digits: str
    check: str
    _PATTERN: re.Pattern[str]
    _EXAMPLE: str
    _KIND: str

    def __init__(self, printed: str, digits: str, check: str) -> None:
        self.printed, self.digits, self.check = printed, digits, check

    @classmethod
    def parse(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise ValueError(f"{cls._KIND} must be text like {cls._EXAMPLE}, got {value!r}")
        # Full-width digits and slashes (Y/５０６/2085) are the same reference once NFKC-normalised;
        # matching only ASCII digits after that means no other digit can make a second unit.
        match = cls._PATTERN.match(unicodedata.normalize("NFKC", value))
        if not match:
            raise ValueError(f"{value!r} is not {cls._KIND} (expected e.g. {cls._EXAMPLE})")
        return cls._from_match(value.strip(), match)

    @classmethod
    def parse_all(cls, values: Iterable[object], field: str) -> list[Self]:
        """Parse every value; the first that is not a reference is an InputError naming `field`."""
        parsed = []
        for value in values:
            try:
                parsed.append(cls.parse(value))
            except ValueError as exc:
                raise InputError(str(exc), field=field) from None
        return parsed

    @classmethod
    def _from_match(cls, printed: str, match: re.Match[str]) -> Self:
        raise NotImplementedError

    @property
    def expected_check(self) -> str:
        raise NotImplementedError

    @property
    def check_ok(self) -> bool:
        return self.check == self.expected_check

    @property
    def normalised(self) -> str:
        raise NotImplementedError

    def problems(self) -> list[str]:
        """What is wrong with the reference as printed (empty when nothing is)."""
        found = []
        if self.printed != self.normalised:
            found.append(f"printed as {self.printed!r}, normalised to {self.normalised}")
        if not self.check_ok:
            found.append(
                f"check character {self.check!r} does not match the digits "
                f"(expected {self.expected_check!r})"
            )
        return found

    def __str__(self) -> str:
        return self.normalised

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.printed!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, type(self)):
            return self.digits == other.digits
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.digits))

    def __lt__(self, other: "_Reference") -> bool:
        return self.digits < other.digits

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: GetJsonSchemaHandler) -> dict[str, Any]:
        return {"type": "string", "examples": [cls._EXAMPLE]}


class UnitRef(_Reference):
    """`K/601/6075`: check letter, three-digit block, four-digit serial. `M601/6059` parses too."""

    _PATTERN = re.compile(r"^\s*([A-Za-z])\s*/?\s*([0-9]{3})\s*/\s*([0-9]{4})\s*$")
    _EXAMPLE = "K/601/6075"
    _KIND = "an Ofqual unit reference"

    @classmethod
    def _from_match(cls, printed: str, match: re.Match[str]) -> "UnitRef":
        return cls(printed, match.group(2) + match.group(3), match.group(1).upper())

    @property
    def expected_check(self) -> str:
        return UNIT_CHECK_LETTERS[check_sum(self.digits)]

    @property
    def normalised(self) -> str:
        return f"{self.check}/{self.digits[:3]}/{self.digits[3:]}"

    @property
    def corrected(self) -> str:
        """The reference with the check letter its digits call for."""
        return f"{self.expected_check}/{self.digits[:3]}/{self.digits[3:]}"


class QualNumber(_Reference):
    """`601/4404/X`: seven digits and a check character (0-9, or X for 10)."""

    _PATTERN = re.compile(r"^\s*([0-9]{3})\s*/?\s*([0-9]{4})\s*/\s*([0-9Xx])\s*$")
    _EXAMPLE = "601/4404/X"
    _KIND = "an Ofqual qualification number"

    @classmethod
    def _from_match(cls, printed: str, match: re.Match[str]) -> "QualNumber":
        return cls(printed, match.group(1) + match.group(2), match.group(3).upper())

    @property
    def expected_check(self) -> str:
        s = check_sum(self.digits)
        return "X" if s == 10 else str(s)

    @property
    def normalised(self) -> str:
        return f"{self.digits[:3]}/{self.digits[3:]}/{self.check}"
