"""Import Ofqual Register downloads (the qualifications CSV, or the register API's JSON) into an
overlay of register figures for catalogue qualifications, and lint the catalogue against it.

Nothing is fetched: the user downloads the file. Columns are matched by name; a missing required
column is an error naming the columns found. Rows for qualifications outside the catalogue are
counted and left out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from models import Finding, InputError, Qualification, QualNumber, Severity
from models.register import RegisterEntry, RegisterOverlay, RegisterSource

from .loader import describe_validation_error
from .reading import read_data, read_text

# field -> (CSV column, API JSON key)
COLUMNS = {
    "number": ("Qualification Number", "QualificationNumber"),
    "title": ("Qualification Title", "Title"),
    "total_credits": ("Total Credits", "TotalCredits"),
    "glh": ("Guided Learning Hours", "GLH"),
    "min_glh": ("Minimum Guided Learning Hours", "MinimumGLH"),
    "max_glh": ("Maximum Guided Learning Hours", "MaximumGLH"),
    "tqt": ("Total Qualification Time", "TQT"),
    "status": ("Qualification Status", "Status"),
    "operational_end": ("Operational End Date", "OperationalEndDate"),
    "certification_end": ("Certification End Date", "CertificationEndDate"),
}
FIGURES = ("total_credits", "glh", "min_glh", "max_glh", "tqt")
DATES = ("operational_end", "certification_end")


def _date(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    for shape in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%d-%m-%Y"):
        try:
            return datetime.strptime(text[:19], shape).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (expected 2027-07-31 or 31/07/2027)")


def _entry(raw: dict[str, Any], where: str) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if name in FIGURES:
            text = str(value).strip()
            if not (text.isascii() and text.isdigit()):
                raise InputError(f"{COLUMNS[name][0]}: {text!r} is not a whole number", file=where)
            entry[name] = int(text)
        elif name in DATES:
            try:
                entry[name] = _date(str(value))
            except ValueError as exc:
                raise InputError(f"{COLUMNS[name][0]}: {exc}", file=where) from None
        else:
            entry[name] = str(value).strip()
    return entry


def _rows(path: Path) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """(kind, [(where, {field: raw value})]) from a register CSV or API JSON file."""
    if path.suffix.lower() == ".json":
        data = read_data(path)
        items = data.get("Results") or data.get("results") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError("expected the register API's JSON: a list of qualifications (or {Results: [...]})",
                             file=str(path))
        keys = {key for item in items for key in item}
        if items and COLUMNS["number"][1] not in keys:
            raise InputError(f"no {COLUMNS['number'][1]!r} key (keys found: {', '.join(sorted(keys))})", file=str(path))
        return "ofqual register API JSON", [(f"{path}: item {i}", {f: item.get(k) for f, (_, k) in COLUMNS.items()})
                                            for i, item in enumerate(items)]
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [COLUMNS[f][0] for f in ("number",) + FIGURES if COLUMNS[f][0] not in header]
    if missing:
        raise InputError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)} "
                         f"(columns found: {', '.join(header) or 'none'})", file=str(path), field="header")
    rows = []
    for row in reader:
        clean = {k.strip(): v for k, v in row.items() if k is not None}
        rows.append((f"{path}:{reader.line_num}", {f: clean.get(c) for f, (c, _) in COLUMNS.items()}))
    return "ofqual register CSV", rows


def import_ofqual(path: str | Path, catalogue: Iterable[Qualification], today: date | None = None) -> RegisterOverlay:
    """The register's entries for the catalogue's qualifications (matched by the seven digits)."""
    path = Path(path)
    kind, rows = _rows(path)
    wanted = {q.number.digits for q in catalogue}
    entries = []
    for where, raw in rows:
        try:
            number = QualNumber.parse(str(raw.get("number") or ""))
        except ValueError as exc:
            raise InputError(f"{COLUMNS['number'][0]}: {exc}", file=where) from None
        if number.digits not in wanted:
            continue
        try:
            entries.append(RegisterEntry.model_validate(_entry(raw, where)))
        except ValidationError as exc:  # named by the download's column, not roc's field
            column = COLUMNS[str(exc.errors()[0]["loc"][0])][0 if kind.endswith("CSV") else 1]
            raise InputError(f"{column}: {describe_validation_error(exc).split(': ', 1)[-1]}", file=where) from None
    source = RegisterSource(kind=kind, file=path.name, rows=len(rows), imported=today or date.today())
    return RegisterOverlay(source=source, qualifications=entries)


def overlay_text(overlay: RegisterOverlay) -> str:
    head = ("# Ofqual Register figures for catalogue qualifications, written by `roc import ofqual`.\n"
            "# The register's words, not the specification's: `roc lint --overlay FILE` compares them.\n")
    return head + yaml.safe_dump(overlay.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True)


def load_overlay(path: str | Path) -> RegisterOverlay:
    path = Path(path)
    data = read_data(path)  # JSON or YAML by the suffix
    try:
        return RegisterOverlay.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, data=data), file=str(path)) from None


def lint_register(quals: Iterable[Qualification], overlay: RegisterOverlay, on: date) -> list[Finding]:
    """Where the register and the specification disagree, and qualifications past an end date."""
    by_digits = {entry.number.digits: entry for entry in overlay.qualifications}
    where = f"{overlay.source.kind} {overlay.source.file} ({overlay.source.imported})"
    found = []
    for qual in quals:
        entry = by_digits.get(qual.number.digits)
        if entry is None:
            continue

        def say(code: str, severity: Severity, message: str) -> None:
            found.append(Finding(code=code, severity=severity, qualification=str(qual.number), subject=None,
                                 message=message, where=where))

        published = qual.published
        glh = published.glh_range
        register_glh = (entry.min_glh if entry.min_glh is not None else entry.glh,
                        entry.max_glh if entry.max_glh is not None else entry.glh)
        if glh is not None and None not in register_glh and tuple(register_glh) != tuple(glh):
            say("register-glh", Severity.warning, f"the register gives GLH {_span(register_glh)}; the specification "
                f"prints {_span(glh)}")
        for name, spec, reg in (("TQT", published.tqt, entry.tqt), ("credits", published.credits, entry.total_credits)):
            if spec is not None and reg is not None and spec != reg:
                say(f"register-{name.lower()}", Severity.warning, f"the register gives {name} {reg}; the "
                    f"specification {'prints' if not qual.is_corrected('published.' + name.lower()) else 'is corrected to'} {spec}")
        for label, end in (("operational", entry.operational_end), ("certification", entry.certification_end)):
            if end is not None and end < on:
                say(f"register-{label}-end", Severity.warning, f"past its {label} end date ({end}, the register)")
        if entry.status and entry.status.lower() not in ("available to learners", "available"):
            say("register-status", Severity.info, f"register status: {entry.status}")
    return found


def _span(pair) -> str:
    low, high = pair
    return str(low) if low == high else f"{low}-{high}"
