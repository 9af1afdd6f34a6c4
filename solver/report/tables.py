"""Every result in every file format: CSV, XLSX and markdown, from the result's JSON (a pydantic
model's dump, or a list of rows).

- **csv**: one table holding every field. Top-level figures are columns repeated on each row;
  each list of records (a plan's units, a check's broken rules) gives rows marked by `section`;
  nested values become dotted columns (`credits.min`, `credits.max`); lists of plain values are
  joined with "; ";
- **xlsx**: the same, one sheet per section plus a `summary` sheet of the top-level figures, with
  numbers as numbers, a bold header row, frozen panes and widths that fit;
- **markdown**: the summary and each section as markdown tables.

Used by the CLI (`--format`, `--out`) and the web planner's downloads alike.
"""

from __future__ import annotations

import csv
import io
import json
from enum import Enum
from typing import Any

from pydantic import BaseModel

from ..service import CohortResult
from .files import fingerprinted


class Format(str, Enum):
    table = "table"
    csv = "csv"  # one wide table: the summary's figures on every record's row
    tidy = "tidy"  # CSV, long: one row per figure (section, row, field, value)
    rows = "rows"  # CSV of the records alone (a plan's units), no summary columns
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


SUFFIX_FORMAT = {".csv": Format.csv, ".json": Format.json, ".md": Format.markdown, ".markdown": Format.markdown,
                 ".xlsx": Format.xlsx, ".txt": Format.table}


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
def _csv_cell(value: Any) -> str:
    """A number as written (-5 stays a number); text never a live formula."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text_of(value)
    return inert(text_of(value))


def to_csv(tables: Tables) -> str:
    return _write_csv(*tables.long_rows())


def _write_csv(columns: list[str], rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def to_tidy_csv(tables: Tables) -> str:
    """The result as tidy data: one row per figure, `section,row,field,value` (the summary is
    section `summary`, row 1), for a pivot table or a data frame."""
    rows = [{"section": "summary", "row": 1, "field": k, "value": v} for k, v in tables.summary.items()]
    rows += [{"section": name, "row": i, "field": k, "value": v}
             for name, records in tables.sections.items() for i, record in enumerate(records, 1)
             for k, v in record.items()]
    return _write_csv(["section", "row", "field", "value"], rows)


def to_rows_csv(tables: Tables) -> str:
    """The records alone (a plan's units, a comparison's qualifications): one row each, with a
    `section` column when there are several kinds; the summary alone when there are none."""
    if not tables.sections:
        return _write_csv(list(tables.summary), [tables.summary])
    rows = [({"section": name} if len(tables.sections) > 1 else {}) | record
            for name, records in tables.sections.items() for record in records]
    return _write_csv(Tables.columns(rows), rows)


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


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(text: str) -> str:
    """Text a spreadsheet shows as it is: one that would start a formula (=, +, -, @, a tab or a
    carriage return: a unit title or awarder from an uploaded file, say) gets a leading
    apostrophe, the convention spreadsheets read as 'this is text'."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> Any:
    """Numbers stay numbers and yes/no a spreadsheet's TRUE/FALSE; everything else becomes text a
    spreadsheet shows as is, never a live formula."""
    if isinstance(value, bool) or (isinstance(value, (int, float)) and value is not None):
        return value
    return inert(text_of(value)) if value is not None else None


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
    # the content's fingerprint in the properties: a later run replaces the file only while the
    # workbook is as roc wrote it (a sheet of notes added, or a cell changed, and it is the user's)
    return fingerprinted(buffer.getvalue())




def plain(result: Any) -> Any:
    """A result as JSON values: a model's dump, a list of them, or the value itself."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [plain(r) for r in result]
    return result


def alternatives_tabular(many: BaseModel) -> dict[str, Any]:
    """`--top` / `--all-optimal` for spreadsheets: a row per plan and a row per unit of each plan."""
    data = many.model_dump(mode="json")
    plans = data.pop("plans")
    data["plans"] = [{"rank": i, **{k: v for k, v in p.items() if k != "detail"}} for i, p in enumerate(plans, 1)]
    data["units"] = [{"rank": i, **unit} for i, p in enumerate(plans, 1) for unit in p["detail"]]
    return data


def cohort_tabular(result: CohortResult) -> dict[str, object]:
    """For spreadsheets: the schedule, one row per class with its learners (a timetabler's class
    lists), and the learners' plans."""
    data = result.model_dump(mode="json")
    data["schedule"] = [{k: v for k, v in row.items() if k != "classes"} | {"learners": "; ".join(row["learners"])}
                        for row in data["schedule"]]
    data["class_lists"] = [{"ref": row.ref, "title": row.title, "class": c.number, "size": len(c.learners),
                            "glh": row.glh, "learners": "; ".join(c.learners)}
                           for row in result.schedule for c in row.classes]
    return data
