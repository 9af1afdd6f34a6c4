"""Output a planner or analyst can use: every format on every command, spreadsheets opened and
checked, tables that never cut a reference or a figure, help in words."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from catalog import builtin

QUAL = "601/4404/X"
REFS = [str(u.ref) for q in builtin() for u in q.units]

COMMANDS = {
    "list": ["list"],
    "show": ["show", QUAL],
    "plan": ["plan", QUAL],
    "plan --top": ["plan", "600/1684/X", "--top", "3"],
    "check": ["check", QUAL, "--units", "L/506/2083", "Y/506/2085"],
    "count": ["count", "600/1686/3", "--by", "glh"],
    "lint": ["lint"],
    "transfer": ["transfer", "--achieved", "L/506/2083", "Y/506/2085", "T/601/6077", "--to", QUAL],
    "transfer-matrix": ["transfer-matrix", "601/3972/9", QUAL],
    "compare": ["compare"],
}


def _leaves(data, prefix=""):
    """Every scalar of a JSON value with its dotted path (list positions dropped)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, f"{prefix}{key}.")
    elif isinstance(data, list):
        if data and all(not isinstance(v, (dict, list)) for v in data):
            yield prefix[:-1], "; ".join("" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
                                          for v in data)
        for value in data:
            if isinstance(value, (dict, list)):
                yield from _leaves(value, prefix)
    elif data is not None:
        yield prefix[:-1], str(data).lower() if isinstance(data, bool) else str(data)


SLOW = {"compare", "count"}  # each solves or enumerates every catalogue qualification: the full run has them


def _names(names):
    return [pytest.param(n, marks=pytest.mark.slow) if n in SLOW else n for n in names]


