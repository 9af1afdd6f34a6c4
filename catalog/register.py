"""Import public downloads into an overlay of figures for catalogue qualifications, and lint the
catalogue against it: the Ofqual Register (its qualifications CSV, or the register API's JSON) and
LARS, the ESFA's Learning Aim Reference Service (`LearningDelivery.csv` and `Funding.csv`).

Nothing is fetched: the user downloads the files. Columns are matched by name; a missing required
column is an error naming the columns found. Rows for qualifications outside the catalogue are
counted and left out.
"""

from __future__ import annotations

import csv
import difflib
import re
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from tqdm import tqdm

from models import Finding, InputError, Qualification, QualNumber, Severity
from models.dates import parse_date
from models.register import FundingRate, RegisterEntry, RegisterOverlay, RegisterSource

from .loader import describe_validation_error
from .reading import check_file, csv_fault, read_data, read_lines

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
DATES = ("operational_end", "certification_end", "effective_from", "effective_to")
MONEY = ("rate_weighted", "rate_unweighted")
# LARS: field -> column, in LearningDelivery.csv and in Funding.csv
LARS_AIMS = {"number": "LearnAimRef", "title": "LearnAimRefTitle", "glh": "GuidedLearningHours",
             "tqt": "TotalQualificationTime", "total_credits": "RegulatedCreditValue", "min_glh": "OfQualGlhMin",
             "max_glh": "OfQualGlhMax"}
LARS_FUNDING = {"number": "LearnAimRef", "category": "FundingCategory", "effective_from": "EffectiveFrom",
                "effective_to": "EffectiveTo", "rate_weighted": "RateWeighted", "rate_unweighted": "RateUnWeighted",
                "weighting_factor": "WeightingFactor"}
LARS_OPTIONAL = {"title"}
_AIM = re.compile(r"^\s*([0-9]{3})([0-9]{4})([0-9Xx])\s*$")  # a regulated aim: 6014404X, the number unslashed


def _date(text: str) -> date | None:
    return parse_date(text)


MONEY_TEXT = re.compile(r"£?(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?")


def _entry(raw: dict[str, Any], where: str, columns: Mapping[str, str]) -> dict[str, Any]:
    """Fields from one row's text, each error naming the download's column (`columns[field]`)."""
    entry: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = str(value).strip()
        if name in FIGURES:
            if text.endswith(".0") or text.endswith(".00"):  # spreadsheets write 143 as 143.0
                text = text.rsplit(".", 1)[0]
            if not (text.isascii() and text.isdigit()):
                raise InputError(f"{columns[name]}: {text!r} is not a whole number", file=where)
            entry[name] = int(text)
        elif name in DATES:
            try:
                entry[name] = _date(text)
            except ValueError as exc:
                raise InputError(f"{columns[name]}: {exc}", file=where) from None
        elif name in MONEY:
            if not MONEY_TEXT.fullmatch(text):  # '1001,00' or '1.001,00' could be pence or thousands
                raise InputError(f"{columns[name]}: {text!r} is not an amount of money roc can read without "
                                 "guessing; write pounds and pence like 1001.00 or 1,001.00", file=where)
            entry[name] = float(text.replace(",", "").lstrip("£"))
        else:
            entry[name] = text
    return entry


def _validated(model: Any, fields: dict[str, Any], where: str, columns: Mapping[str, str]) -> Any:
    try:
        return model.model_validate(fields)
    except ValidationError as exc:  # named by the download's column, not roc's field
        loc = exc.errors()[0]["loc"]
        column = columns.get(str(loc[0]), "") if loc else ""
        message = describe_validation_error(exc).split(": ", 1)[-1]
        raise InputError(f"{column}: {message}" if column else message, file=where) from None


def _lines(path: Path, progress: bool) -> Iterator[str]:
    """A downloaded file's lines, streamed (any size, one line in memory at a time), with a
    progress bar on the terminal when `progress`; a line that is not UTF-8 is an error."""

    size = check_file(path, None).st_size
    with tqdm(total=size, unit="B", unit_scale=True, desc=path.name, leave=False, file=sys.stderr,
              disable=None if progress else True) as bar:
        for _, line in read_lines(path):
            if isinstance(line, InputError):
                raise line
            bar.update(len(line))
            yield line


def _csv_rows(path: Path, columns: Mapping[str, str], optional: Iterable[str] = (), progress: bool = False
              ) -> Iterator[tuple[str, dict[str, Any]]]:
    """(where, {field: text}) for each row of a CSV whose header must hold every column not
    `optional`, streamed: the register and LARS downloads are hundreds of megabytes."""
    try:
        yield from _csv_table(path, columns, optional, progress)
    except csv.Error as exc:  # raised while the rows are read, so caught here, not by a decorator
        raise csv_fault(exc, path) from None


