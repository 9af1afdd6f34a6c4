"""`--format table|csv|json|markdown|xlsx` and `--out FILE` for every command that prints a result:
the format chosen from the options, and the result shown or written (the formats and the file
writer are the report package's, shared with the web planner)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import BaseModel

from models import InputError

from ..report import (
    SUFFIX_FORMAT,
    Format,
    Tables,
    plain,
    to_csv,
    to_markdown,
    to_rows_csv,
    to_tidy_csv,
    to_xlsx,
    write_file,
)
from .common import capture_table, err

FormatOpt = Annotated[Optional[Format], typer.Option("--format", help="table (default), csv, json, markdown or "
                                                     "xlsx; tidy (CSV, a row per figure) or rows (CSV of the "
                                                     "records alone); --out FILE.xlsx picks xlsx by itself")]
OutOpt = Annotated[Optional[Path], typer.Option("--out", help="write the result to FILE instead of the screen",
                                                metavar="FILE")]
JsonOpt = Annotated[bool, typer.Option("--json", help="the same as --format json")]


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
    data = plain(result)
    tables = Tables(plain(tabular) if tabular is not None else data, name)
    if chosen is Format.table:
        if out_path is None:
            table()
            return
        payload = capture_table(table).encode()
    elif chosen is Format.json:
        payload = (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()
    elif chosen is Format.csv:
        payload = to_csv(tables).encode()
    elif chosen is Format.tidy:
        payload = to_tidy_csv(tables).encode()
    elif chosen is Format.rows:
        payload = to_rows_csv(tables).encode()
    elif chosen is Format.markdown:
        payload = to_markdown(tables, title).encode()
    else:
        payload = to_xlsx(tables)
    if out_path is None:
        sys.stdout.write(payload.decode())
    else:
        csv_like = chosen in (Format.csv, Format.tidy, Format.rows)
        write_file(out_path, payload, same_start=1 if csv_like else 3)  # a CSV row holds timings
        err.print(f"wrote {out_path}", markup=False)
