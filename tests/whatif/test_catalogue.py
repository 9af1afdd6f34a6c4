"""Whole-catalogue runs: compare and the transfer matrix on the process pool and on Ray give the
same rows as in one process; a failed task fails the run; the synthetic catalogue loads."""

from __future__ import annotations

import json

import pytest

from bench.catalogue import catalogue_entries, write_catalogue
from catalog import builtin, load_file
from models import QualNumber
from solver import compare, transfer_matrix
from solver.analysis.transfer import ordered_pairs
from solver.whatif.catalogue import CatalogueRunFailed, compare_catalogue, run_tasks, transfer_catalogue


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalogue")
    paths = write_catalogue(folder, count=12, seed=3)
    return [str(p) for p in paths], [load_file(p) for p in paths]


def test_ordered_pairs_all_or_a_repeatable_sample():
    assert ordered_pairs(3) == [(0, 1), (0, 2), (1, 0), (1, 2), (2, 0), (2, 1)]
    every = set(ordered_pairs(9))
    for size in (1, 10, 71, 72, 500):
        sample = ordered_pairs(9, size, seed=size)
        assert len(set(sample)) == len(sample) == min(size, 72) and set(sample) <= every
        assert sample == sorted(sample) and sample == ordered_pairs(9, size, seed=size)
    assert ordered_pairs(9, 10, seed=1) != ordered_pairs(9, 10, seed=2)


def test_the_synthetic_catalogue_is_valid_and_overlaps(synthetic):
    specs, quals = synthetic
    assert len({str(q.number) for q in quals}) == 12
    assert all(not QualNumber.parse(str(q.number)).problems() for q in quals)
    assert all(12 <= len(q.units) <= 20 for q in quals)
    refs = [{u.ref.digits for u in q.units} for q in quals]
    assert sum(bool(refs[k] & refs[k + 5]) for k in range(7)) >= 4  # the same subject area: often shared
    assert not any(refs[k] & refs[k + 1] for k in range(11))  # different areas: none
    assert catalogue_entries(12, seed=3) == catalogue_entries(12, seed=3)


def test_compare_on_the_pool_matches_one_process(synthetic):
    specs, quals = synthetic
    assert compare_catalogue(quals, specs, workers=2) == compare(quals)


def test_seed_compare_on_the_pool_counts_findings_across_qualifications():
    quals = list(builtin())
    rows = compare_catalogue(quals, [str(q.number) for q in quals], workers=2)
    assert rows == compare(quals) and sum(r.findings for r in rows) > 0


def test_sampled_transfer_matrix_on_the_pool_matches_one_process(synthetic):
    specs, quals = synthetic
    pairs = ordered_pairs(len(quals), 40, seed=7)
    cells = transfer_catalogue(specs, pairs, workers=2)
    assert cells == transfer_matrix(quals, pairs=pairs)
    assert any(c.from_all_units < c.target_min_glh for c in cells)  # shared units do carry over


def test_a_failed_task_fails_the_run_naming_it(tmp_path):
    entries = [{"id": "good", "task": "compare", "qualification": "601/4404/X"},
               {"id": "bad", "task": "compare", "qualification": str(tmp_path / "missing.yaml")}]
    with pytest.raises(CatalogueRunFailed, match="task bad failed.*nothing was reported"):
        run_tasks(entries, chunk=1, workers=2)


def test_cli_compare_and_sampled_matrix_with_workers_print_what_one_process_does(roc, synthetic):
    specs, _ = synthetic
    one = roc("compare", *specs[:6], "--json")
    two = roc("compare", *specs[:6], "--json", "--workers", "2")
    assert one.code == two.code == 0 and json.loads(one.stdout) == json.loads(two.stdout)
    one = roc("transfer-matrix", *specs, "--sample", "15", "--seed", "2", "--json")
    two = roc("transfer-matrix", *specs, "--sample", "15", "--seed", "2", "--json", "--workers", "2")
    assert one.code == two.code == 0 and json.loads(one.stdout) == json.loads(two.stdout)
    assert len(json.loads(one.stdout)) == 15


@pytest.mark.parametrize("args, message", [(["--backend", "spark"], "'--backend': 'spark' is not one of 'local', 'ray'"),
                                           (["--address", "ray://x:1"],
                                            "--address: names a Ray cluster: give it with the ray backend")])
def test_cli_refuses_a_bad_backend_in_one_line(roc, args, message):
    result = roc("compare", "601/4404/X", *args)
    assert result.code == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
def test_compare_and_matrix_on_ray_match_one_process(synthetic):
    pytest.importorskip("ray")
    specs, quals = synthetic
    pairs = ordered_pairs(len(quals), 30, seed=1)
    assert compare_catalogue(quals, specs, workers=2, backend="ray") == compare(quals)
    assert transfer_catalogue(specs, pairs, workers=2, backend="ray") == transfer_matrix(quals, pairs=pairs)


@pytest.mark.parametrize("command", [["compare", "601/4404/X"], ["whatif", "run", "SCENARIOS", "--out", "OUT"]])
def test_an_unreachable_ray_cluster_is_one_line_at_once(roc, tmp_path, command):
    pytest.importorskip("ray")
    from solver.whatif.backends.ray import check_reachable

    scenarios = tmp_path / "s.jsonl"
    scenarios.write_text('{"id": "a", "qualification": "601/4404/X"}\n')
    args = [{"SCENARIOS": str(scenarios), "OUT": str(tmp_path / "out.jsonl")}.get(a, a) for a in command]
    result = roc(*args, "--backend", "ray", "--address", "127.0.0.1:1")  # nothing listens on port 1
    assert result.code == 2 and "cannot reach a Ray cluster at 127.0.0.1:1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "out.jsonl").exists()
    check_reachable("auto")  # no host:port: left to Ray, no error here
