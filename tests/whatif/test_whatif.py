"""What-if scenarios: the reusable template against compiling from scratch, scenario files, grids,
and batch runs that resume, survive a dying worker, and agree across backends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog import builtin
from catalog.scenarios import read_scenarios
from models import InputError, Scenario
from solver import plan
from solver.whatif import (
    Template,
    apply_scenario,
    expand,
    finished_ids,
    parse_percent_range,
    run_batch,
    solve_chunk,
)

from ..strategies import LEVELS, qualifications


@st.composite
def scenarios(draw, qual):
    refs = [str(u.ref) for u in qual.units]
    pick = lambda n: draw(st.lists(st.sampled_from(refs), max_size=n, unique=True))  # noqa: E731
    changes = {}
    for ref in pick(3):
        change = {k: draw(v) for k, v in (("glh", st.integers(0, 40)), ("credits", st.integers(0, 6)),
                                          ("level", st.sampled_from(LEVELS)), ("tqt", st.integers(0, 70)))
                  if draw(st.booleans())}
        changes[ref] = change
    keys = ["credits"] + [f"group {g.id} {kind}" for g in qual.groups for kind in ("credits", "count")]
    keys += [f"level quota {q.id or i + 1}" for i, q in enumerate(qual.level_quotas)]
    rules = []
    for key in draw(st.lists(st.sampled_from(keys), max_size=2, unique=True)):
        low = draw(st.none() | st.integers(0, 12))
        high = draw(st.none() | st.integers(low or 0, 15))
        bounds = draw(st.sampled_from([{"min": low}, {"max": high}, {"min": low, "max": high}]))
        rules.append({"rule": key, **bounds})
    return Scenario.model_validate({
        "id": "s", "qualification": "x",
        "objective": draw(st.sampled_from(["minimise glh", "maximise glh", "minimise tqt", "minimise credits"])),
        "withdraw": pick(1), "include": pick(1), "exclude": pick(1), "achieved": pick(2),
        "units": changes, "rules": rules,
        "targets": draw(st.lists(st.builds(lambda m, lo, hi: {"measure": m, "min": min(lo, hi), "max": max(lo, hi)},
                                           st.sampled_from(["glh", "tqt", "credits"]), st.integers(0, 60),
                                           st.integers(0, 120)), max_size=1))})


@pytest.mark.slow
@settings(max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(max_units=7), st.data())
def test_template_agrees_with_compiling_from_scratch(qual, data):
    template = Template(qual)
    baseline = template.solve(Scenario(id="base", qualification="x"))
    for _ in range(3):  # several scenarios on one template: each must leave it as it found it
        scenario = data.draw(scenarios(qual))
        fast = template.solve(scenario)
        try:
            changed, include, exclude = apply_scenario(qual, scenario)
        except InputError:  # a rule's min raised above its max: no valid set
            assert fast.status == "infeasible"
            continue
        if set(include) & set(exclude):
            assert fast.status == "infeasible"
            continue
        slow = plan(changed, scenario.objective, include, exclude, explain=False, targets=scenario.targets)
        assert fast.status == slow.status.value
        assert sorted(fast.units) == sorted(slow.units)
        assert fast.objective == slow.objective
    again = template.solve(Scenario(id="base", qualification="x"))
    assert (again.status, again.units, again.objective) == (baseline.status, baseline.units, baseline.objective)


def test_seed_scenarios_read_like_a_planner_would():
    template = Template(builtin().get("601/4404/X"))
    base = template.solve(Scenario(id="a", qualification="601/4404/X"))
    assert base.objective == 143
    # F/503/0392 (3 credits, 6 GLH, Group C) withdrawn: the cheapest 3 credits are now B or C at 11-12 GLH
    withdrawn = template.solve(Scenario(id="b", qualification="601/4404/X", withdraw=["F/503/0392"]))
    assert "F/503/0392" not in withdrawn.units and withdrawn.objective == 143 - 6 + 12
    # Group C closed (max 0 credits): 9 credits from B
    closed = template.solve(Scenario(id="c", qualification="601/4404/X",
                                     rules=[{"rule": "group C credits", "max": 0}]))
    assert closed.objective == 112 + 11 + 14 + 14
    # a centre that cannot deliver Level 2 units
    level1 = template.solve(Scenario(id="d", qualification="601/4404/X",
                                     exclude=[u.ref for u in builtin().get("601/4404/X").units if u.level.name == "L2"]))
    assert level1.status == "optimal" and level1.objective == 143
    infeasible = template.solve(Scenario(id="e", qualification="601/4404/X", withdraw=["L/506/2083"]))
    assert infeasible.status == "infeasible"  # a mandatory unit withdrawn


def test_bad_scenarios_become_error_records():
    records = solve_chunk([
        {"id": "ok", "qualification": "601/4404/X"},
        {"id": "no-qual", "qualification": "600/0000/1"},
        {"id": "no-unit", "qualification": "601/4404/X", "withdraw": ["K/601/6075"]},
        {"id": "no-rule", "qualification": "601/4404/X", "rules": [{"rule": "group Z credits", "min": 1}]},
        {"id": "bad-objective", "qualification": "601/4404/X", "objective": "minimise cost"},
        {"id": "bad-glh", "qualification": "601/4404/X", "units": {"L/506/2083": {"glh": -3}}},
    ])
    by_id = {r["id"]: r for r in records}
    assert by_id["ok"]["status"] == "optimal"
    assert "no qualification 600/0000/1" in by_id["no-qual"]["error"]
    assert "K/601/6075 is not part of 601/4404/X" in by_id["no-unit"]["error"]
    assert "no rule 'group Z credits'" in by_id["no-rule"]["error"] and "group B credits" in by_id["no-rule"]["error"]
    assert "objective" in by_id["bad-objective"]["error"]
    assert "units.L/506/2083.glh" in by_id["bad-glh"]["error"]
    assert all(r["status"] == "error" for k, r in by_id.items() if k != "ok")


def test_scenario_files_jsonl_yaml_and_csv_say_the_same(tmp_path):
    entry = {"id": "w1", "qualification": "601/4404/X", "objective": "maximise glh", "withdraw": ["F/503/0392"],
             "units": {"A/506/2113": {"glh": 20, "level": "L2"}}, "rules": [{"rule": "group C credits", "max": 1}]}
    (tmp_path / "s.jsonl").write_text(json.dumps(entry) + "\n\nnot json\n")
    (tmp_path / "s.yaml").write_text("scenarios:\n  - " + json.dumps(entry) + "\n")
    (tmp_path / "s.csv").write_text("id,qualification,objective,withdraw,units,rules\n"
                                    "w1,601/4404/X,maximise glh,F/503/0392,A/506/2113 glh=20 level=L2,"
                                    "group C credits max=1\n")
    read = {name: list(read_scenarios(tmp_path / name)) for name in ("s.jsonl", "s.yaml", "s.csv")}
    parsed = {name: Scenario.model_validate(entries[0][1]) for name, entries in read.items()}
    assert parsed["s.jsonl"] == parsed["s.yaml"] == parsed["s.csv"]
    assert isinstance(read["s.jsonl"][1][1], InputError) and read["s.jsonl"][1][0].endswith(":3")


def test_expand_builds_the_grid():
    qual = builtin().get("601/4404/X")
    assert parse_percent_range("-20:20:10") == [-20, -10, 0, 10, 20]
    with pytest.raises(InputError):
        parse_percent_range("20:-20")
    grid = list(expand([qual], ["minimise glh"], withdraw_each=True, glh_percents=[-20, 0, 20], each_unit=True))
    assert len(grid) == 1 + 18 + 18 * 2
    assert len({e["id"] for e in grid}) == len(grid)
    crossed = list(expand([qual], ["minimise glh", "maximise glh"], True, [-10, 10], cross=True, each_unit=True))
    assert len(crossed) == 2 * (19 * 37 - 18 * 2)
    revised = next(e for e in grid if e["id"].endswith("L/506/2083 glh +20%"))
    assert revised["units"] == {"L/506/2083": {"glh": 30}}
    assert parse_percent_range("-10") == [-10]  # a single value


def test_expand_revises_every_unit_at_once_by_default_and_withdrawals_are_opt_in():
    qual = builtin().get("601/4404/X")
    grid = list(expand([qual], ["minimise glh"], glh_percents=[-10]))
    assert [e["id"] for e in grid] == ["601/4404/X | minimise glh | baseline",
                                       "601/4404/X | minimise glh | every unit glh -10%"]
    cut = grid[1]["units"]
    assert len(cut) == len(qual.units) and cut["L/506/2083"] == {"glh": 23}  # 25 - 2.5 = 22.5: half up
    assert {e["id"].split(" | ")[-1] for e in expand([qual], withdraw_each=True)} > {"baseline"}
    from solver.whatif.expand import revised
    assert [revised(25, -10), revised(5, 10), revised(15, 10), revised(3, -200)] == [23, 6, 17, 0]


# -- batch runs ------------------------------------------------------------------------------------------
def _grid(tmp_path: Path, name: str = "s.jsonl", percents=(-20, -10, 10, 20)) -> Path:
    path = tmp_path / name
    entries = list(expand(list(builtin()), ["minimise glh", "maximise glh"], True, list(percents), cross=False,
                          each_unit=True))
    entries.insert(5, {"id": "broken", "qualification": "601/4404/X", "withdraw": ["nonsense"]})
    path.write_text("".join(json.dumps(e) + "\n" for e in entries) + "{not json\n")
    return path


def _records(path: Path) -> dict[str, dict]:
    records = [json.loads(line) for line in path.read_text().splitlines()]
    by_id = {r["id"]: r for r in records}
    assert len(by_id) == len(records), "every scenario exactly once"
    for r in by_id.values():
        r.pop("solve_ms")
    return by_id


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ref")
    source = _grid(tmp)
    run_batch(source, tmp / "ref.jsonl", workers=1)
    return source, _records(tmp / "ref.jsonl")


def test_batch_run_writes_one_record_per_scenario(reference):
    source, records = reference
    lines = [line for line in source.read_text().splitlines() if line.strip()]
    assert len(records) == len(lines)
    assert records["broken"]["status"] == "error" and "nonsense" in records["broken"]["error"]
    assert any(r["status"] == "error" and "not valid JSON" in r["error"] for r in records.values())
    assert sum(r["status"] == "optimal" for r in records.values()) > 300


def test_two_processes_give_the_same_results(reference, tmp_path):
    source, expected = reference
    summary = run_batch(source, tmp_path / "out.jsonl", workers=2)
    assert summary.written == len(expected) and _records(tmp_path / "out.jsonl") == expected


def test_resume_skips_finished_scenarios_and_mends_a_cut_line(reference, tmp_path):
    source, expected = reference
    out = tmp_path / "out.jsonl"
    lines = [json.dumps({**r, "solve_ms": 0.0}) for r in list(expected.values())[:100]]
    out.write_text("\n".join(lines) + "\n" + lines[100 % len(lines)][:25])  # killed mid-write
    summary = run_batch(source, out, workers=2)
    assert summary.skipped == 100 and summary.written == len(expected) - 100
    assert _records(out) == expected
    again = run_batch(source, out, workers=1)
    assert again.written == 0 and again.skipped == len(expected)


def test_a_worker_killed_mid_run_loses_nothing(reference, tmp_path, monkeypatch):
    source, expected = reference
    victim = list(expected)[200]
    monkeypatch.setenv("ROC_FAULT_EXIT_ON", victim)
    monkeypatch.setenv("ROC_FAULT_MARKER", str(tmp_path / "fault-happened"))
    run_batch(source, tmp_path / "out.jsonl", workers=2, chunk=16)
    assert (tmp_path / "fault-happened").exists(), "the worker was really killed"
    assert _records(tmp_path / "out.jsonl") == expected


@pytest.mark.slow
def test_an_interrupted_run_of_100000_scenarios_resumes_to_the_same_results(tmp_path):
    big = tmp_path / "big.jsonl"
    with big.open("w") as sink:  # the README's grid: 101,114 scenarios over the whole catalogue
        for entry in expand(list(builtin()), ["minimise glh", "maximise glh"], True, list(range(-20, 21)),
                            cross=True, each_unit=True):
            sink.write(json.dumps(entry) + "\n")
    out = tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "solver", "whatif", "run", str(big), "--out", str(out), "--workers", "2",
               "--no-progress"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 50_000):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    kept = finished_ids(out).ids
    total = sum(1 for _ in big.open())
    assert total > 100_000 and 0 < len(kept) < total
    subprocess.run(command, check=True, capture_output=True)
    resumed = _records(out)
    assert len(resumed) == total
    clean = tmp_path / "clean.jsonl"
    run_batch(big, clean, workers=2)
    assert resumed == _records(clean)


def test_whatif_cli(roc, tmp_path):
    grid = tmp_path / "g.jsonl"
    result = roc("whatif", "expand", "601/4404/X", "--out", str(grid), "--glh-percent", "-10:10:10",
                 "--withdraw-each", "--each-unit")
    assert result.code == 0 and "wrote 55 scenarios" in result.stderr
    out = tmp_path / "r.jsonl"
    result = roc("whatif", "run", str(grid), "--out", str(out), "--workers", "1", "--no-progress")
    assert result.code == 0 and "55 results written" in result.stderr
    again = roc("whatif", "run", str(grid), "--out", str(tmp_path / "default-workers.jsonl"), "--no-progress")
    assert again.code == 0 and "55 results written" in again.stderr  # --workers defaults to the CPU count
    missing = roc("whatif", "run", str(tmp_path / "missing.jsonl"), "--out", str(out))
    assert missing.code == 2 and missing.says("missing.jsonl: no such file")
    assert "is a folder" in roc("whatif", "run", str(grid), "--out", str(tmp_path)).stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenarios: 5\n")
    wrong = roc("whatif", "run", str(bad), "--out", str(tmp_path / "r3.jsonl"))
    assert wrong.code == 2 and wrong.says("expected a list of scenarios")
    spark = roc("whatif", "run", str(grid), "--out", str(out), "--backend", "spark")
    assert spark.code == 2 and spark.says("'spark' is not one of 'local', 'ray'")


@pytest.mark.slow
def test_ray_backend_agrees_with_the_local_backend(reference, tmp_path):
    if os.environ.get("CI"):
        import ray  # noqa: F401  -- CI installs the [ray] extra: this test must run there
    else:
        pytest.importorskip("ray")
    source, expected = reference
    summary = run_batch(source, tmp_path / "ray.jsonl", workers=2, backend="ray")
    assert summary.written == len(expected)
    assert _records(tmp_path / "ray.jsonl") == expected


@st.composite
def cost_only_scenarios(draw, qual):
    """Scenarios the valid-set table answers: costs and which units may be taken change, rules do not."""
    refs = [str(u.ref) for u in qual.units]
    pick = lambda n: draw(st.lists(st.sampled_from(refs), max_size=n, unique=True))  # noqa: E731
    return Scenario.model_validate({
        "id": "s", "qualification": "x",
        "objective": draw(st.sampled_from(["minimise glh", "maximise glh", "minimise tqt", "minimise credits",
                                           "maximise tqt"])),
        "withdraw": pick(2), "include": pick(1), "exclude": pick(1), "achieved": pick(2),
        "units": {ref: {"glh": draw(st.integers(0, 40))} for ref in pick(3)}})


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(qualifications(max_units=8), st.data())
def test_valid_set_table_agrees_with_cp_sat(qual, data):
    template = Template(qual)
    for _ in range(4):
        scenario = data.draw(cost_only_scenarios(qual))
        fast, slow = template.solve(scenario), template.solve(scenario, use_table=False)
        assert template.table() is not None
        assert (fast.status, fast.units, fast.objective, fast.glh) == (slow.status, slow.units, slow.objective, slow.glh)


def test_table_is_skipped_for_rule_and_credit_changes():
    template = Template(builtin().get("601/4404/X"))
    scenario = Scenario(id="c", qualification="601/4404/X", rules=[{"rule": "group C credits", "max": 0}])
    assert template.solve(scenario).objective == template.solve(scenario, use_table=False).objective == 151
    assert template._table is False  # never needed, never built


def test_expand_on_a_qualification_file_writes_its_path_so_that_run_finds_it(roc, tmp_path, monkeypatch):
    from tests.test_readme import readme_schema

    (tmp_path / "mine.yaml").write_text(readme_schema())
    monkeypatch.chdir(tmp_path)
    assert roc("whatif", "expand", "mine.yaml", "--out", "g.jsonl", "--glh-percent", "-10").code == 0
    entries = [json.loads(line) for line in (tmp_path / "g.jsonl").read_text().splitlines()]
    assert [e["qualification"] for e in entries] == [str(tmp_path / "mine.yaml")] * 2
    monkeypatch.chdir(tmp_path.parent)  # run from elsewhere: the path still finds the file
    result = roc("whatif", "run", str(tmp_path / "g.jsonl"), "--out", str(tmp_path / "r.jsonl"), "--workers", "1",
                 "--no-progress")
    assert result.code == 0, result.stderr
    got = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert [(r["status"], r["glh"]) for r in got] == [("optimal", 67), ("optimal", 61)]


def test_expand_counts_and_drops_duplicates_and_summarise_names_each_extreme(roc, tmp_path):
    grid, unique = tmp_path / "grid.jsonl", tmp_path / "unique.jsonl"
    args = ["whatif", "expand", "601/4404/X", "--glh-percent", "-20:20:1", "--each-unit"]
    shown = roc(*args, "--out", str(grid))
    entries = [json.loads(line) for line in grid.read_text().splitlines()]
    asked = [json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True) for e in entries]
    repeats = len(asked) - len(set(asked))  # counted here, apart from roc
    assert repeats > 0 and f"({repeats} the same as an earlier one; --drop-duplicates leaves them out)" in shown.stderr
    dropped = roc(*args, "--out", str(unique), "--drop-duplicates")
    kept = [json.loads(line) for line in unique.read_text().splitlines()]
    assert len(kept) == len(set(asked)) and f"wrote {len(kept)} scenarios" in dropped.stderr
    assert {json.dumps({k: v for k, v in e.items() if k != "id"}, sort_keys=True) for e in kept} == set(asked)
    # every scenario's answer is one of the kept scenarios' answers: dropping loses no result
    results = tmp_path / "r.jsonl"
    assert roc("whatif", "run", str(grid), "--out", str(results), "--workers", "1", "--no-progress").code == 0
    records = [json.loads(line) for line in results.read_text().splitlines()]
    summary = roc("whatif", "summarise", str(results), "--json").json()
    goal = summary["goals"][0]
    base = next(r["objective"] for r in records if r["id"].endswith("baseline"))
    cut = min(r["objective"] - base for r in records if r["objective"] is not None)
    first = next(r["id"] for r in records if r["objective"] == base + cut)
    assert goal["largest_cut"] == cut and goal["largest_cut_scenario"].startswith(first)
    rise = max(r["objective"] - base for r in records if r["objective"] is not None)
    assert goal["largest_rise"] == rise
    assert goal["largest_rise_scenario"].startswith(next(r["id"] for r in records if r["objective"] == base + rise))
    table = roc("whatif", "summarise", str(results)).stdout
    assert f"largest cut {cut:+d} ({first.removeprefix('601/4404/X | minimise glh | ')}" in " ".join(table.split())
