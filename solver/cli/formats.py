"""Render rows of plain data as a table, CSV, JSON or markdown (the CLI's --format)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from enum import Enum

from rich.table import Table


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"


def _text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def render(rows: Sequence[dict], columns: Sequence[tuple[str, str]], fmt: Format, title: str = "",
           console=None) -> str | None:
    """`columns` pairs a field of the rows with its heading. Returns text, or prints a rich table
    to `console` for the table format."""
    if fmt is Format.json:
        return json.dumps(list(rows), indent=2, ensure_ascii=False, default=_text)
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([field for field, _ in columns])
        for row in rows:
            writer.writerow(["" if row.get(field) is None else _text(row.get(field)) for field, _ in columns])
        return buffer.getvalue().rstrip("\n")
    if fmt is Format.markdown:
        lines = ["| " + " | ".join(heading for _, heading in columns) + " |",
                 "|" + "|".join("---" for _ in columns) + "|"]
        for row in rows:
            lines.append("| " + " | ".join(_text(row.get(field)).replace("|", "\\|") for field, _ in columns) + " |")
        return "\n".join(lines)
    table = Table(title=title or None)
    for field, heading in columns:
        numeric = all(isinstance(row.get(field), (int, float)) or row.get(field) is None for row in rows)
        table.add_column(heading, justify="right" if numeric else "left", no_wrap=field in ("number", "source", "target"))
    for row in rows:
        table.add_row(*(_text(row.get(field)) for field, _ in columns))
    console.print(table)
    return None