def _csv_table(path: Path, columns: Mapping[str, str], optional: Iterable[str], progress: bool
               ) -> Iterator[tuple[str, dict[str, Any]]]:
    reader = csv.DictReader(_lines(path, progress))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [column for field, column in columns.items() if field not in optional and column not in header]
    if missing:
        unknown = [h for h in header if h not in columns.values()]
        hints = [f"{close[0]!r} may be {m!r} misspelt" for m in missing
                 if (close := difflib.get_close_matches(m, unknown, n=1, cutoff=0.8))]
        raise InputError(f"missing column{'s' if len(missing) > 1 else ''} {', '.join(repr(m) for m in missing)} "
                         + (f"({'; '.join(hints)}) " if hints else "")
                         + f"(columns found: {', '.join(header) or 'none'})", file=str(path), field="header")
    for row in reader:
        if None in row:  # an unquoted £1,001.00 makes two cells of one, and shifts the row
            raise InputError("more cells than the header has columns (a figure with a comma not in quotes?)",
                             file=f"{path}:{reader.line_num}")
        if any(v is None for v in row.values()):
            raise InputError("fewer cells than the header has columns", file=f"{path}:{reader.line_num}")
        clean = {k.strip(): v for k, v in row.items() if k is not None}
        yield f"{path}:{reader.line_num}", {f: clean.get(c) for f, c in columns.items()}


def _rows(path: Path, progress: bool = False) -> tuple[str, Iterable[tuple[str, dict[str, Any]]]]:
    """(kind, (where, {field: raw value}) for each row) from a register CSV (streamed) or API JSON file."""
    if path.suffix.lower() == ".json":
        data = read_data(path)
        number_key = COLUMNS["number"][1].lower()
        if isinstance(data, dict) and any(str(k).lower() == number_key for k in data):
            data = [data]  # the API's answer for one qualification
        items = data.get("Results") or data.get("results") if isinstance(data, dict) else data
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise InputError("expected the register API's JSON: a list of qualifications (or {results: [...]}, or "
                             "one qualification)", file=str(path))
        # the API writes its keys in camelCase (qualificationNumber, minimumGLH); older exports in
        # PascalCase (QualificationNumber): read either
        folded = [{str(k).lower(): v for k, v in item.items()} for item in items]
        keys = {key for item in items for key in item}
        if items and not any(number_key in item for item in folded):
            raise InputError(f"no {COLUMNS['number'][1]!r} key (keys found: {', '.join(sorted(keys))})", file=str(path))
        return "ofqual register API JSON", [(f"{path}: item {i}", {f: item.get(k.lower()) for f, (_, k) in COLUMNS.items()})
                                            for i, item in enumerate(folded)]
    optional = set(COLUMNS) - {"number", *FIGURES}
    return "ofqual register CSV", _csv_rows(path, {f: csv_name for f, (csv_name, _) in COLUMNS.items()}, optional,
                                           progress)


def import_ofqual(path: str | Path, catalogue: Iterable[Qualification], today: date | None = None,
                  progress: bool = False) -> RegisterOverlay:
    """The register's entries for the catalogue's qualifications (matched by the seven digits)."""
    path = Path(path)
    kind, rows = _rows(path, progress)
    wanted = {q.number.digits for q in catalogue}
    columns = {field: names[0 if kind.endswith("CSV") else 1] for field, names in COLUMNS.items()}
    entries = []
    read = 0
    for where, raw in rows:
        read += 1
        try:
            number = QualNumber.parse(str(raw.get("number") or ""))
        except ValueError as exc:
            raise InputError(f"{COLUMNS['number'][0]}: {exc}", file=where) from None
        if number.digits not in wanted:
            continue
        entries.append(_validated(RegisterEntry, _entry(raw, where, columns), where, columns))
    source = RegisterSource(kind=kind, file=path.name, rows=read, imported=today or date.today())
    return RegisterOverlay(source=source, qualifications=entries)


def _lars_file(folder: Path, name: str) -> Path:
    """`name` in the LARS download folder, matched without case, `_` or `-` (Learning_Delivery.csv)."""
    if not folder.is_dir():
        raise InputError("expected the folder of the LARS CSV download (with LearningDelivery.csv and Funding.csv)",
                         file=str(folder))
    key = name.lower()
    found = [p for p in folder.iterdir() if re.sub(r"[_\-\s]", "", p.name.lower()).endswith(key)]
    if len(found) != 1:
        names = ", ".join(sorted(p.name for p in found)) if found else "none"
        raise InputError(f"expected one {name} in the LARS folder (found: {names})", file=str(folder))
    return found[0]


