"""Workbooks hold numbers as numbers and yes/no as a spreadsheet's TRUE/FALSE, not as text."""

from __future__ import annotations

from openpyxl import load_workbook


def test_booleans_are_spreadsheet_booleans(roc, tmp_path):
    book = tmp_path / "c.xlsx"
    assert roc("compare", "601/4404/X", "--out", str(book)).code == 0
    sheet = load_workbook(book).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    exact = row[header.index("valid_sets_exact")]
    assert exact is True  # a boolean cell, not the text 'true'
    assert isinstance(row[header.index("min_glh")], int)
