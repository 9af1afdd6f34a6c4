"""Every command's result in every format: `--format table|csv|json|markdown|xlsx` and `--out FILE`.

A result is the JSON the Python API gives (a pydantic model's dump, or a list of rows). From it:
- **json**: that JSON, unchanged;
- **csv**: one table holding every field. Top-level figures are columns repeated on each row;
  each list of records (a plan's units, a check's broken rules) gives rows marked by `section`;
  nested values become dotted columns (`credits.min`, `credits.max`); lists of plain values are
  joined with "; ";
- **xlsx**: the same, one sheet per section plus a `summary` sheet of the top-level figures, with
  numbers as numbers, a bold header row, frozen panes and widths that fit;
- **markdown**: the summary and each section as markdown tables;
- **table**: the command's own rich rendering, for a person at a terminal.

Files are written whole to a temporary file beside the target and renamed into place, so an
error never leaves half a file, and an existing file is replaced only by a complete one.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import BaseModel

from models import InputError


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


SUFFIX_FORMAT = {".csv": Format.csv, ".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown,
                 ".xlsx": Format.xlsx, ".txt": Format.table}

FormatOpt = Annotated[Optional[Format], typer.Option("--format", help="table (default), csv, json, markdown or "
                                                     "xlsx; --out FILE.xlsx picks xlsx by itself")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", help="write the result to FILE instead of the screen",
                                                metavar="FILE")]
JsonOpt = Annotated[bool, typer.Option("--json", help="the same as --format json")]


# -- flattening ------------------------------------------------------------------------------------------
def _flat(record: dict, prefix: str = "") -> dict[str, Any]:
    """{'credits': {'min': 2}} -> {'credits.min': 2}; lists of plain values joined with '; '."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat(value, f"{name}."))
        elif isinstance(value, list):
            if value and all(isinstance(v, dict) for v in value):
                flat[name] = json.dumps(value, ensure_ascii=False)  # records inside records: kept whole
            else:
                flat[name] = "; ".join(text_of(v) for v in value)
        else:
            flat[name] = value
    return flat


def text_of(value: Any, empty: str = "") -> str:
    """A value as a cell shows it: `empty` for none, true/false, an enum by its value."""
    if value is None:
        return empty
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


class Tables:
    """A result as a summary (top-level figures) and sections (lists of records)."""

    def __init__(self, data: Any, name: str = "rows") -> None:
        self.summary: dict[str, Any] = {}
        self.sections: dict[str, list[dict[str, Any]]] = {}
        if isinstance(data, list):
            self._section(name, data)
            return
        for key, value in data.items():
            if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                self._section(key, value)
            elif isinstance(value, list) and value and all(isinstance(v, list) for v in value):
                self.summary[key] = "; ".join(" with ".join(text_of(x) for x in v) for v in value)
            else:
                self.summary.update(_flat({key: value}))

    def _section(self, name: str, records: list) -> None:
        self.sections[name] = [_flat(r) if isinstance(r, dict) else {"value": r} for r in records]

    @staticmethod
    def columns(rows: list[dict]) -> list[str]:
        return list(dict.fromkeys(key for row in rows for key in row))

    def long_rows(self) -> tuple[list[str], list[dict]]:
        """One table with every field: summary columns on every row, one row per section record."""
        rows = [{**self.summary, "section": name, **{f"{name}.{k}" if self.summary else k: v
                                                      for k, v in record.items()}}
                for name, records in self.sections.items() for record in records]
        if not rows:
            rows = [dict(self.summary)]
        elif len(self.sections) == 1 and not self.summary:
            rows = [{k: v for k, v in row.items() if k != "section"} for row in rows]
        return self.columns(rows), rows


# -- writers ---------------------------------------------------------------------------------------------
def to_csv(tables: Tables) -> str:
    columns, rows = tables.long_rows()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([text_of(row.get(c)) for c in columns])
    return buffer.getvalue()


def _markdown_table(columns: list[str], rows: list[dict]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(text_of(row.get(c)).replace("|", "\\|") for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def to_markdown(tables: Tables, title: str = "") -> str:
    parts = [f"## {title}"] if title else []
    if tables.summary:
        parts.append(_markdown_table(["field", "value"], [{"field": k, "value": v} for k, v in tables.summary.items()]))
    for name, rows in tables.sections.items():
        if len(tables.sections) > 1 or tables.summary:
            parts.append(f"### {name}")
        parts.append(_markdown_table(tables.columns(rows) or ["value"], rows))
    return "\n\n".join(parts) + "\n"


def _sheet(book, name: str, columns: list[str], rows: list[dict]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name[:31])
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(row.get(c)) for c in columns])
    sheet.freeze_panes = "B2" if len(columns) > 1 and name != "summary" else "A2"
    for i, column in enumerate(columns, 1):
        longest = max([len(column)] + [len(text_of(row.get(column))) for row in rows])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))


