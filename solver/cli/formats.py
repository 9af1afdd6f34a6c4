"""Rows of plain data as a rich table for the screen (other formats: output.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from ..report import text_of

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
        _print_cards(console, rows, columns, title)
        return
    table = Table(title=title or None)
    for (field, heading), width in zip(columns, widths):
        numeric = all(isinstance(row.get(field), (int, float)) or row.get(field) is None for row in rows)
        table.add_column(heading, justify="right" if numeric else "left", width=width, overflow="fold")
    for row in rows:
        table.add_row(*(text_of(row.get(field), "-") for field, _ in columns))
    console.print(table)


def _print_cards(console, rows: Sequence[dict], columns: Sequence[tuple[str, str]], title: str) -> None:
    if title:
        console.print(Text(title, style="bold"))
    pad = max(len(heading) for _, heading in columns)
    for row in rows:
        console.print()
        for field, heading in columns:
            console.print(Text(f"{heading:>{pad}}  ", style="dim") + Text(text_of(row.get(field), "-")), overflow="fold")