@pytest.mark.parametrize("name", _names(COMMANDS))
def test_every_format_of_every_command(roc, tmp_path, name):
    args = COMMANDS[name]
    data = roc(*args, "--format", "json").json()
    timeless = lambda d: json.loads(re.sub(r'"solve_seconds": [0-9.e-]+', '"solve_seconds": 0', json.dumps(d)))  # noqa: E731
    assert timeless(roc(*args, "--json").json()) == timeless(data)
    text = roc(*args, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, text
    cells = {value for row in rows for value in row.values()}
    for path, value in _leaves(data):  # CSV carries every field the JSON has
        if value and not path.endswith("solve_seconds"):
            assert value in cells or any(value in c for c in cells), (path, value)
    markdown = roc(*args, "--format", "markdown").stdout
    assert markdown.count("|---") >= 1
    out = tmp_path / "result.xlsx"
    result = roc(*args, "--out", str(out))
    assert result.code in (0, 1) and f"wrote {out}" in result.stderr
    book = load_workbook(out)
    for sheet in book.worksheets:
        assert sheet.freeze_panes in ("A2", "B2") and all(c.font.bold for c in sheet[1] if c.value)
    values = {(str(c.value).lower() if isinstance(c.value, bool) else str(c.value))  # TRUE/FALSE cells
              for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None}
    for path, value in _leaves(data):
        if value and not path.endswith("solve_seconds"):
            assert value in values or any(value in v for v in values), value


def test_xlsx_numbers_are_numbers_and_ranges_are_two_columns(roc, tmp_path):
    out = tmp_path / "compare.xlsx"
    roc("compare", "--format", "xlsx", "--out", str(out))
    sheet = load_workbook(out)["qualifications"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    ncfe = next(r for r in rows if r["number"] == "601/3972/9")
    assert ncfe["min_glh"] == 143 and isinstance(ncfe["min_glh"], int) and ncfe["valid_sets"] == 7221
    assert (ncfe["published_glh_min"], ncfe["published_glh_max"]) == (133, 133)
    ocn = next(r for r in rows if r["number"] == "601/4404/X")
    assert (ocn["published_glh_min"], ocn["published_glh_max"]) == (143, 178)
    ascentis = next(r for r in rows if r["number"] == "600/1686/3")
    assert ascentis["published_tqt"] == 130 and ascentis["published_tqt_used"] == 70  # printed, and used
    widths = [sheet.column_dimensions[c].width for c in "ABC"]
    assert all(w and w >= 8 for w in widths)
    plan = tmp_path / "plan.xlsx"
    roc("plan", QUAL, "--out", str(plan))
    book = load_workbook(plan)
    summary = {r[0].value: r[1].value for r in book["summary"].iter_rows(min_row=2)}
    assert summary["glh"] == 143 and summary["status"] == "optimal"
    units = book["detail"]
    assert [c.value for c in units[1]][:2] == ["ref", "title"] and units.max_row == 9
    credits = tmp_path / "q.xlsx"
    roc("show", QUAL, "--out", str(credits))
    summary = {r[0].value: r[1].value for r in load_workbook(credits)["summary"].iter_rows(min_row=2)}
    assert summary["credits.min"] == 23 and summary["credits.max"] == 23


def test_xlsx_needs_a_file_and_out_never_leaves_half_a_file(roc, tmp_path):
    assert roc("plan", QUAL, "--format", "xlsx").code == 2
    target = tmp_path / "keep.csv"
    target.write_text("precious")
    result = roc("plan", "no-such-qualification", "--out", str(target))
    assert result.code == 2 and target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.csv"]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("name", _names(COMMANDS))
def test_tables_never_cut_a_reference_or_a_figure(roc, monkeypatch, name, columns):
    from solver.cli.common import out

    monkeypatch.setattr(out, "width", columns)
    args = COMMANDS[name]
    table, data = roc(*args).stdout, roc(*args, "--json").json()
    assert max(len(line) for line in table.splitlines()) <= columns, table
    assert "…" not in table
    whole = {v for _, v in _leaves(data) if re.fullmatch(r"[A-Z]/\d{3}/\d{4}|\d{3}/\d{4}/[\dX]", v)}
    assert whole
    for text in whole:  # each reference and number appears whole somewhere, not split by a line end
        assert re.search(rf"(?<![\w/]){re.escape(text)}(?![\w/])", table), text
    for figure in ("valid_sets", "min_glh", "glh", "count"):  # figures are printed whole too
        rows = data if isinstance(data, list) else [data]
        for row in rows:
            if isinstance(row, dict) and isinstance(row.get(figure), int):
                assert re.search(rf"(?<![\d,])({row[figure]}|{row[figure]:,})(?![\d,])", table), (figure, row[figure])


@pytest.mark.slow
def test_piped_output_honours_columns():
    env = {**os.environ, "COLUMNS": "80"}
    table = subprocess.run([sys.executable, "-m", "solver", "compare"], capture_output=True, text=True, env=env,
                           timeout=120).stdout
    assert max(len(line) for line in table.splitlines()) <= 80 and "600/1684/X" in table and "…" not in table
    wide = subprocess.run([sys.executable, "-m", "solver", "compare"], capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "COLUMNS"}, timeout=120).stdout
    assert max(len(line) for line in wide.splitlines()) > 80  # piped without COLUMNS: one row per line


def test_help_speaks_in_words(roc):
    for args in (["--help"], ["plan", "--help"], ["transfer", "--help"], ["whatif", "run", "--help"]):
        text = roc(*args).stdout
        assert not re.search(r"<(list\[|bool|str|int|float|path)", text), text
    root = roc("--help").stdout
    assert "barred pairs and corrections" in " ".join(root.replace("│", " ").split())
    transfer = " ".join(roc("transfer", "--help").stdout.replace("│", " ").split())
    assert "glh|tqt " in transfer and "glh|tqt|credits" not in transfer


def test_words_are_counted_in_english(roc):
    assert "1 unit:" in roc("check", QUAL, "--units", "L/506/2083").stdout
    assert "exactly 1 valid unit set " in roc("count", "600/7736/0").stdout
    assert "1 note" in roc("lint", "600/7736/0").stdout and "1 notes" not in roc("lint", "600/7736/0").stdout


def test_authoring_show_json_of_every_catalogue_qualification_loads_back(roc, tmp_path):
    from catalog import load_file

    for qual in builtin():
        path = tmp_path / f"{qual.number.digits}.json"
        path.write_text(roc("show", str(qual.number), "--json").stdout)
        assert load_file(path).model_dump() == qual.model_dump(), qual.number


def test_authoring_errors_name_groups_and_units_and_lint_json_reports_a_broken_file(roc, tmp_path):
    from tests.catalog.test_loader import EXAMPLE

    path = tmp_path / "mine.yaml"
    path.write_text(EXAMPLE.replace("credits: {min: 3}}", "credits: {min: three}}").replace("glh: 10}", "glh: -1}"))
    result = roc("show", str(path))
    assert "groups[B].credits.min" in result.stderr and "units[H/506/1795].glh" in result.stderr  # every error
    assert "(top level)" not in result.stderr
    findings = roc("lint", str(path), "--json")
    assert findings.code == 2 and findings.json()[0]["code"] == "unreadable"
    assert "groups[B].credits.min" in findings.json()[0]["message"]


def test_a_qualification_number_with_a_wrong_check_digit_gets_a_note(roc):
    result = roc("plan", "601/3972/8", "--json")
    assert result.code == 0 and result.json()["qualification"] == "601/3972/9"
    assert "601/3972/8: qualification number check character '8' does not match the digits (expected '9')" \
        in result.stderr


def test_out_never_writes_over_a_file_that_is_not_an_earlier_output(roc, tmp_path):
    from openpyxl import Workbook

    from tests.test_readme import readme_schema

    mine = tmp_path / "mine.yaml"
    mine.write_text(readme_schema())
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    book = tmp_path / "budget.xlsx"
    theirs = Workbook()
    theirs.active["A1"] = "budget"
    theirs.save(book)
    before = {p: p.read_bytes() for p in (mine, notes, book)}
    for args in (["show", str(mine), "--out", str(mine)], ["plan", QUAL, "--out", str(notes)],
                 ["plan", QUAL, "--out", str(book)], ["compare", "--chart", str(notes.with_suffix(".svg"))]):
        if args[-1].endswith(".svg"):
            notes.with_suffix(".svg").write_text("<svg>mine</svg>")
            before[notes.with_suffix(".svg")] = notes.with_suffix(".svg").read_bytes()
        result = roc(*args)
        assert result.code == 2 and "is not an earlier output of this command" in result.stderr, args
    assert all(p.read_bytes() == data for p, data in before.items())
    assert roc("plan", QUAL, "--out", "/dev/null").code == 2
    again = tmp_path / "plan.xlsx"  # the same command run again replaces its own output
    for _ in range(2):
        assert roc("plan", QUAL, "--out", str(again)).code == 0
        assert roc("plan", QUAL, "--out", str(again.with_suffix(".csv"))).code == 0


def test_compare_at_80_columns_puts_the_qualifications_side_by_side(roc, monkeypatch):
    # issue 25: five stacked records could not be read side by side; the table turns instead
    from solver.cli.common import out

    monkeypatch.setattr(out, "width", 80)
    table = roc("compare").stdout
    data = roc("compare", "--json").json()
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= 80
    header = next(line for line in lines if "600/1684/X" in line)
    assert all(row["number"] in header for row in data)  # one column a qualification
    for field, label in (("min_glh", "min GLH"), ("valid_sets", "valid")):
        line = next(line for line in lines if line.startswith(label))
        assert line.split()[len(label.split()):] == [str(row[field]) for row in data]


def test_tidy_and_rows_csv_hold_the_json_s_figures_once(roc, tmp_path):
    # issue 25: the wide CSV repeats every top-level figure on every unit row
    plan = roc("plan", "601/4404/X", "--json").json()
    units = list(csv.DictReader(io.StringIO(roc("plan", "601/4404/X", "--format", "rows").stdout)))
    assert [u["ref"] for u in units] == [d["ref"] for d in plan["detail"]]
    assert set(units[0]) == {"ref", "title", "level", "credits", "glh", "tqt", "groups"}  # no summary columns
    assert [int(u["glh"]) for u in units] == [d["glh"] for d in plan["detail"]]
    tidy = list(csv.DictReader(io.StringIO(roc("plan", "601/4404/X", "--format", "tidy").stdout)))
    assert set(tidy[0]) == {"section", "row", "field", "value"}
    summary = {r["field"]: r["value"] for r in tidy if r["section"] == "summary"}
    assert summary["glh"] == str(plan["glh"]) and summary["qualification"] == "601/4404/X"
    assert sum(r["field"] == "glh" for r in tidy) == 1 + len(plan["detail"])  # each figure once
    cell = {(int(r["row"]), r["field"]): r["value"] for r in tidy if r["section"] == "detail"}
    assert all(cell[(i, "ref")] == d["ref"] for i, d in enumerate(plan["detail"], 1))
    out = tmp_path / "units.csv"
    assert roc("plan", "601/4404/X", "--format", "rows", "--out", str(out)).code == 0
    assert out.read_text().splitlines()[0] == "ref,title,level,credits,glh,tqt,groups"


def test_transfer_matrix_reads_as_a_grid(roc):
    quals = ["601/3972/9", "601/4404/X", "600/1686/3"]
    cells = roc("transfer-matrix", *quals, "--json").json()
    table = roc("transfer-matrix", *quals).stdout
    first = table.split("after the source's minimum-GLH plan")[0]  # the grid after every source unit
    for source in quals:
        line = next(line for line in first.splitlines() if line.strip("│ ").startswith(source))
        shown = [cell.strip() for cell in line.strip("│").split("│")][1:]
        want = ["-" if source == target else str(next(c["from_all_units"] for c in cells
                                                      if c["source"] == source and c["target"] == target))
                for target in quals]
        assert shown == want, (source, shown, want)


def test_a_level_is_never_split_over_two_lines(roc, monkeypatch):
    from solver.cli.common import out

    for columns in (120, 140, 160):
        monkeypatch.setattr(out, "width", columns)
        table = roc("compare").stdout
        # never "Level" on one line and "1" on the next: in a boxed table the level cell is whole,
        # in a turned one the level row holds each qualification's level whole
        assert not re.search(r"│ Level +│", table), (columns, table)
        boxed = re.findall(r"│ (Level 1|Entry \d) +│", table)
        turned = next((line for line in table.splitlines() if line.startswith("level ")), "")
        assert len(boxed) == 5 or turned.count("Level 1") == 5, (columns, table)
