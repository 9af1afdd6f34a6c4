"""Rows of plain data as a rich table for the screen (other formats: output.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ..report import text_of

# Text this short is never wrapped ("Level 1" read as "Level / 1" is noise).
SHORT = 10
# Columns whose values are never wrapped or cut: references, numbers, identifiers.
WHOLE = {"number", "source", "target", "ref", "id", "qualification", "achieved", "target_unit"}


def _whole(rows: Sequence[dict], field: str) -> bool:
    values = [row.get(field) for row in rows]
    return (field in WHOLE or all(isinstance(v, (int, float)) or v is None for v in values)
            or any(isinstance(v, str) and v.startswith(">=") for v in values))


def _longest_word(texts) -> int:
    return max([len(word) for text in texts for word in text.split()] or [1])


def _widths(console, rows: Sequence[dict], columns: Sequence[tuple[str, str]]) -> list[int] | None:
    """Each column's width, or None when the table cannot fit the console. A number or reference
    column is as wide as its longest value; text columns share what is left, each at least as wide
    as its longest word, the rest in proportion to what each would need on one line."""
    least, most = [], []
    for field, heading in columns:
        values = [text_of(row.get(field), "-") for row in rows]
        natural = max([len(v) for v in values] + [len(heading)])
        if _whole(rows, field):
            natural = max([len(v) for v in values] + [_longest_word([heading])])
            least.append(natural)
        elif max(len(v) for v in values) <= SHORT:  # "Level 1", "Entry 3": too short to wrap
            least.append(max([len(v) for v in values] + [_longest_word([heading])]))
        else:
            least.append(max(_longest_word(values), _longest_word([heading])))
        most.append(natural)
    room = console.width - (3 * len(columns) + 1)
    if sum(least) > room:
        return None
    if sum(most) <= room:
        return most
    spare, wanted = room - sum(least), sum(m - n for m, n in zip(most, least))
    return [n + (m - n) * spare // wanted for m, n in zip(most, least)]


def print_rows(console, rows: Sequence[dict], columns: Sequence[tuple[str, str]], title: str = "") -> None:
    """`columns` pairs a field of the rows with its heading. Numbers and references are never cut
    and text wraps between words; when the table cannot fit the console that way, each row is
    printed as `heading: value` lines instead."""
    widths = _widths(console, rows, columns)
    if widths is None:
        if not _print_transposed(console, rows, columns, title):
            _print_cards(console, rows, columns, title)
        return
    table = Table(title=title or None)
    for (field, heading), width in zip(columns, widths):
        numeric = all(isinstance(row.get(field), (int, float)) or row.get(field) is None for row in rows)
        table.add_column(heading, justify="right" if numeric else "left", width=width, overflow="fold")
    for row in rows:
        table.add_row(*(text_of(row.get(field), "-") for field, _ in columns))
    console.print(table)


def _print_transposed(console, rows: Sequence[dict], columns: Sequence[tuple[str, str]], title: str) -> bool:
    """The table turned: a row per field, a column per record, so that a few records can be read
    side by side on a narrow terminal (five qualifications at 80 columns). False, printing nothing,
    when even that cannot fit without cutting a number or a reference."""
    if not rows or len(rows) > 8:
        return False
    key = next((field for field, _ in columns if field in WHOLE), columns[0][0])
    need = []
    for row in rows:
        values = [text_of(row.get(field), "-") for field, _ in columns]
        whole = [v for (field, _), v in zip(columns, values) if _whole([row], field)]
        need.append(max([len(v) for v in whole] + [_longest_word(values)]))
    label = _longest_word([heading for _, heading in columns])
    if label + sum(need) + len(rows) > console.width:
        return False
    table = Table(title=title or None, box=None, padding=(0, 1, 0, 0), show_edge=False)
    table.add_column("", width=label, overflow="fold", style="dim")
    for row, width in zip(rows, need):
        table.add_column(text_of(row.get(key), "-"), width=width, overflow="fold")
    for field, heading in columns:
        if field == key:
            continue
        table.add_row(heading, *(text_of(row.get(field), "-") for row in rows))
    console.print(table)
    return True


def _print_cards(console, rows: Sequence[dict], columns: Sequence[tuple[str, str]], title: str) -> None:
    if title:
        console.print(Text(title, style="bold"))
    pad = max(len(heading) for _, heading in columns)
    for row in rows:
        console.print()
        for field, heading in columns:
            console.print(Text(f"{heading:>{pad}}  ", style="dim") + Text(text_of(row.get(field), "-")), overflow="fold")