def _aim_number(text: Any) -> QualNumber | None:
    """The qualification number of a regulated LARS aim (`6014404X`), else None (a non-regulated aim)."""
    match = _AIM.match(str(text or ""))
    return QualNumber.parse(f"{match.group(1)}/{match.group(2)}/{match.group(3)}") if match else None


def import_lars(folder: str | Path, catalogue: Iterable[Qualification], today: date | None = None,
                progress: bool = False) -> RegisterOverlay:
    """LARS figures and funding rates for the catalogue's qualifications, from the folder holding
    `LearningDelivery.csv` and `Funding.csv` (LearnAimRef is the number without its slashes)."""
    folder = Path(folder)
    aims_file, funding_file = _lars_file(folder, "learningdelivery.csv"), _lars_file(folder, "funding.csv")
    wanted = {q.number.digits: q.number for q in catalogue}
    rates: dict[str, list[FundingRate]] = {}
    read = 0
    for where, raw in _csv_rows(funding_file, LARS_FUNDING, progress=progress):
        read += 1
        number = _aim_number(raw.pop("number"))
        if number is not None and number.digits in wanted:
            rates.setdefault(number.digits, []).append(
                _validated(FundingRate, _entry(raw, where, LARS_FUNDING), where, LARS_FUNDING))
    entries = []
    seen: dict[str, str] = {}
    for where, raw in _csv_rows(aims_file, LARS_AIMS, LARS_OPTIONAL, progress):
        read += 1
        number = _aim_number(raw.get("number"))
        if number is None or number.digits not in wanted:
            continue
        if number.digits in seen:  # two rows for one aim: which figures are right is the user's to say
            raise InputError(f"LearnAimRef {raw.get('number')} is given twice (also at {seen[number.digits]}); "
                             "keep one row for each qualification", file=where)
        seen[number.digits] = where
        fields = _entry(raw, where, LARS_AIMS) | {"number": str(number)}
        fields["funding"] = sorted(rates.get(number.digits, []), key=lambda r: (r.category, r.effective_from))
        entries.append(_validated(RegisterEntry, fields, where, LARS_AIMS))
    source = RegisterSource(kind="LARS", file=f"{aims_file.name} + {funding_file.name}",
                            rows=read, imported=today or date.today())
    return RegisterOverlay(source=source, qualifications=entries)


def overlay_text(overlay: RegisterOverlay) -> str:
    if overlay.source.code == "lars":
        head = ("# LARS figures and funding rates for catalogue qualifications, written by `roc import lars`.\n"
                "# LARS's words, not the specification's: `roc lint --overlay FILE` compares them, and\n"
                "# `roc compare --funding FILE` and `roc cohort plan --funding FILE` use the rates.\n")
    else:
        head = ("# Ofqual Register figures for catalogue qualifications, written by `roc import ofqual`.\n"
                "# The register's words, not the specification's: `roc lint --overlay FILE` compares them.\n")
    return head + yaml.safe_dump(overlay.model_dump(mode="json", exclude_none=True), sort_keys=False, allow_unicode=True)


def load_overlay(path: str | Path) -> RegisterOverlay:
    path = Path(path)
    data = read_data(path)  # JSON or YAML by the suffix
    if not isinstance(data, dict) or not isinstance(data.get("source"), dict):
        raise InputError("not an overlay: expected the file `roc import ofqual` or `roc import lars` writes",
                         file=str(path))
    try:
        return RegisterOverlay.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, data=data), file=str(path)) from None


