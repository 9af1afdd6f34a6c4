"""Downloads: the report package's CSV and XLSX writers, as HTTP responses."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from models import InputError

from ..report import Tables, to_csv, to_xlsx

TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def download(data: Any, suffix: str, stem: str, name: str = "rows") -> Response:
    """`data` (records, or a result's JSON) as `stem.csv` or `stem.xlsx`."""
    if suffix not in TYPES:
        raise InputError(f"{suffix!r}: downloads are csv or xlsx", field="format")
    tables = Tables(data, name)
    body = to_csv(tables).encode() if suffix == "csv" else to_xlsx(tables)
    return Response(body, media_type=TYPES[suffix],
                    headers={"Content-Disposition": f'attachment; filename="{stem}.{suffix}"'})
