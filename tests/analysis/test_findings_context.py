"""A qualification's findings count is the same alone and beside the others: checks across files
are made against the built-in catalogue either way (issue 25, item 12)."""

from __future__ import annotations

from catalog import builtin
from catalog.lint import lint_files
from solver import compare


def test_findings_alone_and_together_agree():
    quals = list(builtin())
    together = {row.number: row.findings for row in compare(quals, count_limit=10)}
    for qual in quals:
        alone = compare([qual], count_limit=10)[0]
        assert alone.findings == together[str(qual.number)], qual.number
    # and the count includes what only other files show: 600/1686/3 prints a unit two ways
    assert together["600/1686/3"] > sum(1 for f in lint_files([builtin().resolve("600/1686/3")])
                                        if f.severity.value != "info" and f.qualification == "600/1686/3")
