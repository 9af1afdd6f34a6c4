"""The README's set-up commands stay true: CI runs the second one."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_test_command_is_the_ci_script_and_installs_what_the_tests_need():
    lines = (ROOT / "README.md").read_text().splitlines()
    block = lines[lines.index("```bash") + 1:lines.index("```")]
    assert block[0].startswith("python3 -m venv") and block[1] == "bash .ci/run"
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    # the browser tests' chromium and the database tests' PostgreSQL (a throwaway server started
    # before the tests, and required by them), then the project with its test extras, mypy and every test
    assert any("MISSING+=(chromium)" in line for line in ci) and any("MISSING+=(postgresql)" in line for line in ci)
    assert any("apt-get install" in line and "MISSING" in line for line in ci)
    assert 'eval "$(.ci/postgres start)"' in ci and "export ROC_REQUIRE_POSTGRES=1" in " ".join(ci)
    assert ".venv/bin/pip install -q -e '.[test,ray]'" in ci
    assert ci.index(".venv/bin/python -m mypy") < ci.index(".venv/bin/python -m pytest -q tests")


def readme_examples() -> list[str]:
    lines = (ROOT / "README.md").read_text().splitlines()
    return [line[2:] for line in lines if line.startswith("$ roc ")]


def test_readme_has_examples_of_every_command():
    commands = {example.split()[1] for example in readme_examples()}
    assert {"plan", "check", "count", "compare", "transfer", "transfer-matrix", "whatif"} <= commands


@pytest.mark.slow
def test_readme_cli_examples_run(roc, tmp_path, monkeypatch):
    import shlex
    import shutil

    monkeypatch.chdir(tmp_path)  # examples write files (whatif expand, whatif run, import)
    shutil.copytree(ROOT / "tests" / "fixtures", tmp_path / "tests" / "fixtures")
    for example in readme_examples():
        args = shlex.split(example)[1:]
        result = roc(*args)
        # 0 or 1 (an invalid plan, an infeasible request) are answers; 2 would be a broken example
        assert result.code in (0, 1), (example, result.stderr)
        assert (result.stdout + result.stderr).strip(), example


def readme_python() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Python API"):]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_the_readme_python_example_runs(monkeypatch):
    monkeypatch.chdir(ROOT)  # it reads tests/fixtures
    exec(compile(readme_python(), "README.md", "exec"), {})


def readme_schema() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Qualification files"):]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_readme_schema_example_loads_as_is(tmp_path, roc):
    from catalog import load_file

    path = tmp_path / "mine.yaml"
    path.write_text(readme_schema())
    qual = load_file(path)
    assert len(qual.units) == 5 and qual.unit("A/506/2094").glh == 14  # the correction applied
    plan = roc("plan", str(path), "--json").json()
    assert plan["status"] == "optimal" and plan["glh"] == 67 and plan["credits"] == 8


def test_roc_init_writes_the_readme_schema_example(roc, tmp_path):
    path = tmp_path / "new.yaml"
    assert roc("init", str(path)).code == 0
    text = path.read_text()
    assert text.endswith(readme_schema())  # the README shows exactly what init writes
    assert roc("plan", str(path), "--json").json()["status"] == "optimal"
    again = roc("init", str(path))
    assert again.code == 2 and "never overwrites" in again.stderr and path.read_text() == text


def test_the_readme_shows_the_charts_it_names():
    import re
    import xml.etree.ElementTree as ET

    text = (ROOT / "README.md").read_text()
    charts = re.findall(r"!\[[^\]]+\]\((docs/[\w.-]+\.svg)\)", text)
    assert {"docs/compare.svg", "docs/count.svg", "docs/whatif.svg"} <= set(charts)
    for chart in charts:
        root = ET.parse(ROOT / chart).getroot()
        assert root.tag.endswith("svg") and any(t.text for t in root.iter("{http://www.w3.org/2000/svg}text"))


def readme_cohort() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### Cohort planning"):]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_the_readme_cohort_numbers_are_what_roc_gives(roc, tmp_path):
    (tmp_path / "cohort.yaml").write_text(readme_cohort())
    data = roc("cohort", "plan", str(tmp_path / "cohort.yaml"), "--json").json()
    assert (data["taught_alone_hours"], data["baseline_hours"], data["hours_taught"], data["classes"]) == \
        (530, 258, 247, 13)
    text = " ".join((ROOT / "README.md").read_text().split())
    assert "would need 258 hours; planned together, 247 hours in 13 classes" in text and "530 hours" in text
    for row in data["schedule"]:  # the class lists printed are the plan's
        for group in row["classes"]:
            assert f"{group['number']} ({len(group['learners'])} learners): {', '.join(group['learners'])}" in text
    small = roc("cohort", "plan", str(ROOT / "tests" / "fixtures" / "cohort-small-classes.yaml"), "--json").json()
    cost = small["limit_costs"][0]
    assert f"classes of at least 2: costs {cost['cost_hours']} hours (without it: {cost['hours_without']})" in text
    assert f"costs {cost['cost_hours']} hours here" in text and f"{small['hours_taught']} hours taught" in text
    one_tutor = roc("cohort", "plan", str(tmp_path / "cohort.yaml"), "--max-classes", "1", "--json").json()
    assert [u["id"] for u in one_tutor["unserved"]] == ["cal"] and "names the one left out, `cal`" in text


def test_the_readme_cohort_is_the_fixture_file():
    assert readme_cohort() == (ROOT / "tests" / "fixtures" / "cohort.yaml").read_text()


def test_the_readme_money_is_what_roc_gives(roc, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    overlay = tmp_path / "lars.yaml"
    assert roc("import", "lars", "tests/fixtures/lars", "--out", str(overlay)).code == 0
    money = ["--funding", str(overlay), "--on", "2026-09-01"]
    rows = roc("compare", "601/3972/9", "601/4404/X", *money, "--cost-per-glh", "30", "--class-size", "12",
               "--json").json()
    cohort = roc("cohort", "plan", "tests/fixtures/cohort.yaml", *money, "--json").json()
    one_class = roc("cohort", "plan", "tests/fixtures/cohort.yaml", *money, "--class-size", "12", "--json").json()
    text = (ROOT / "README.md").read_text()
    for row in rows:
        assert f"margin per class of 12  £{row['margin_per_class']:,.2f}" in text
    assert f"funding £{cohort['funding']:,.2f}" in text and f"margin -£{-cohort['margin']:,.2f}" in text
    assert f"the margin is -£{-one_class['margin']:,.2f}" in text and f"{one_class['hours_taught']} hours taught" in text


@pytest.mark.slow
def test_the_readme_import_spec_example_is_what_roc_prints(roc, tmp_path, monkeypatch):
    seeds = ROOT / "tests" / "fixtures" / "seeds"  # copies of ../shared/seeds, which the README runs it on
    text = (ROOT / "README.md").read_text()
    section = text[text.index("### Drafting a qualification file from its specification"):]
    shown = section.split("```text\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    found = roc("import", "spec", str(seeds / "000_0d7823bd9020fbdf.txt"), "--qualification", "600/1686/3",
                "--out", "ascentis-award.yaml")
    assert found.code == 0 and found.stderr == shown
    head = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert (tmp_path / "ascentis-award.yaml").read_text().startswith(head)
