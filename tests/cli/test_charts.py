"""Charts and what-if summaries: the files are opened and their content checked."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path) -> list[str]:
    return [t.text for t in ET.parse(path).getroot().iter(f"{SVG}text") if t.text]


def test_count_chart_shows_the_spread_of_valid_sets(roc, tmp_path):
    chart = tmp_path / "count.svg"
    result = roc("count", "600/1686/3", "--by", "glh", "--chart", str(chart))
    assert result.code == 0 and f"wrote {chart}" in result.stderr
    texts = " ".join(svg_texts(chart))
    assert "600/1686/3: 8,484 valid unit sets by GLH" in texts and "valid unit sets" in texts
    bars = [r for r in ET.parse(chart).getroot().iter(f"{SVG}path") if "#3b6ea8" in (r.get("style") or "")]
    distribution = roc("count", "600/1686/3", "--by", "glh", "--json").json()["distribution"]
    assert len(bars) == len(distribution)  # one bar per GLH value


@pytest.mark.slow
def test_compare_chart_marks_each_qualification_and_the_published_figure(roc, tmp_path):
    chart = tmp_path / "compare.png"
    assert roc("compare", "--chart", str(chart)).code == 0
    from matplotlib.image import imread

    image = imread(chart)
    assert image.shape[0] > 200 and image.shape[1] > 600
    orange = ((abs(image[..., 0] - 0xE0 / 255) < 0.05) & (abs(image[..., 1] - 0x7B / 255) < 0.05)).sum()
    assert orange > 50  # the published GLH marks are drawn
    svg = tmp_path / "compare.svg"
    roc("compare", "--chart", str(svg))
    texts = " ".join(svg_texts(svg))
    for number in ("600/1684/X", "600/1686/3", "601/3972/9", "601/4404/X", "600/7736/0"):
        assert number in texts
    assert "published GLH" in texts and "achievable GLH" in texts


def test_chart_names_are_checked_before_any_work(roc, tmp_path):
    result = roc("count", "600/1686/3", "--by", "glh", "--chart", str(tmp_path / "c.pdf"))
    assert result.code == 2 and ".svg or .png" in result.stderr
    assert roc("count", "600/1686/3", "--chart", str(tmp_path / "c.svg")).code == 2  # needs --by


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    from catalog import builtin
    from solver.whatif import expand, run_batch

    tmp = tmp_path_factory.mktemp("summary")
    grid = tmp / "g.jsonl"
    quals = [builtin().get("601/4404/X"), builtin().get("600/7736/0")]
    grid.write_text("".join(json.dumps(e) + "\n" for e in expand(quals, ["minimise glh", "maximise glh"], True,
                                                                    [-10, 10])))
    run_batch(grid, tmp / "r.jsonl")
    return tmp / "r.jsonl"


def test_summarise_gives_baseline_deltas_and_infeasible_counts(roc, results, tmp_path):
    data = roc("whatif", "summarise", str(results), "--json").json()
    goals = {(g["qualification"], g["goal"]): g for g in data["goals"]}
    ocn = goals[("601/4404/X", "minimise glh")]
    assert ocn["baseline"] == 143 and ocn["scenarios"] == 1 + 18 + 2
    records = [json.loads(line) for line in results.read_text().splitlines()]
    mine = [r for r in records if r["qualification"] == "601/4404/X" and r["goal"] == "minimise glh"]
    assert ocn["infeasible"] == sum(r["status"] == "infeasible" for r in mine)
    values = [r["objective"] for r in mine if r["objective"] is not None]
    assert (ocn["lowest"], ocn["highest"]) == (min(values), max(values))
    assert ocn["largest_cut"] == min(values) - 143
    cut = next(s for s in data["scenarios"] if s["id"] == "601/4404/X | minimise glh | every unit glh -10%")
    assert cut["change"] == cut["objective"] - 143 < 0
    xlsx = tmp_path / "summary.xlsx"
    assert roc("whatif", "summarise", str(results), "--out", str(xlsx), "--chart", str(tmp_path / "w.svg")).code == 0
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    assert {"goals", "scenarios"} <= set(book.sheetnames)
    texts = " ".join(svg_texts(tmp_path / "w.svg"))
    assert "601/4404/X minimise glh" in texts and "baseline" in texts


def test_summarise_refuses_what_is_not_a_results_file(roc, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = roc("whatif", "summarise", str(notes))
    assert result.code == 2 and "not a roc results file" in result.stderr