def lint_register(quals: Iterable[Qualification], overlay: RegisterOverlay, on: date) -> list[Finding]:
    """Where the register (or LARS) and the specification disagree, qualifications past an end
    date, and LARS aims with no funding rate in force on `on`."""
    by_digits = {entry.number.digits: entry for entry in overlay.qualifications}
    source = overlay.source
    where = f"{source.kind} {source.file} ({source.imported})"
    found = []
    for qual in quals:
        entry = by_digits.get(qual.number.digits)
        if entry is None:
            continue

        def say(code: str, severity: Severity, message: str) -> None:
            found.append(Finding(code=f"{source.code}-{code}", severity=severity, qualification=str(qual.number),
                                 subject=None, message=message, where=where))

        published = qual.published
        glh = published.glh_range
        register_glh = (entry.min_glh if entry.min_glh is not None else entry.glh,
                        entry.max_glh if entry.max_glh is not None else entry.glh)
        if glh is not None and None not in register_glh and tuple(register_glh) != tuple(glh):
            say("glh", Severity.warning, f"{source.who} gives GLH {_span(register_glh)}; the specification "
                f"prints {_span(glh)}")
        for name, spec, reg in (("TQT", published.tqt, entry.tqt), ("credits", published.credits, entry.total_credits)):
            if spec is not None and reg is not None and spec != reg:
                verb = "is corrected to" if qual.is_corrected("published." + name.lower()) else "prints"
                say(name.lower(), Severity.warning, f"{source.who} gives {name} {reg}; the specification {verb} {spec}")
        for label, end in (("operational", entry.operational_end), ("certification", entry.certification_end)):
            if end is not None and end < on:
                say(f"{label}-end", Severity.warning, f"past its {label} end date ({end}, {source.who})")
        if entry.status and entry.status.lower() not in ("available to learners", "available"):
            say("status", Severity.info, f"register status: {entry.status}")
        if entry.funding and not entry.rates_on(on):
            say("no-funding", Severity.warning, no_rate_words(entry.funding, on))
    return found


def _span(pair) -> str:
    low, high = pair
    return str(low) if low == high else f"{low}-{high}"


def funding_rates(overlay: RegisterOverlay, quals: Iterable[Qualification], on: date,
                  category: str | None = None) -> dict[str, FundingRate]:
    """Each qualification's LARS funding rate in force on `on` (keyed by its number as written),
    in `category`, or in the only category it has that day. A qualification with no rate in force
    is left out (lint says so); one with several categories and none chosen is an error."""
    if overlay.source.code != "lars":
        raise InputError(f"funding rates come from `roc import lars`, not the {overlay.source.kind}",
                         file=overlay.source.file)
    by_digits = {entry.number.digits: entry for entry in overlay.qualifications}
    chosen: dict[str, FundingRate] = {}
    for qual in quals:
        entry = by_digits.get(qual.number.digits)
        in_force = entry.rates_on(on) if entry else []
        if category is not None:
            in_force = [r for r in in_force if r.category.lower() == category.lower()]
        categories = sorted({r.category for r in in_force})
        if len(categories) > 1:
            raise InputError(f"{qual.number} has LARS funding rates in {len(categories)} categories on {on} "
                             f"({', '.join(categories)}): choose one with --funding-category")
        if in_force:
            chosen[str(qual.number)] = max(in_force, key=lambda r: r.effective_from)  # the newest wins an overlap
    return chosen


def funding_on(overlay: RegisterOverlay, quals: Iterable[Qualification], on: date, category: str | None = None
               ) -> tuple[dict[str, FundingRate], dict[str, str]]:
    """`funding_rates` and `funding_gaps` together: each qualification's rate on `on`, and why the
    others have none."""
    quals = list(quals)
    return funding_rates(overlay, quals, on, category), funding_gaps(overlay, quals, on, category)


def no_rate_words(rates: Sequence[FundingRate], on: date, within: str = "") -> str:
    """Why none of `rates` is in force on `on`, in words: lint and compare say it alike."""
    last = max((r.effective_to for r in rates if r.effective_to), default=None)
    first = min((r.effective_from for r in rates if r.effective_from > on), default=None)
    return (f"no LARS funding rate{within} in force on {on}" + (f" (the last ended {last})" if last and last < on else "")
            + (f" (the next starts {first})" if first else ""))


def funding_gaps(overlay: RegisterOverlay, quals: Iterable[Qualification], on: date,
                 category: str | None = None) -> dict[str, str]:
    """Why each qualification `funding_rates` leaves out has no rate on `on`, in words, by number."""
    by_digits = {entry.number.digits: entry for entry in overlay.qualifications}
    gaps: dict[str, str] = {}
    for qual in quals:
        entry = by_digits.get(qual.number.digits)
        rates = [r for r in (entry.funding if entry else [])
                 if category is None or r.category.lower() == category.lower()]
        if any(r.in_force(on) for r in rates):
            continue
        within = f" in category {category}" if category is not None else ""
        if entry is None or not entry.funding:
            gaps[str(qual.number)] = f"no LARS funding rate for {qual.number} in {overlay.source.file}"
        elif not rates:
            gaps[str(qual.number)] = f"no LARS funding rate{within} (categories: " + \
                ", ".join(sorted({r.category for r in entry.funding})) + ")"
        else:
            gaps[str(qual.number)] = no_rate_words(rates, on, within)
    return gaps
