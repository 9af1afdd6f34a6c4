"""Units as specifications print them: rows of a unit table (any column order, found by its
header's words), or a unit's own block ("Unit 01 Title (L/506/2083)" then "Guided learning hours:
25", "Credit value: 3", "Level: 1"). Every value keeps the line it was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .document import REF_CELL, Line

REF_IN_TEXT = re.compile(r"\b([A-Z])\s*/?\s*([0-9]{3})\s*/\s*([0-9]{4})\b")
# a header's words -> the column they name (first match wins: "Ofqual unit reference" is the reference)
HEADER_WORDS = [("ref", re.compile(r"ofqual|reference|\bref\b|\burn\b", re.I)),
                ("code", re.compile(r"\bcode\b", re.I)),
                ("title", re.compile(r"title|\bname\b", re.I)),
                ("credits", re.compile(r"credit", re.I)),
                ("glh", re.compile(r"\bglh\b|guided", re.I)),
                ("tqt", re.compile(r"\btqt\b|total qualification", re.I)),
                ("level", re.compile(r"\blevel\b", re.I))]
LEVEL = re.compile(r"^\s*(?:(entry|e)\s*([1-3])|(?:level|l)?\s*([1-8]))\s*$", re.I)
UNIT_BLOCK = re.compile(r"^\s*(?:#+\s*)?Unit\s+(\d{1,3})\s+(.+?)\s*\(\s*([A-Z]\s*/?\s*\d{3}\s*/\s*\d{4})\s*\)\s*$")
# a unit block's field lines: short, each starting with a field's name ("Credit value: 3 Level: 2" is two)
BLOCK_FIELDS = {"glh": re.compile(r"guided learning hours\s*(?:\(GLH\))?\s*:?\s*(\d+)\b", re.I),
                "credits": re.compile(r"credit value\s*:?\s*(\d+)\b", re.I),
                "level": re.compile(r"(?:^|\s)(?:unit\s+)?level\s*:?\s*((?:entry\s*)?\d)\b", re.I),
                "tqt": re.compile(r"total (?:unit|qualification) time\s*(?:\(TQT\))?\s*:?\s*(\d+)\b", re.I)}
BLOCK_LINE = re.compile(r"^\s*(?:guided learning hours|credit value|(?:unit\s+)?level|total (?:unit|qualification) "
                        r"time)\b", re.I)


@dataclass
class ReadUnit:
    ref: str  # as printed
    line: Line
    title: str | None = None
    level: str | None = None
    credits: int | None = None
    glh: int | None = None
    tqt: int | None = None
    code: str | None = None
    number: str | None = None  # the document's own unit number ("Unit 01"), if any
    doubts: list[str] = field(default_factory=list)


def level_of(text: str) -> str | None:
    """'Level 1', '1', 'L1' -> 'L1'; 'Entry 3', 'E3' -> 'E3'; else None."""
    found = LEVEL.match(text.replace("*", ""))
    if not found:
        return None
    return f"E{found.group(2)}" if found.group(1) else f"L{found.group(3)}"


def number_of(text: str) -> int | None:
    found = re.fullmatch(r"\s*\**(\d{1,4})\**\s*", text)
    return int(found.group(1)) if found else None


def header_of(cells: list[str]) -> dict[int, str] | None:
    """A unit table's header row: column index -> what it holds; None if the row is not one."""
    columns: dict[int, str] = {}
    for i, cell in enumerate(cells):
        for name, words in HEADER_WORDS:
            if words.search(cell) and name not in columns.values():
                columns[i] = name
                break
    return columns if "ref" in columns.values() and len(columns) >= 3 else None


def table_units(lines: list[Line]) -> list[ReadUnit]:
    """Every row of a unit table: a row with one unit reference in a cell of its own, read by the
    last header above it (a table continued without a header keeps its columns)."""
    found: list[ReadUnit] = []
    columns: dict[int, str] | None = None
    for line in lines:
        cells = line.cells()
        if cells is None:
            continue
        refs = [i for i, cell in enumerate(cells) if REF_CELL.match(cell)]
        if not refs:
            columns = header_of(cells) or columns
            continue
        if len(refs) > 1 or re.search(r"taken with|barred", line.text, re.I):
            continue  # a barred pair, not a unit
        found.append(_row(line, cells, refs[0], columns))
    return found


def _row(line: Line, cells: list[str], ref_at: int, columns: dict[int, str] | None) -> ReadUnit:
    unit = ReadUnit(ref=cells[ref_at].strip("* "), line=line)
    if columns is None or columns.get(ref_at) != "ref":
        unit.doubts.append("no header names this table's columns: the title, level, credits and GLH were "
                           "guessed from the cells' shapes")
        columns = _guessed(cells, ref_at)
    if "title" not in columns.values():  # a header cell that is the group's name heads the titles
        texts = [(len(c), i) for i, c in enumerate(cells) if i not in columns and number_of(c) is None
                 and not level_of(c) and c.strip()]
        if texts:
            columns = {**columns, max(texts)[1]: "title"}
    for i, name in columns.items():
        if i >= len(cells) or name == "ref":
            continue
        text = cells[i].strip("* ")
        if name in ("credits", "glh", "tqt"):
            setattr(unit, name, number_of(text))
        elif name == "level":
            unit.level = level_of(text)
        else:
            setattr(unit, name, text or None)
    return unit


def _guessed(cells: list[str], ref_at: int) -> dict[int, str]:
    """Columns from the cells alone: the longest text is the title, a level is a level, and the
    numbers are credits then GLH in the order printed."""
    columns: dict[int, str] = {ref_at: "ref"}
    texts = [(len(c), i) for i, c in enumerate(cells) if i != ref_at and number_of(c) is None and not level_of(c)]
    if texts:
        columns[max(texts)[1]] = "title"
    numbers = [i for i, c in enumerate(cells) if i != ref_at and number_of(c) is not None]
    levels = [i for i, c in enumerate(cells) if i != ref_at and level_of(c) and number_of(c) is None]
    for i in levels[:1]:
        columns[i] = "level"
    for i, name in zip(numbers, ("credits", "glh", "tqt")):
        columns[i] = name
    return columns


def block_units(lines: list[Line]) -> list[ReadUnit]:
    """Units printed one block each: "Unit 01 Title (REF)" and the field lines under it. A unit
    printed again later (assessment pages, "(cont'd)") keeps its first block."""
    found: dict[str, ReadUnit] = {}
    current: ReadUnit | None = None
    for line in lines:
        head = UNIT_BLOCK.match(line.text)
        if head:
            ref = head.group(3)
            current = None if ref in found else ReadUnit(ref=ref, line=line, title=head.group(2).strip(),
                                                          number=head.group(1).lstrip("0") or "0")
            if current is not None:
                found[ref] = current
            continue
        if current is not None:
            _block_field(current, line)
    return list(found.values())


def _block_field(unit: ReadUnit, line: Line) -> None:
    text = line.text.replace("*", "")
    if len(text) > 80 or not BLOCK_LINE.match(text):
        return
    for name, pattern in BLOCK_FIELDS.items():
        match = pattern.search(text)
        if match and getattr(unit, name) is None:
            setattr(unit, name, level_of(match.group(1)) if name == "level" else int(match.group(1)))