def _cell(value: Any) -> Any:
    """Numbers stay numbers; booleans and everything else become text a spreadsheet shows as is."""
    if isinstance(value, bool) or value is None or not isinstance(value, (int, float)):
        return text_of(value) if value is not None else None
    return value


def to_xlsx(tables: Tables) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.creator = "roc"  # so that a later run may replace it, and nothing else
    book.remove(book.active)
    if tables.summary:
        _sheet(book, "summary", ["field", "value"], [{"field": k, "value": v} for k, v in tables.summary.items()])
    for name, rows in tables.sections.items():
        _sheet(book, name, tables.columns(rows) or ["value"], rows)
    if not book.worksheets:
        _sheet(book, "summary", ["field", "value"], [])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _earlier_output(path: Path, data: bytes, lines: int) -> bool:
    """Whether the file at `path` is what roc wrote there before: an empty file, a workbook roc
    made, or a file whose first `lines` lines are those of `data` (the same command run again)."""
    with path.open("rb") as handle:
        existing = handle.read(64 * 1024)
    if not existing:
        return True
    if data[:2] == b"PK":  # a workbook: roc signs its own
        from openpyxl import load_workbook

        try:
            return load_workbook(path, read_only=True).properties.creator == "roc"
        except Exception:  # noqa: BLE001 -- not a workbook openpyxl can read: not roc's
            return False
    return existing.split(b"\n")[:lines] == data.split(b"\n")[:lines]


def check_writable(path: Path, data: bytes, same_start: int = 3) -> None:
    """Raise InputError unless `write_file(path, data, same_start)` may write there: what it
    checks, for a command to ask before it starts work."""
    if path.is_dir():
        raise InputError("is a folder: give a file name", file=str(path))
    if path.exists() or path.is_symlink():
        from catalog.reading import check_file

        check_file(path, limit=None)
        if not _earlier_output(path, data, same_start):
            raise InputError("already exists and is not an earlier output of this command; roc does not write over "
                             "it: remove it, or give another name", file=str(path))


def write_file(path: Path, data: bytes, same_start: int = 3) -> None:
    """`data` to `path`, whole or not at all (a temporary file renamed into place). An existing
    file is replaced only when it is an earlier output of the same kind (its first `same_start`
    lines are those of `data`, or a workbook roc made): never someone's notes, a spreadsheet of
    their own, a device or an input of the command."""
    check_writable(path, data, same_start)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as sink:
            sink.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        raise InputError(f"cannot write ({exc.strerror or exc})", file=str(path)) from None


def choose(fmt: Format | None, out_path: Path | None, as_json: bool = False) -> Format:
    """The format asked for: --format, else --json, else the --out file's suffix, else a table."""
    if fmt is not None and as_json and fmt is not Format.json:
        raise InputError(f"--json and --format {fmt.value} ask for two formats; give one")
    if fmt is not None:
        chosen = fmt
    elif as_json:
        chosen = Format.json
    else:
        chosen = SUFFIX_FORMAT.get(out_path.suffix.lower(), Format.table) if out_path else Format.table
    if chosen is Format.xlsx and out_path is None:
        raise InputError("--format xlsx writes a spreadsheet: give --out FILE.xlsx")
    return chosen


def emit(result: BaseModel | list | dict, fmt: Format | None, out_path: Path | None,
         table: Callable[[], None], *, as_json: bool = False, name: str = "rows", title: str = "",
         tabular: Any = None) -> None:
    """Show or write `result` in the chosen format; `table` renders it for a person. `tabular`,
    when given, is the same content shaped for CSV, XLSX and markdown (e.g. one row per unit of
    each plan of `--top`)."""
    chosen = choose(fmt, out_path, as_json)
    data = _plain(result)
    tables = Tables(_plain(tabular) if tabular is not None else data, name)
    if chosen is Format.table:
        if out_path is None:
            table()
            return
        from .common import capture_table

        payload = capture_table(table).encode()
    elif chosen is Format.json:
        payload = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    elif chosen is Format.csv:
        payload = to_csv(tables).encode()
    elif chosen is Format.markdown:
        payload = to_markdown(tables, title).encode()
    else:
        payload = to_xlsx(tables)
    if out_path is None:
        sys.stdout.write(payload.decode())
    else:
        write_file(out_path, payload, same_start=1 if chosen is Format.csv else 3)  # a CSV row holds timings
        from .common import err

        err.print(f"wrote {out_path}", markup=False)


def alternatives_tabular(many: BaseModel) -> dict:
    """`--top` / `--all-optimal` for spreadsheets: a row per plan and a row per unit of each plan."""
    data = many.model_dump(mode="json")
    plans = data.pop("plans")
    data["plans"] = [{"rank": i, **{k: v for k, v in p.items() if k != "detail"}} for i, p in enumerate(plans, 1)]
    data["units"] = [{"rank": i, **unit} for i, p in enumerate(plans, 1) for unit in p["detail"]]
    return data


def _plain(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [_plain(r) for r in result]
    return result
