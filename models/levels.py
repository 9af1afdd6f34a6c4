"""Levels of the Regulated Qualifications Framework: Entry 1 < Entry 2 < Entry 3 < Level 1 < ... < Level 8."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Annotated

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema


class Level(IntEnum):
    E1 = 1
    E2 = 2
    E3 = 3
    L1 = 4
    L2 = 5
    L3 = 6
    L4 = 7
    L5 = 8
    L6 = 9
    L7 = 10
    L8 = 11

    @property
    def label(self) -> str:
        """The wording specifications use: 'Entry 3', 'Level 1'."""
        kind = "Entry" if self.name[0] == "E" else "Level"
        return f"{kind} {self.name[1]}"

    def __str__(self) -> str:
        return self.name

    @classmethod
    def parse(cls, value: object) -> "Level":
        """Accept `E3`, `Entry 3`, `Entry Level 3`, `L1`, `Level 1`, `1` (a bare number is a Level)."""
        if isinstance(value, Level):
            return value
        if isinstance(value, bool):
            raise ValueError(f"not a level: {value!r}")
        if isinstance(value, int):
            text = str(value)
        elif isinstance(value, str):
            text = value
        else:
            raise ValueError(f"not a level: {value!r}")
        match = _LEVEL_RE.match(text)
        if not match:
            raise ValueError(f"not a level: {value!r} (expected e.g. E3, Entry 3, L1, Level 1 or 1)")
        kind, number = match.group(1), int(match.group(2))
        entry = bool(kind) and kind.lower().startswith("e")
        if entry and 1 <= number <= 3:
            return cls[f"E{number}"]
        if not entry and 1 <= number <= 8:
            return cls[f"L{number}"]
        raise ValueError(f"not a level: {value!r} (Entry 1-3 or Level 1-8)")


_LEVEL_RE = re.compile(r"^\s*(e|entry(?:\s+level)?|l|level)?\s*(\d+)\s*$", re.IGNORECASE)

LevelField = Annotated[
    Level,
    BeforeValidator(Level.parse),
    PlainSerializer(lambda level: level.name, return_type=str),
    WithJsonSchema({"type": "string", "examples": ["E3", "L1", "Level 2"]}),
]
