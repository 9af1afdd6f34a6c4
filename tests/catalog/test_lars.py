"""LARS imports and money, from the illustrative LARS files in tests/fixtures/lars (the figures
there are made up; the column names are LARS's)."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from models.register import FundingRate

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "lars"
ON = "2026-09-01"
COHORT = """class_size: 3
cost_per_glh: 40
learners:
  - {id: amy, qualification: 601/3972/9, achieved: [R/506/2134]}
  - {id: ben, qualification: 601/4404/X, achieved: [T/506/2126, Y/506/2085]}
  - {id: cal, qualification: 601/4404/X}
  - {id: dee, qualification: 601/3972/9}
"""


@pytest.fixture
def overlay(roc, tmp_path) -> Path:
    path = tmp_path / "lars.yaml"
    result = roc("import", "lars", str(FIXTURE), "--out", str(path))
    assert result.code == 0, result.stderr
    assert "3 of the catalogue's qualifications found in 11 LARS rows, with 4 funding rates" in result.stderr
    return path


def test_import_lars_keeps_catalogue_aims_with_their_rates_and_provenance(overlay):
    data = yaml.safe_load(overlay.read_text())
    assert data["source"]["kind"] == "LARS"
    assert data["source"]["file"] == "LearningDelivery.csv + Funding.csv" and data["source"]["rows"] == 11
    by_number = {q["number"]: q for q in data["qualifications"]}
    assert set(by_number) == {"601/3972/9", "601/4404/X", "600/1686/3"}  # not Z0001234, not 603/0000/1
    ncfe = by_number["601/3972/9"]
    assert (ncfe["glh"], ncfe["min_glh"], ncfe["max_glh"], ncfe["tqt"], ncfe["total_credits"]) == (143, 143, 298, 230, 23)
    assert [(r["effective_from"], r.get("effective_to"), r["rate_weighted"]) for r in ncfe["funding"]] == [
        ("2015-08-01", "2025-07-31", 850.0), ("2025-08-01", None, 1001.0)]


def test_lint_reports_where_lars_and_the_specification_disagree(roc, overlay):
    lint = roc("lint", "--overlay", str(overlay), "--on", ON, "--json").json()
    found = {(f["code"], f["qualification"]): f["message"] for f in lint if f["code"].startswith("lars")}
    assert found[("lars-glh", "601/3972/9")] == "LARS gives GLH 143-298; the specification prints 133"
    assert found[("lars-no-funding", "600/1686/3")] == \
        f"no LARS funding rate in force on {ON} (the last ended 2024-07-31)"
    assert not any(q == "601/4404/X" for _, q in found)  # LARS and OCNLR agree
    assert len(found) == 2


def test_a_rate_is_in_force_from_its_first_day_to_its_last():
    rate = FundingRate(category="Adult_Skills", effective_from=date(2025, 8, 1), effective_to=date(2026, 7, 31),
                       rate_unweighted=953)
    assert [rate.in_force(date(2025, 7, 31)), rate.in_force(date(2025, 8, 1)), rate.in_force(date(2026, 7, 31)),
            rate.in_force(date(2026, 8, 1))] == [False, True, True, False]
    assert rate.rate == 953  # no weighted rate: the unweighted one


def test_compare_gives_funding_per_hour_and_the_margin_per_learner_and_per_class(roc, overlay, tmp_path):
    args = ["compare", "601/3972/9", "601/4404/X", "--funding", str(overlay), "--on", ON,
            "--cost-per-glh", "30", "--class-size", "12"]
    rows = {r["number"]: r for r in roc(*args, "--json").json()}
    for number, rate in (("601/3972/9", 1001.0), ("601/4404/X", 1036.0)):
        row = rows[number]
        min_glh = row["min_glh"]
        assert min_glh == 143
        assert row["funding_category"] == "Adult_Skills" and row["funding_rate"] == rate
        assert row["funding_per_glh"] == round(rate / min_glh, 2)
        assert row["cost_per_learner"] == 30 * min_glh / 12
        assert row["margin_per_learner"] == round(rate - 30 * min_glh / 12, 2)
        assert row["margin_per_class"] == round(12 * rate - 30 * min_glh, 2)
    # the rate in force on the day: NCFE's earlier rate in 2020
    old = roc("compare", "601/3972/9", "--funding", str(overlay), "--on", "2020-01-01", "--json").json()[0]
    assert old["funding_rate"] == 850.0 and old["margin_per_learner"] is None  # no cost given: no margin
    table = roc(*args).stdout
    assert "£1,001.00" in table and "£7,722.00" in table and "class of 12" in table
    out = tmp_path / "money.csv"
    assert roc(*args, "--out", str(out)).code == 0
    written = {r["number"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert float(written["601/4404/X"]["margin_per_class"]) == 12 * 1036 - 30 * 143


def test_cohort_funding_and_margin_over_the_classes_taught(roc, overlay, tmp_path):
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text(COHORT)
    data = roc("cohort", "plan", str(cohort), "--funding", str(overlay), "--on", ON, "--json").json()
    rates = {"601/3972/9": 1001.0, "601/4404/X": 1036.0}
    assert [p["funding_rate"] for p in data["plans"]] == [rates[p["qualification"]] for p in data["plans"]]
    assert data["funding"] == sum(rates[p["qualification"]] for p in data["plans"]) == 4074.0
    assert data["cost"] == 40 * data["hours_taught"]
    assert data["margin"] == data["funding"] - data["cost"]
    assert data["margin_per_learner"] == round(data["margin"] / 4, 2)
    table = roc("cohort", "plan", str(cohort), "--funding", str(overlay), "--on", ON).stdout
    assert "funding £4,074.00 (£1,018.50 a learner" in table


def test_cohort_funding_is_left_out_when_a_learner_has_no_rate(roc, overlay, tmp_path):
    cohort = tmp_path / "cohort.yaml"
    cohort.write_text(COHORT + "  - {id: eve, qualification: 600/1686/3}\n")
    data = roc("cohort", "plan", str(cohort), "--funding", str(overlay), "--on", ON, "--json").json()
    assert data["funding"] is None and data["margin"] is None  # never a partial total shown as the whole
    assert any("no funding rate for 600/1686/3" in note for note in data["notes"])
    assert data["plans"][-1]["funding_rate"] is None and data["plans"][0]["funding_rate"] == 1001.0


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lars"
    shutil.copytree(FIXTURE, folder)
    return folder


def test_two_categories_in_force_need_a_choice(roc, tmp_path):
    folder = _copy(tmp_path)
    with open(folder / "Funding.csv", "a") as f:
        f.write("60139729,Legal_Entitlement_L2,2025-08-01,,1200.00,1143.00,A,\n")
    overlay = tmp_path / "lars.yaml"
    assert roc("import", "lars", str(folder), "--out", str(overlay)).code == 0
    result = roc("compare", "601/3972/9", "--funding", str(overlay), "--on", ON)
    assert result.code == 2 and ("601/3972/9 has LARS funding rates in 2 categories on 2026-09-01 "
                                 "(Adult_Skills, Legal_Entitlement_L2): choose one with --funding-category") \
        in result.stderr
    chosen = roc("compare", "601/3972/9", "--funding", str(overlay), "--on", ON, "--funding-category",
                 "legal_entitlement_l2", "--json").json()[0]
    assert chosen["funding_rate"] == 1200.0 and chosen["funding_category"] == "Legal_Entitlement_L2"


def test_bad_lars_files_are_clear_errors(roc, tmp_path):
    folder = _copy(tmp_path)
    out = tmp_path / "o.yaml"
    text = (folder / "LearningDelivery.csv").read_text()
    (folder / "LearningDelivery.csv").write_text(text.replace("GuidedLearningHours", "GuidedLearningHour", 1))
    result = roc("import", "lars", str(folder), "--out", str(out))
    assert result.code == 2 and "missing column 'GuidedLearningHours' ('GuidedLearningHour' may be 'GuidedLearningHours' misspelt)" \
        in result.stderr and "LearningDelivery.csv" in result.stderr
    (folder / "LearningDelivery.csv").write_text(text)
    funding = (folder / "Funding.csv").read_text()
    (folder / "Funding.csv").write_text(funding.replace("1036.00", "lots"))
    result = roc("import", "lars", str(folder), "--out", str(out))
    assert result.code == 2 and f"{folder / 'Funding.csv'}:4: RateWeighted: 'lots' is not an amount of money" \
        in result.stderr
    (folder / "Funding.csv").write_text(funding.replace("2015-08-01,,1036.00", "2015-08-01,2014-01-01,1036.00"))
    result = roc("import", "lars", str(folder), "--out", str(out))
    assert result.code == 2 and "effective_to 2014-01-01 is before effective_from 2015-08-01" in result.stderr
    (folder / "Funding.csv").unlink()
    result = roc("import", "lars", str(folder), "--out", str(out))
    assert result.code == 2 and "expected one funding.csv in the LARS folder (found: none)" in result.stderr
    result = roc("import", "lars", str(folder / "LearningDelivery.csv"), "--out", str(out))
    assert result.code == 2 and "expected the folder of the LARS CSV download" in result.stderr
    assert not out.exists()


def test_funding_options_are_checked(roc, tmp_path):
    register = tmp_path / "register.csv"
    register.write_text("Qualification Number,Total Credits,Guided Learning Hours,Minimum Guided Learning Hours,"
                        "Maximum Guided Learning Hours,Total Qualification Time\n601/4404/X,23,,143,178,230\n")
    overlay = tmp_path / "ofqual.yaml"
    assert roc("import", "ofqual", str(register), "--out", str(overlay)).code == 0
    result = roc("compare", "601/4404/X", "--funding", str(overlay))
    assert result.code == 2 and "funding rates come from `roc import lars`" in result.stderr
    result = roc("compare", "601/4404/X", "--funding-category", "Adult_Skills")
    assert result.code == 2 and "--funding-category needs --funding FILE" in result.stderr
    result = roc("compare", "601/4404/X", "--cost-per-glh", "30")
    assert result.code == 2 and "a margin needs both the cost per GLH and the class size" in result.stderr
    for huge in ("inf", "1e308"):
        result = roc("compare", "601/4404/X", "--cost-per-glh", huge, "--class-size", "3")
        assert result.code == 2 and "is not an amount from 0 to 10,000,000" in result.stderr
    result = roc("compare", "601/4404/X", "--cost-per-glh", "30", "--class-size", "99999999999999999999")
    assert result.code == 2 and "is not a class size from 1 to 1,000" in result.stderr
    result = roc("compare", "601/4404/X", "--funding", str(register))
    assert result.code == 2 and "not an overlay: expected the file `roc import ofqual` or `roc import lars` writes" \
        in result.stderr


def test_compare_says_why_a_qualification_has_no_funding_in_every_format(roc, overlay, tmp_path):
    # 600/1686/3's only rate ended on 2024-07-31; 600/7736/0 is not in the LARS files at all
    args = ["compare", "600/1686/3", "600/7736/0", "601/3972/9", "--funding", str(overlay), "--on", ON]
    rows = {r["number"]: r for r in roc(*args, "--json").json()}
    ended = f"no LARS funding rate in force on {ON} (the last ended 2024-07-31)"
    assert rows["600/1686/3"]["funding_rate"] is None and rows["600/1686/3"]["funding_note"] == ended
    assert rows["600/7736/0"]["funding_note"].startswith("no LARS funding rate for 600/7736/0 in ")
    assert rows["601/3972/9"]["funding_note"] is None and rows["601/3972/9"]["funding_rate"] == 1001.0
    table = roc(*args).stdout
    assert f"no funding for 600/1686/3: {ended}" in " ".join(table.split())  # however the terminal wraps it
    out = tmp_path / "money.csv"
    assert roc(*args, "--out", str(out)).code == 0
    written = {r["number"]: r for r in csv.DictReader(io.StringIO(out.read_text()))}
    assert written["600/1686/3"]["funding_note"] == ended
    lint = roc("lint", "600/1686/3", "--overlay", str(overlay), "--on", ON, "--json").json()
    assert any(f["code"] == "lars-no-funding" and f["message"] == ended for f in lint)  # said alike
    plain = roc("compare", "600/1686/3", "--json").json()[0]
    assert plain["funding_note"] is None  # no funding asked for, nothing to explain


@pytest.mark.slow
def test_a_lars_download_over_16_mib_is_streamed_and_finds_what_the_small_one_does(roc, tmp_path):
    from bench.lars_big import generate
    from catalog.reading import MAX_FILE_BYTES

    big = tmp_path / "big"
    generate(big, megabytes=40)
    assert (big / "Funding.csv").stat().st_size > MAX_FILE_BYTES  # the old limit refused it
    small, large = tmp_path / "small.yaml", tmp_path / "large.yaml"
    assert roc("import", "lars", str(FIXTURE), "--out", str(small)).code == 0
    done = roc("import", "lars", str(big), "--out", str(large), "--no-progress")
    assert done.code == 0, done.stderr
    a, b = yaml.safe_load(small.read_text()), yaml.safe_load(large.read_text())
    assert a["qualifications"] == b["qualifications"] and b["source"]["rows"] > 100_000
