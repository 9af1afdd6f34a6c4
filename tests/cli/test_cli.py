"""The `roc` command line: plan, lint, show, list; errors as one line and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

SEEDS = {"600/1686/3": 57, "600/1684/X": 109, "600/7736/0": 30, "601/3972/9": 143, "601/4404/X": 143}


@pytest.mark.parametrize("number, glh", SEEDS.items())
def test_plan_json_is_proven_optimal_for_every_seed(roc, number, glh):
    result = roc("plan", number, "--json")
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["status"] == "optimal" and data["glh"] == glh and data["objective"] == glh
    assert {"units", "tqt", "credits"} <= set(data)


def test_plan_maximise_and_choices(roc):
    data = roc("plan", "601/4404/X", "--maximise", "glh", "--json").json()
    assert data["objective"] == 178 and data["goal"] == "maximise glh"
    data = roc("plan", "600/1684/X", "--minimise", "tqt", "--exclude", "k/601/6075", "--json").json()
    assert "K/601/6075" not in data["units"] and data["exclude"] == ["K/601/6075"]
    assert any("matched unit K/601/6075" in n["message"] for n in data["notes"])


def test_plan_table_shows_units_totals_and_status(roc):
    result = roc("plan", "600/1686/3")
    assert result.code == 0
    assert "R/601/6071" in result.stdout and "total" in result.stdout and "optimal" in result.stdout


def test_infeasible_plan_exits_1(roc):
    result = roc("plan", "600/1686/3", "--include", "A/601/6047", "--include", "R/601/6068", "--json")
    assert result.code == 1 and result.json()["status"] == "infeasible"


@pytest.mark.parametrize("args, words", [
    (["plan", "600/9999/1"], "no qualification 600/9999/1"),
    (["plan", "601/4404/X", "--include", "X/999/9999"], "X/999/9999 is not part of 601/4404/X"),
    (["plan", "601/4404/X", "--include", "nonsense"], "'nonsense' is not an Ofqual unit reference"),
    (["plan", "missing.yaml"], "missing.yaml: no such file"),
    (["show", "not-a-number"], "not-a-number"),
])
def test_user_mistakes_are_one_line_and_exit_2(roc, args, words):
    result = roc(*args)
    assert result.code == 2
    assert words in result.stderr and "Traceback" not in result.stderr


def test_bad_option_values_exit_2(roc):
    money = roc("plan", "601/4404/X", "--minimise", "money")
    assert money.code == 2 and money.says("Invalid value for '--minimise'")
    both = roc("plan", "601/4404/X", "--minimise", "glh", "--maximise", "glh")
    assert both.code == 2 and both.says("give --minimise or --maximise, not both")


def test_malformed_file_names_file_field_and_value(roc, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("number: 601/4404/X\ntitle: t\nawarder: a\nlevel: L1\nsource: {document: d}\n"
                    "units:\n  - {ref: L/506/2083, title: u, level: L1, credits: many, glh: 25}\n")
    result = roc("plan", str(path))
    assert result.code == 2
    assert str(path) in result.stderr and "units[L/506/2083].credits" in result.stderr and "'many'" in result.stderr


def test_plan_on_a_file(roc, tmp_path):
    from ..catalog.test_loader import EXAMPLE

    path = tmp_path / "q.yaml"
    path.write_text(EXAMPLE)
    data = roc("plan", str(path), "--json").json()
    # 8 credits exactly; B needs A/506/2094; C: 2 credits at Level 1 or above, max 2 units,
    # A/601/6047 barred with R/601/6068
    assert data["status"] == "optimal" and data["credits"] == 8
    assert data["units"] == ["H/506/1795", "L/506/2083", "A/506/2094", "R/601/6068"]  # by digits


def test_lint_reports_the_seed_mistakes(roc):
    result = roc("lint", "--json")
    assert result.code == 0
    found = {(f["code"], f["qualification"]) for f in result.json()}
    assert ("published-glh", "601/3972/9") in found
    assert ("published-tqt", "600/1684/X") in found
    assert ("ref-format", "600/1686/3") in found
    assert roc("lint", "--strict").code == 1
    assert roc("lint", "601/4404/X", "--strict").code == 0


def test_show_and_list(roc):
    listing = roc("list", "--json").json()
    assert len(listing) == 5
    shown = roc("show", "600/1686/3")
    assert shown.code == 0 and "barred: M601/6059 may not be taken with T/601/6077" in shown.stdout
    proqual = roc("show", "600/7736/0", "--json").json()  # the file as printed: no credit value
    assert "credits" not in proqual["units"][0] and proqual["corrections"][0]["value"] == 6


def test_python_dash_m_solver_works():
    done = subprocess.run([sys.executable, "-m", "solver", "plan", "600/7736/0", "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and '"status": "optimal"' in done.stdout


# -- check, explain, alternatives, count -------------------------------------------------------------
def test_check_valid_plan_exits_0(roc):
    units = roc("plan", "601/4404/X", "--json").json()["units"]
    result = roc("check", "601/4404/X", "--units", *units)
    assert result.code == 0 and "valid" in result.stdout


def test_check_invalid_plan_lists_violations_and_exits_1(roc):
    result = roc("check", "601/3972/9", "--units", "L/506/2083", "Y/506/2085", "X/123/4567", "--json")
    assert result.code == 1
    data = result.json()
    assert data["valid"] is False
    rules = {v["rule"]: v for v in data["violations"]}
    assert rules["credits"]["difference"] == -18 and rules["credits"]["min"] == 23
    assert "unit X/123/4567 is not part of 601/3972/9" in [v["message"] for v in data["violations"]]


def test_check_reads_a_unit_file(roc, tmp_path):
    units = roc("plan", "600/1684/X", "--json").json()["units"]
    lines = tmp_path / "plan.txt"
    lines.write_text("# learner 17\n" + "\n".join(units) + "\n")
    assert roc("check", "600/1684/X", "--units-file", str(lines)).code == 0
    listed = tmp_path / "plan.json"
    listed.write_text(json.dumps(units[:-1]))
    assert roc("check", "600/1684/X", "--units-file", str(listed)).code == 1
    listed.write_text('["K/601/6075", 3]')
    bad = roc("check", "600/1684/X", "--units-file", str(listed))
    assert bad.code == 2 and str(listed) in bad.stderr


def test_check_bad_input_exits_2(roc):
    empty = roc("check", "601/4404/X")
    assert empty.code == 2 and empty.says("no units given")
    malformed = roc("check", "601/4404/X", "--units", "L506")
    assert malformed.code == 2 and malformed.says("'L506' is not an Ofqual unit reference")


def test_infeasible_plan_explains_in_words_and_json(roc):
    args = ["plan", "601/4404/X", "--exclude", "A/506/2094", "--exclude", "A/506/2113",
            "--exclude", "T/506/2126", "--exclude", "H/506/2154", "--exclude", "K/506/2155"]
    words = roc(*args)
    assert words.code == 1 and "cannot all hold" in words.stdout and "group B: at least 6 credits" in words.stdout
    conflict = {c["rule"] for c in roc(*args, "--json").json()["conflict"]}
    assert conflict == {"group B credits", "exclude A/506/2094", "exclude A/506/2113", "exclude T/506/2126",
                        "exclude H/506/2154", "exclude K/506/2155"}


def test_top_and_all_optimal(roc):
    top = roc("plan", "601/4404/X", "--top", "3", "--json").json()
    assert [p["glh"] for p in top["plans"]] == [143, 143, 145]
    every = roc("plan", "600/1684/X", "--all-optimal", "--json").json()
    assert every["complete"] and len(every["plans"]) == 5 and {p["glh"] for p in every["plans"]} == {109}
    clash = roc("plan", "601/4404/X", "--top", "2", "--all-optimal")
    assert clash.code == 2 and clash.says("--top/--all-optimal: give top K or all optimal, not both")


def test_count_by_glh(roc):
    data = roc("count", "601/4404/X", "--by", "glh", "--json").json()
    assert data["count"] == 110 and data["exact"]
    assert sum(b["count"] for b in data["distribution"]) == 110
    assert "exactly 110 valid unit sets" in roc("count", "601/4404/X").stdout


@pytest.mark.parametrize("group", [[], ["whatif"], ["cohort"], ["import"], ["equivalences"]])
def test_a_command_group_alone_prints_its_help_once(roc, group):
    result = roc(*group)
    assert result.code == 2 and result.stdout.count("Usage:") == 1
